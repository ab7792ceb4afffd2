"""Writes for cases, each named for the act: starting an attempt and recording what the learner
did. Views, commands and demo seeding all come through here, so every attempt is made the same
way and its summary row is always right.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.engine.schema import Case as CaseDefinition
from cases.engine.scoring import SCORING_VERSION, score
from cases.engine.state import AttemptState, EventRejected, apply, replay, start
from cases.models import (
    SCORE_FIELDS,
    SCORE_PARTS,
    Attempt,
    AttemptEvent,
    Case,
    Mode,
    ScoreRevision,
    Status,
    state_snapshot,
)
from cases.selectors import attempt_events, attempt_state, parsed_case, parsed_case_by_hash

STALE_MESSAGE = "That step was already recorded."
FINISHED_MESSAGE = "This attempt is finished; nothing more can be changed."


class CaseUnavailable(Exception):
    """The case cannot be started (withdrawn, or never loaded)."""


@dataclass(frozen=True)
class Outcome:
    """What became of one event: recorded, or refused with a message for the learner.

    `attempt` and `state` are as they stand after the request, so a page can be drawn from
    them without reading anything again; `before` is the state the learner's page showed
    (the same as `state` when nothing was recorded), so a page can say what changed.
    """

    recorded: bool
    attempt: Attempt
    case: CaseDefinition
    state: AttemptState
    message: str = ""
    reason: str = ""  # "" when recorded; "stale", "finished" or "rejected" otherwise
    before: AttemptState | None = None

    @property
    def finished(self) -> bool:
        return self.attempt.status == Status.FINISHED


def _summary(state: AttemptState) -> dict[str, Any]:
    working = state.current_localization
    return {
        "minutes": state.minute,
        "cost": state.cost,
        "stage": state.stage,
        "working_level": working.level if working else "",
    }


def start_attempt(*, user, case: Case, mode: str) -> Attempt:
    """The learner's open attempt at this case in this mode, started now if there is none.

    A new attempt is pinned to the case's current version; an open one stays on the version
    it began with, even if the file has changed since.
    """
    if mode not in Mode.values:
        raise ValueError(f"Unknown mode {mode!r}; expected one of {', '.join(Mode.values)}.")
    open_attempt = _open_attempt(user, case, mode)
    if open_attempt is not None:
        return open_attempt
    if not case.is_active or case.current_version_id is None:
        raise CaseUnavailable(f"The case '{case.title}' is not available.")
    version = case.current_version
    definition = parsed_case(version)
    state = start(definition)
    attempt = Attempt(
        user=user,
        case=case,
        case_version=version,
        mode=mode,
        correct_level=definition.localization.answer,
        state=state_snapshot(state, 0),
        **_summary(state),
    )
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:
        # A second click got there first: resume the attempt it made.
        found = _open_attempt(user, case, mode)
        if found is None:
            raise
        return found
    return attempt


def _open_attempt(user, case: Case, mode: str) -> Attempt | None:
    return (
        Attempt.objects.filter(user=user, case=case, mode=mode, status=Status.IN_PROGRESS)
        .select_related("case_version")
        .defer("case_version__definition")
        .first()
    )


# What an event needs of its attempt, in one plain read by primary key (the ORM's query
# building costs more than the query): the columns the engine and the page use, and the
# version's content hash, the key of the parsed-case cache. Other fields load if touched.
_EVENT_READ = """
    SELECT a.id, a.user_id, a.case_version_id, a.mode, a.status, a.event_count, a.state,
           v.content_hash AS version_hash
    FROM cases_attempt a
    JOIN cases_caseversion v ON v.id = a.case_version_id
    WHERE a.id = %s AND a.user_id = %s
"""


def _current(attempt: Attempt | int, user) -> Attempt:
    """The user's attempt as it stands, read for one event; Attempt.DoesNotExist otherwise."""
    pk = attempt.pk if isinstance(attempt, Attempt) else attempt
    found = list(Attempt.objects.raw(_EVENT_READ, [pk, user.pk]))
    if not found:
        raise Attempt.DoesNotExist(f"No attempt {pk} for this user.")
    return found[0]


class _Overtaken(Exception):
    """Another request recorded this attempt's next event first."""


