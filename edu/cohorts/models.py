"""Cohorts: a group of learners taught by one or more instructors, joined with a code or link,
and the lessons, quizzes and cases assigned to them.

Nothing here holds learner work: attempts and reading records live in their own apps and are
matched to an assignment by learner, item, mode and time. So removing a learner, editing or
deleting an assignment never deletes what anyone did, and a learner who rejoins finds it all
again.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Cohort(models.Model):
    name = models.CharField(max_length=120)
    term = models.CharField(max_length=60, blank=True, help_text="e.g. 'Spring 2027, block 2'.")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    code = models.SlugField(max_length=20, unique=True, help_text="Learners join with this code.")
    join_open = models.BooleanField(
        default=True, help_text="Switched off, neither the code nor the join link admits anyone."
    )
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="teaching_cohorts", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="cohorts_cohort_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class EndReason(models.TextChoices):
    LEFT = "left", "Left the cohort"
    REMOVED = "removed", "Removed by an instructor"


class Enrolment(models.Model):
    """A learner's place in a cohort. Leaving or removal ends it (the row stays, so rejoining
    picks up where they were); `left_at` empty means a current member."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=10, choices=EndReason.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "learner"], name="cohorts_one_enrolment"),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True, end_reason="")
                | Q(left_at__isnull=False, end_reason__in=EndReason.values),
                name="cohorts_enrolment_end_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "left_at"], name="cohorts_enrolment_current"),
            models.Index(fields=["learner", "left_at"], name="cohorts_enrolment_mine"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.cohort}"

    @property
    def is_current(self) -> bool:
        return self.left_at is None


class Kind(models.TextChoices):
    LESSON = "lesson", "Lesson"
    QUIZ = "quiz", "Quiz"
    CASE = "case", "Case"


class Mode(models.TextChoices):
    TRAINING = "training", "Training (feedback as you go)"
    ASSESSMENT = "assessment", "Assessment (feedback at the end)"


class Assignment(models.Model):
    """One lesson, quiz or case set for a cohort (or for chosen learners in it)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    lesson = models.ForeignKey(
        "lessons.Lesson", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quiz = models.ForeignKey(
        "quizzes.QuizDefinition", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opens_at = models.DateTimeField(help_text="Work started before this does not count.")
    due_at = models.DateTimeField(help_text="Work finished after this is accepted, marked late.")
    attempts_limit = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How many attempts count; empty for no limit."
    )
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.TRAINING)
    learners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="targeted_assignments",
        help_text="Only these learners; empty for the whole cohort.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=Kind.LESSON, lesson__isnull=False, quiz__isnull=True, case__isnull=True)
                    | Q(kind=Kind.QUIZ, lesson__isnull=True, quiz__isnull=False, case__isnull=True)
                    | Q(kind=Kind.CASE, lesson__isnull=True, quiz__isnull=True, case__isnull=False)
                ),
                name="cohorts_assignment_one_target",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gt=F("opens_at")), name="cohorts_assignment_due_after_open"
            ),
            models.CheckConstraint(
                condition=Q(attempts_limit__isnull=True) | Q(attempts_limit__gte=1),
                name="cohorts_assignment_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=Mode.values), name="cohorts_assignment_mode_valid"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "due_at"], name="cohorts_assignment_due")]

    def __str__(self) -> str:
        return f"{self.title} ({self.cohort})"

    @property
    def target(self):
        return {Kind.LESSON: self.lesson, Kind.QUIZ: self.quiz, Kind.CASE: self.case}[self.kind]

    @property
    def title(self) -> str:
        target = self.target
        return target.title if target is not None else "(removed)"

    @property
    def is_assessment(self) -> bool:
        return self.mode == Mode.ASSESSMENT


class RiskDismissal(models.Model):
    """An instructor has seen a learner's at-risk flag for one reason and set it aside.

    Keyed by the reason, so a new reason (say, now overdue as well) raises the flag again.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="risk_dismissals")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=80)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "learner", "reason"], name="cohorts_one_dismissal_per_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.cohort}: {self.reason} dismissed"
