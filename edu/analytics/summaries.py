"""Writing a finished case attempt's summary row, the moment it finishes.

A post_save receiver on cases.Attempt (connected in apps.py) does it, so the cases app's hot
path stays as it is: every save but the finishing one returns at the first line. The seeding
command builds the same rows in bulk with `summary_fields`.
"""

from __future__ import annotations

import logging
from typing import Any

from cases.engine.schema import Case as CaseDefinition
from cases.engine.scoring import score
from cases.engine.state import AttemptState
from cases.models import Attempt, Status
from cases.selectors import attempt_state, parsed_case

from .models import CaseAttemptSummary

log = logging.getLogger(__name__)

OPENING_MOVES = 3


def summary_fields(case: CaseDefinition, state: AttemptState) -> dict[str, Any]:
    """The engine-derived figures of a finished attempt's state."""
    result = score(case, state)
    opening = " → ".join(
        case.action_by_id[step.action].label for step in state.steps[:OPENING_MOVES]
    )
    return {
        "critical_missed": len(result.missed_critical_actions),
        "harmful_taken": len(result.harmful_actions_taken),
        "deteriorations": len(result.deteriorations),
        "opening": opening[:400],
    }


def _engine_fields(attempt: Attempt) -> dict[str, Any]:
    try:
        case = parsed_case(attempt.case_version)
        return summary_fields(case, attempt_state(attempt, case))
    except Exception as problem:  # noqa: BLE001
        # A version the engine cannot read (or any other fault) must never stop a learner's
        # attempt from finishing: keep the row, without the engine's figures.
        log.warning("attempt %s: no engine summary (%s)", attempt.pk, problem)
        return {"critical_missed": None, "harmful_taken": None, "deteriorations": None}


def summarise_attempt(attempt: Attempt) -> CaseAttemptSummary | None:
    """Write (or rewrite) the summary of a finished attempt; None for an open one."""
    if attempt.status != Status.FINISHED or attempt.finished_at is None:
        return None
    seconds = max(0, int((attempt.finished_at - attempt.started_at).total_seconds()))
    summary, _ = CaseAttemptSummary.objects.update_or_create(
        attempt=attempt,
        defaults={
            "user_id": attempt.user_id,
            "case_id": attempt.case_id,
            "case_version_id": attempt.case_version_id,
            "finished_at": attempt.finished_at,
            "real_seconds": seconds,
            **_engine_fields(attempt),
        },
    )
    return summary


def on_attempt_saved(sender, instance: Attempt, raw: bool = False, **kwargs) -> None:
    if raw or instance.status != Status.FINISHED:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "status" not in update_fields:
        return
    summarise_attempt(instance)
