"""Questions, the quizzes drawn from them, each learner's attempts and answers, and review cards.

Questions come from `content/questions/*.toml` through `load_questions`; learners only ever see
approved, active ones. An attempt stores the questions it drew and each one's option order, so
a result can be replayed as the learner saw it. Answers are rows written the moment they are
given. Attempts carry summary counts so dashboards never scan answers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cases.engine.levels import LEVELS

LEVEL_CHOICES = [(level.id, level.label) for level in LEVELS]


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class Kind(models.TextChoices):
    SINGLE_BEST_ANSWER = "single-best-answer", "Single best answer"
    TRUE_FALSE = "true-false", "True or false"


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


APPROVAL_RULE = (
    "A question reaches learners when it is approved and active. It is approved when its file "
    'says status = "approved" OR an author approved it here. Approval given here is kept '
    'when load_content runs again and the file still says "draft"; set the file to '
    '"approved" to make it permanent. Text edited here is kept until the question\'s entry in '
    "its file changes; then the file wins, so copy lasting edits into the file."
)


class Question(models.Model):
    external_id = models.SlugField(
        "id", max_length=120, unique=True, help_text="The question's id in its TOML file."
    )
    lesson = models.ForeignKey(
        "lessons.Lesson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    lesson_key = models.CharField(
        max_length=200, db_index=True, help_text="'<topic>/<lesson-slug>' as written in the file."
    )
    level = models.CharField(max_length=40, choices=LEVEL_CHOICES, blank=True)
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    stem = models.TextField()
    explanation = models.TextField()
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
        help_text="Approved if the file says so or an author approved it here.",
    )
    file_status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="The status its file gave at the last load_content.",
    )
    approved_in_admin = models.BooleanField(default=False, help_text=APPROVAL_RULE)
    is_active = models.BooleanField(
        default=True, help_text="False once the question is removed from the files (withdrawn)."
    )
    source_path = models.CharField(max_length=300, blank=True)
    content_hash = models.CharField(
        max_length=64, blank=True, help_text="Hash of the file entry at the last load."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["lesson_key", "external_id"]
        indexes = [
            models.Index(fields=["status", "is_active", "lesson_key"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="quizzes_question_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.external_id

    def save(self, *args, **kwargs):
        self.status = effective_status(
            file_status=self.file_status, approved_in_admin=self.approved_in_admin
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and (
            "file_status" in update_fields or "approved_in_admin" in update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "status"}
        super().save(*args, **kwargs)

    @property
    def reaches_learners(self) -> bool:
        return self.status == Status.APPROVED and self.is_active


def effective_status(*, file_status: str, approved_in_admin: bool) -> str:
    """The status learners see: the file's, unless an author approved the question here."""
    if approved_in_admin or file_status == Status.APPROVED:
        return Status.APPROVED
    return Status.DRAFT


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(help_text="Order in the file, from 0.")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    why = models.TextField(blank=True, help_text="Why this option is, or is not, the answer.")
    level = models.CharField(
        max_length=40,
        choices=LEVEL_CHOICES,
        blank=True,
        help_text="The level an answer choosing this option points at; empty if it names none.",
    )

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(is_correct=True),
                name="quizzes_option_one_correct",
                violation_error_message="A question may have only one correct option.",
            ),
            models.UniqueConstraint(
                fields=["question", "position"], name="quizzes_option_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class QuizDefinition(models.Model):
    """A quiz as a rule for drawing questions: which lessons and levels, and how many."""

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=200)
    description = models.CharField(max_length=300, blank=True)
    lesson = models.ForeignKey(
        "lessons.Lesson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quizzes",
        help_text="Set for a lesson's quiz; empty for a quiz across a topic.",
    )
    lesson_keys = models.JSONField(
        default=list,
        blank=True,
        help_text="Draw from these lessons ('<topic>/<slug>'); empty = any.",
    )
    levels = models.JSONField(
        default=list, blank=True, help_text="Draw questions at these levels; empty = any."
    )
    question_count = models.PositiveSmallIntegerField(default=10)
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    generated = models.BooleanField(
        default=False,
        help_text="Made by load_content from the lessons (one per lesson, one per topic); "
        "load_content keeps these in step and leaves hand-made quizzes alone.",
    )

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('quizzes:index')}#quiz-{self.slug}"


