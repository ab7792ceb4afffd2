"""Cases as stored data, and each learner's attempts at them.

A case file becomes an immutable CaseVersion (the validated TOML as JSON, keyed by its content
hash); an Attempt is pinned to the version it started on, so it replays the same way after the
file changes. AttemptEvent rows are the attempt's history (the source of truth); the Attempt row
is the summary that dashboards read, plus a snapshot of the engine state so a learner's action
never needs the whole history replayed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.engine.belief import beliefs_for, evidence_key
from cases.engine.levels import LEVELS
from cases.engine.schema import Case as CaseDefinition
from cases.engine.state import (
    AttemptState,
    FinalAnswer,
    FiredRule,
    StageVisit,
    Step,
    WorkingLocalization,
    step_taken,
)

LEVEL_CHOICES = [(level.id, level.label) for level in LEVELS]
LEVEL_VALUES = [level.id for level in LEVELS]


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


class Mode(models.TextChoices):
    TRAINING = "training", "Training"
    ASSESSMENT = "assessment", "Assessment"


class Status(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    FINISHED = "finished", "Finished"


class Confidence(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Case(models.Model):
    """One case file, by its id; what it says now lives in `current_version`."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    patient_line = models.CharField(
        max_length=300, blank=True, help_text="Age, sex, complaint: the library's one-liner."
    )
    level = models.CharField(
        max_length=30, choices=LEVEL_CHOICES, help_text="The level the case localizes to."
    )
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    current_version = models.ForeignKey(
        "CaseVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True, help_text="False once its file is removed.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=LEVEL_VALUES), name="cases_case_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(difficulty__in=Difficulty.values), name="cases_case_difficulty_valid"
            ),
        ]
        indexes = [models.Index(fields=["is_active", "title"], name="cases_case_library")]

    def __str__(self) -> str:
        return self.title