def record_event(
    *, attempt: Attempt | int, user, event: Mapping[str, Any], expected_seq: int
) -> Outcome:
    """Apply one learner event to their attempt, append it, and update the summary row.

    `attempt` may be the Attempt or its id: the row is read again either way. `expected_seq`
    is the number of events the learner's page had seen; if more have been recorded since, the
    request is a replay (a double click, a resent form) and nothing is written. Raises
    Attempt.DoesNotExist if the attempt is not the user's. On the event that finishes the
    attempt, every score is written.

    Two requests for one attempt never both record: the event is inserted as number
    `expected_seq + 1` under the unique (attempt, seq) constraint, in the same transaction as
    the summary update (which also requires the count it read). The second request waits for
    the first to commit (PostgreSQL: the unique index; SQLite: the IMMEDIATE transaction),
    then fails the insert and is answered as stale. So no lock is held while the engine
    works, only for the two writes.
    """
    current = _current(attempt, user)
    case = parsed_case_by_hash(current.version_hash, current.case_version_id)
    state = attempt_state(current, case)

    def refused(reason: str, message: str, now: Attempt = current) -> Outcome:
        now_state = state if now is current else attempt_state(now, case)
        return Outcome(False, now, case, now_state, message=message, reason=reason)

    if current.status == Status.FINISHED:
        return refused("finished", FINISHED_MESSAGE)
    if expected_seq != current.event_count:
        return refused("stale", STALE_MESSAGE)
    try:
        new_state = apply(case, state, event)
    except EventRejected as rejected:
        return refused("rejected", rejected.message)

    seq = expected_seq + 1
    changed = _summary(new_state)
    changed["event_count"] = seq
    changed["state"] = state_snapshot(new_state, seq)
    try:
        with transaction.atomic():
            AttemptEvent.objects.create(attempt_id=current.pk, seq=seq, event=dict(event))
            if new_state.finished:
                recorded = _finish(current.pk, case, new_state, changed)
            else:
                written = Attempt.objects.filter(pk=current.pk, event_count=expected_seq).update(
                    **changed, updated_at=timezone.now()
                )
                if written != 1:
                    raise _Overtaken
                for name, value in changed.items():
                    setattr(current, name, value)
                recorded = current
    except (IntegrityError, _Overtaken):
        return refused("stale", STALE_MESSAGE, now=_current(current.pk, user))
    return Outcome(True, recorded, case, new_state, before=state)


def _finish(pk: int, case: CaseDefinition, state: AttemptState, changed: dict) -> Attempt:
    """Write the finishing event's row through save(), whose hooks count what the dashboards
    read; rare enough to read the whole row for it."""
    attempt = (
        Attempt.objects.select_related("case_version").defer("case_version__definition").get(pk=pk)
    )
    changed = {**changed, **_final_fields(case, state)}
    for name, value in changed.items():
        setattr(attempt, name, value)
    attempt.save(update_fields=[*changed, "updated_at"])
    return attempt


def _unit(value: float) -> float:
    """Scores are stored within 0..1 (the database checks it); float sums can overshoot."""
    return min(1.0, max(0.0, float(value)))


def _score_values(case: CaseDefinition, state: AttemptState) -> dict[str, float]:
    """The score fields of an attempt row for a finished state, each within 0..1."""
    result = score(case, state)
    return {name: _unit(getattr(result, name.removeprefix("score_"))) for name in SCORE_FIELDS}


def _final_fields(case: CaseDefinition, state: AttemptState) -> dict[str, Any]:
    answer = state.answer  # a finished state always holds the committed answer
    return {
        "status": Status.FINISHED,
        "finished_at": timezone.now(),
        "chosen_level": answer.level,
        "diagnosis": answer.diagnosis,
        "diagnosis_correct": (
            answer.diagnosis == case.diagnosis.answer if answer.diagnosis else None
        ),
        "confidence": answer.confidence,
        "scoring_version": SCORING_VERSION,
        **_score_values(case, state),
    }


def replay_attempt(attempt: Attempt) -> AttemptState:
    """The attempt's state rebuilt from its events on its own case version (audits, recovery)."""
    return replay(parsed_case(attempt.case_version), attempt_events(attempt))


@dataclass(frozen=True)
class Rescored:
    """One finished attempt scored again: the values before and after (0..1, by part name)."""

    attempt: Attempt
    old: dict[str, float | None]
    new: dict[str, float]
    revision: ScoreRevision | None  # None on a dry run or when the attempt was already current


def rescore_attempt(*, attempt: Attempt, dry_run: bool = False) -> Rescored:
    """Score a finished attempt again under the current rules, on its own case version.

    The old scores are kept in a ScoreRevision row and the attempt row takes the new ones (so
    every dashboard shows them); an attempt already scored under the current rules, or a dry
    run, changes nothing. The events are replayed, never the cached snapshot, so the result is
    what the rules make of what the learner did.
    """
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("case_version")
            .get(pk=attempt.pk)
        )
        if locked.status != Status.FINISHED:
            raise ValueError(f"Attempt {locked.pk} is not finished, so it has no score.")
        case = parsed_case(locked.case_version)
        state = replay(case, attempt_events(locked))
        old = {part: getattr(locked, f"score_{part}") for part in SCORE_PARTS}
        new_fields = _score_values(case, state)
        new = {part: new_fields[f"score_{part}"] for part in SCORE_PARTS}
        if dry_run or locked.scoring_version >= SCORING_VERSION:
            return Rescored(locked, old, new, None)
        revision = ScoreRevision(
            attempt=locked,
            from_version=locked.scoring_version,
            to_version=SCORING_VERSION,
            **{f"old_{part}": value for part, value in old.items()},
            **{f"new_{part}": value for part, value in new.items()},
        )
        revision.full_clean()
        revision.save()
        for name, value in new_fields.items():
            setattr(locked, name, value)
        locked.scoring_version = SCORING_VERSION
        locked.save(update_fields=[*new_fields, "scoring_version", "updated_at"])
    return Rescored(locked, old, new, revision)