class Mode(models.TextChoices):
    PRACTICE = "practice", "Practice"
    EXAM = "exam", "Exam"
    REVIEW = "review", "Review"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    FINISHED = "finished", "Finished"


class QuizAttempt(models.Model):
    """One sitting of a quiz (or of a review session), kept as a summary row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    definition = models.ForeignKey(
        QuizDefinition,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attempts",
        help_text="Empty for a review session.",
    )
    mode = models.CharField(max_length=10, choices=Mode.choices)
    status = models.CharField(
        max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    n_items = models.PositiveSmallIntegerField(default=0)
    n_answered = models.PositiveSmallIntegerField(default=0)
    n_correct = models.PositiveSmallIntegerField(default=0)
    score = models.FloatField(
        null=True, blank=True, help_text="Share correct, 0..1, once finished."
    )
    is_first_attempt = models.BooleanField(
        default=False,
        help_text="The learner's first attempt at this quiz (item statistics use these).",
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["user", "status", "finished_at"]),
            # Program analytics (edu/analytics): a quiz's item analysis reads its finished
            # (first) sittings; the overview's quiz trend reads sittings by start.
            models.Index(
                fields=["definition", "status", "is_first_attempt"],
                name="quizzes_attempt_quiz_report",
            ),
            models.Index(fields=["started_at", "user"], name="quizzes_attempt_started_report"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(mode__in=Mode.values), name="quizzes_attempt_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1),
                name="quizzes_attempt_score_in_range",
            ),
            models.CheckConstraint(
                condition=Q(definition__isnull=True, mode="review")
                | (Q(definition__isnull=False) & ~Q(mode="review")),
                name="quizzes_attempt_review_has_no_quiz",
            ),
            models.UniqueConstraint(
                fields=["user", "definition"],
                condition=Q(is_first_attempt=True),
                name="quizzes_one_first_attempt",
            ),
            models.UniqueConstraint(
                fields=["user", "definition"],
                condition=Q(status="in_progress"),
                name="quizzes_one_open_attempt_per_quiz",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.definition or 'review'} · {self.mode}"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS

    @property
    def gives_feedback_as_you_go(self) -> bool:
        return self.mode in (Mode.PRACTICE, Mode.REVIEW)

    @property
    def title(self) -> str:
        return self.definition.title if self.definition_id else "Review of due questions"


class QuizItem(models.Model):
    """A drawn question at its place in an attempt, with the option order this learner saw."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(help_text="1-based place in the attempt.")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="items")
    option_order = models.JSONField(help_text="Option ids in the order shown.")

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="quizzes_item_unique_position"
            ),
            models.UniqueConstraint(
                fields=["attempt", "question"], name="quizzes_item_question_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"


class Answer(models.Model):
    """What the learner chose for one item, saved the moment it was given and never changed.

    The chosen option's text and correctness are copied in, so the answer stays true to what
    was marked even if the question is later edited.
    """

    item = models.OneToOneField(QuizItem, on_delete=models.CASCADE, related_name="answer")
    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_answers"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    option = models.ForeignKey(Option, null=True, on_delete=models.SET_NULL, related_name="answers")
    option_text = models.CharField(max_length=500)
    is_correct = models.BooleanField()
    is_review = models.BooleanField(
        default=False,
        help_text="Given in spaced review: practice, left out of item statistics.",
    )
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["answered_at"]
        indexes = [
            models.Index(fields=["user", "question"]),
            models.Index(fields=["question", "is_review"]),
            # The Levels page (edu/analytics): answers by when they were given, with all the
            # level statistics count, so PostgreSQL reads the index alone.
            models.Index(
                fields=["answered_at", "is_review", "is_correct", "question", "option", "user"],
                name="quizzes_answer_levels_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.option_text}"


class ReviewCard(models.Model):
    """A learner's FSRS card for one question: its state as `Card.to_dict()` and when it is due."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="review_cards")
    card = models.JSONField(default=dict, help_text="fsrs Card.to_dict(); card_id is our pk.")
    due = models.DateTimeField(db_index=True)
    last_review = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["user", "due"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="quizzes_one_card_each"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question} due {self.due:%Y-%m-%d %H:%M}"