class CaseVersion(models.Model):
    """An immutable snapshot of a case file: what attempts started on it will always replay."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content_hash = models.CharField(
        max_length=64, help_text="sha256 of the canonical JSON of the parsed TOML."
    )
    definition = models.JSONField(help_text="The case file's data, as validated.")
    source_path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="cases_version_unique_number"),
            models.UniqueConstraint(
                fields=["case", "content_hash"], name="cases_version_unique_content"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="cases_version_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} v{self.number}"


SCORE_FIELDS = (
    "score_localization",
    "score_thoroughness",
    "score_efficiency",
    "score_safety",
    "score_diagnosis",
    "score_overall",
)


def _score_in_range(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0, f"{name}__lte": 1}),
        name=f"cases_attempt_{name}_0_1",
    )


class Attempt(models.Model):
    """One learner working one case version: the summary row every dashboard reads.

    Updated on every event (clock, spend, stage, working level) and completed on finish (the
    committed answer and each score part), so no report ever has to read events.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_attempts"
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="attempts",
        help_text="Same as case_version.case; kept here so one case's attempts need no join.",
    )
    case_version = models.ForeignKey(CaseVersion, on_delete=models.PROTECT, related_name="attempts")
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.TRAINING)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    event_count = models.PositiveIntegerField(default=0)
    minutes = models.PositiveIntegerField(default=0)
    cost = models.PositiveIntegerField(default=0)
    stage = models.CharField(max_length=80, blank=True)
    working_level = models.CharField(max_length=30, blank=True, choices=LEVEL_CHOICES)
    chosen_level = models.CharField(max_length=30, blank=True, choices=LEVEL_CHOICES)
    correct_level = models.CharField(max_length=30, choices=LEVEL_CHOICES)
    diagnosis = models.CharField(max_length=80, blank=True)
    diagnosis_correct = models.BooleanField(null=True, blank=True)
    confidence = models.CharField(max_length=10, blank=True, choices=Confidence.choices)

    score_localization = models.FloatField(null=True, blank=True)
    score_thoroughness = models.FloatField(null=True, blank=True)
    score_efficiency = models.FloatField(null=True, blank=True)
    score_safety = models.FloatField(null=True, blank=True)
    score_diagnosis = models.FloatField(null=True, blank=True)
    score_overall = models.FloatField(null=True, blank=True)

    scoring_version = models.PositiveSmallIntegerField(
        default=1,
        help_text="The scoring rules that wrote the score fields (cases.engine.scoring).",
    )

    state = models.JSONField(
        default=dict, blank=True, help_text="Engine state after the last event (a cache)."
    )
    # What cohort insight counts, written with the scores when the attempt finishes.
    missed_critical = models.JSONField(
        default=list, blank=True, help_text="Ids of critical actions not done in time."
    )
    harmful_taken = models.JSONField(
        default=list, blank=True, help_text="Ids of harmful actions the learner took."
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="cases_attempt_mode"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="cases_attempt_status"
            ),
            models.CheckConstraint(
                condition=Q(correct_level__in=LEVEL_VALUES), name="cases_attempt_correct_level"
            ),
            models.CheckConstraint(
                condition=Q(chosen_level="") | Q(chosen_level__in=LEVEL_VALUES),
                name="cases_attempt_chosen_level",
            ),
            models.CheckConstraint(
                condition=Q(working_level="") | Q(working_level__in=LEVEL_VALUES),
                name="cases_attempt_working_level",
            ),
            models.CheckConstraint(
                condition=Q(confidence="") | Q(confidence__in=Confidence.values),
                name="cases_attempt_confidence",
            ),
            # A finished attempt has its answer and every score; an open one has none.
            models.CheckConstraint(
                condition=(
                    Q(
                        status=Status.IN_PROGRESS,
                        finished_at__isnull=True,
                        score_overall__isnull=True,
                    )
                    | (
                        Q(status=Status.FINISHED, finished_at__isnull=False)
                        & ~Q(chosen_level="")
                        & Q(**{f"{name}__isnull": False for name in SCORE_FIELDS})
                    )
                ),
                name="cases_attempt_finished_is_scored",
            ),
            *(_score_in_range(name) for name in SCORE_FIELDS),
            # Starting again resumes: one open attempt per learner, case and mode.
            models.UniqueConstraint(
                fields=["user", "case", "mode"],
                condition=Q(status=Status.IN_PROGRESS),
                name="cases_attempt_one_open_per_mode",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"], name="cases_attempt_user_status"),
            models.Index(fields=["case_version", "status"], name="cases_attempt_version_status"),
            models.Index(
                fields=["user", "case", "status", "-finished_at"], name="cases_attempt_last_result"
            ),
            # The program analytics (edu/analytics) read attempts by these; each holds every
            # column its page groups by, so PostgreSQL answers from the index alone. None holds
            # a column an ordinary case action changes (the clock, `minutes`, stays out), so
            # that action still updates the row in place (a HOT update) on the hot path.
            # The overview: attempts by start, with who, whether finished, and accuracy.
            models.Index(
                fields=["started_at", "user", "status", "score_localization"],
                name="cases_attempt_started_report",
            ),
            # A case's page: its attempts by start, with what its figures group by.
            models.Index(
                fields=[
                    "case",
                    "started_at",
                    "status",
                    "case_version",
                    "chosen_level",
                    "correct_level",
                    "confidence",
                    "score_localization",
                ],
                name="cases_attempt_case_report",
            ),
            # The Levels page: finished attempts by when they finished, true and chosen level.
            models.Index(
                fields=["finished_at", "status", "correct_level", "chosen_level", "user"],
                name="cases_attempt_finished_levels",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.case_version} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        # The save that finishes the attempt also writes which critical actions were missed and
        # which harmful ones taken, so dashboards count them from this row, never from events.
        update_fields = kwargs.get("update_fields")
        # (A row written without events, as a data import might, has nothing to count.)
        finishing = update_fields is None or "status" in update_fields
        if self.status == Status.FINISHED and self.event_count and finishing:
            self.missed_critical, self.harmful_taken = self._safety_outcome()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "missed_critical", "harmful_taken"}
        super().save(*args, **kwargs)

    def _safety_outcome(self) -> tuple[list[str], list[str]]:
        from cases.engine.scoring import score
        from cases.selectors import attempt_state, parsed_case

        case = parsed_case(self.case_version)
        result = score(case, attempt_state(self, case))
        return (
            [action.id for action in result.missed_critical_actions],
            [action.id for action in result.harmful_actions_taken],
        )

    @property
    def is_finished(self) -> bool:
        return self.status == Status.FINISHED

    @property
    def is_training(self) -> bool:
        return self.mode == Mode.TRAINING


SCORE_PARTS = tuple(name.removeprefix("score_") for name in SCORE_FIELDS)


def _revision_in_range(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0, f"{name}__lte": 1}),
        name=f"cases_revision_{name}_0_1",
    )


class ScoreRevision(models.Model):
    """A finished attempt re-scored under newer rules: its old and new scores side by side.

    The attempt row then carries the new scores (dashboards read it); this row keeps what the
    learner was shown before, for audit, and is never changed afterwards.
    """

    attempt = models.ForeignKey("Attempt", on_delete=models.CASCADE, related_name="score_revisions")
    from_version = models.PositiveSmallIntegerField()
    to_version = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    old_localization = models.FloatField(null=True)
    old_thoroughness = models.FloatField(null=True)
    old_efficiency = models.FloatField(null=True)
    old_safety = models.FloatField(null=True)
    old_diagnosis = models.FloatField(null=True)
    old_overall = models.FloatField(null=True)
    new_localization = models.FloatField()
    new_thoroughness = models.FloatField()
    new_efficiency = models.FloatField()
    new_safety = models.FloatField()
    new_diagnosis = models.FloatField()
    new_overall = models.FloatField()

    class Meta:
        ordering = ["attempt", "to_version"]
        constraints = [
            # Re-scoring twice under the same rules records one revision.
            models.UniqueConstraint(
                fields=["attempt", "to_version"], name="cases_revision_once_per_version"
            ),
            models.CheckConstraint(
                condition=Q(to_version__gt=models.F("from_version")),
                name="cases_revision_moves_forward",
            ),
            *(_revision_in_range(f"old_{part}") for part in SCORE_PARTS),
            *(_revision_in_range(f"new_{part}") for part in SCORE_PARTS),
        ]

    def __str__(self) -> str:
        return f"attempt {self.attempt_id}: scoring v{self.from_version} -> v{self.to_version}"


class AttemptEvent(models.Model):
    """One thing the learner did, in order: the attempt's history, replayable by the engine."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField(help_text="1 for the attempt's first event, then 2, 3…")
    event = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["attempt", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "seq"], name="cases_event_unique_seq"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="cases_event_seq_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event.get('type', '?')}"


# --- The engine state snapshot stored in Attempt.state -------------------------------------
# The snapshot caches replay(case, events) so an action never replays the history. It keeps
# only what the learner did (which action, in which stage, at what minute) and takes
# everything else (labels, findings, teaching, rule messages) from the immutable case version,
# so it stays small however wordy the case. Anything unreadable (another format, a changed
# engine) reads as None, and the caller replays the events instead.

SNAPSHOT_FORMAT = 2


def state_snapshot(state: AttemptState, event_count: int) -> dict[str, Any]:
    """The compact JSON form of an engine state after `event_count` events."""
    answer = state.answer
    return {
        "format": SNAPSHOT_FORMAT,
        "events": event_count,
        "stage": state.stage,
        "minute": state.minute,
        "cost": state.cost,
        "finished": state.finished,
        "steps": [[step.action, step.stage, step.minute] for step in state.steps],
        "fired": [[f.rule, f.minute, f.from_stage, f.goto] for f in state.fired],
        "localizations": [[noted.level, noted.minute] for noted in state.localizations],
        "visits": [[visit.stage, visit.minute, visit.by, visit.via] for visit in state.visits],
        "answer": (
            [answer.level, answer.diagnosis, answer.confidence, answer.minute] if answer else None
        ),
    }


def _step(case: CaseDefinition, action_id: str, stage: str, minute: int) -> Step:
    """The step the engine records for this action taken in this stage at this minute."""
    return step_taken(case.action_by_id[action_id], stage, minute)


def state_from_snapshot(
    snapshot: Any, event_count: int, case: CaseDefinition
) -> AttemptState | None:
    """The engine state a snapshot holds, or None if it is missing, stale or unreadable."""
    if not isinstance(snapshot, dict) or snapshot.get("format") != SNAPSHOT_FORMAT:
        return None
    if snapshot.get("events") != event_count:
        return None
    try:
        rules = {rule.id: rule for rule in case.rules}
        steps = tuple(_step(case, *item) for item in snapshot["steps"])
        answer = snapshot["answer"]
        return AttemptState(
            stage=snapshot["stage"],
            minute=snapshot["minute"],
            cost=snapshot["cost"],
            steps=steps,
            fired=tuple(
                FiredRule(
                    rule=rule_id,
                    minute=minute,
                    message=rules[rule_id].message,
                    from_stage=from_stage,
                    goto=goto,
                    deterioration=rules[rule_id].deterioration,
                )
                for rule_id, minute, from_stage, goto in snapshot["fired"]
            ),
            localizations=tuple(
                WorkingLocalization(level, minute) for level, minute in snapshot["localizations"]
            ),
            visits=tuple(StageVisit(*visit) for visit in snapshot["visits"]),
            answer=FinalAnswer(*answer) if answer else None,
            finished=snapshot["finished"],
            taken=frozenset(step.action for step in steps),
            beliefs=beliefs_for(case, steps),
            counted=frozenset(map(evidence_key, steps)),
        )
    except (KeyError, TypeError, ValueError):
        return None
