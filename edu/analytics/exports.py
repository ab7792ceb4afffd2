"""Downloads: any page's table as CSV, and case-attempt events as xAPI 1.0.3 statements.

CSV cells are made inert for spreadsheets: a text cell beginning with =, +, -, @, |, %, a tab
or a carriage return would be read as a formula, so it gets a leading apostrophe. Numbers
stay numbers (a negative discrimination is a number, not a formula).

xAPI statements go out as JSON lines, one per stored event, for a learning record store: the
learner as an account on this site (its id, never an e-mail), an ADL verb, the case (or the
case's action) as the object, a result with the score on the finishing event, the event's
time, and a context naming the learner's cohort(s) and the case version.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse

from cases.models import AttemptEvent
from edu.charts import Table
from edu.cohorts.models import Enrolment
from edu.spreadsheets import defuse

from .filters import Scope
from .selectors import case_attempts


def inert(value: Any) -> Any:
    """A cell a spreadsheet will show as text, never evaluate."""
    return defuse(value) if isinstance(value, str) else value


def csv_rows(table: Table) -> Iterator[list[Any]]:
    yield [inert(c) for c in table.columns]
    for row in table.rows:
        yield ["" if v is None else inert(v) for v in row]


def csv_text(table: Table) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(csv_rows(table))
    return buffer.getvalue()


def csv_response(table: Table, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(iter([csv_text(table)]), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


# --- xAPI ------------------------------------------------------------------------------------

VERBS = {
    "take_action": ("http://adlnet.gov/expapi/verbs/interacted", "interacted"),
    "choose_decision": ("http://adlnet.gov/expapi/verbs/interacted", "interacted"),
    "record_localization": ("http://adlnet.gov/expapi/verbs/responded", "responded"),
    "commit": ("http://adlnet.gov/expapi/verbs/completed", "completed"),
}
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
INTERACTION = "http://adlnet.gov/expapi/activities/interaction"
COHORT_TYPE = "http://adlnet.gov/expapi/activities/course"


def _uuid(base: str, *parts: Any) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, base + "/".join(str(p) for p in parts)))


def statement(event: AttemptEvent, *, base: str, cohorts: Iterable[tuple[int, str]]) -> dict:
    """One xAPI 1.0.3 statement for one stored case event. `base` is the site's root IRI."""
    attempt = event.attempt
    case = attempt.case
    kind = event.event.get("type", "")
    verb_id, verb_name = VERBS.get(kind, VERBS["take_action"])
    case_iri = f"{base}cases/{case.slug}/"
    case_activity = {
        "objectType": "Activity",
        "id": case_iri,
        "definition": {"name": {"en": case.title}, "type": SIMULATION},
    }
    if kind in ("take_action", "choose_decision"):
        action = str(event.event.get("action", ""))
        obj = {
            "objectType": "Activity",
            "id": f"{case_iri}actions/{action}",
            "definition": {"name": {"en": action}, "type": INTERACTION},
        }
    else:
        obj = case_activity
    context: dict[str, Any] = {
        "registration": _uuid(base, "attempt", attempt.pk),
        "platform": "Motor Unit",
        "language": "en",
        "contextActivities": {
            "grouping": [
                {
                    "objectType": "Activity",
                    "id": f"{base}cohorts/{cohort_id}/",
                    "definition": {"name": {"en": name}, "type": COHORT_TYPE},
                }
                for cohort_id, name in cohorts
            ]
        },
        "extensions": {
            f"{base}xapi/case-version": attempt.case_version.number,
            f"{base}xapi/mode": attempt.mode,
        },
    }
    if obj is not case_activity:
        context["contextActivities"]["parent"] = [case_activity]
    result: dict[str, Any] | None = None
    if kind == "record_localization":
        result = {"response": str(event.event.get("level", ""))}
    elif kind == "commit" and attempt.score_overall is not None:
        result = {
            "score": {
                "scaled": round(attempt.score_overall, 4),
                "raw": round(attempt.score_overall * 100, 1),
                "min": 0,
                "max": 100,
            },
            "success": attempt.chosen_level == attempt.correct_level,
            "completion": True,
            "response": attempt.chosen_level,
            "extensions": {
                f"{base}xapi/localization": attempt.score_localization,
                f"{base}xapi/thoroughness": attempt.score_thoroughness,
                f"{base}xapi/efficiency": attempt.score_efficiency,
                f"{base}xapi/safety": attempt.score_safety,
                f"{base}xapi/diagnosis": attempt.score_diagnosis,
            },
        }
        if attempt.finished_at:
            seconds = max(0, int((attempt.finished_at - attempt.started_at).total_seconds()))
            result["duration"] = f"PT{seconds}S"
    stmt = {
        "id": _uuid(base, "attempt", attempt.pk, "event", event.seq),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": base, "name": str(attempt.user_id)},
        },
        "verb": {"id": verb_id, "display": {"en-US": verb_name}},
        "object": obj,
        "context": context,
        "timestamp": event.created_at.isoformat().replace("+00:00", "Z"),
        "version": "1.0.3",
    }
    if result is not None:
        stmt["result"] = result
    return stmt


def xapi_lines(scope: Scope, *, base: str) -> Iterator[str]:
    """Every event of the scope's case attempts as a JSON line, streamed in chunks.

    Two queries whatever the size: the learners' cohorts, then the events (read in chunks).
    """
    attempts = case_attempts(scope)
    memberships = Enrolment.objects.filter(learner_id__in=attempts.values("user_id"))
    if scope.cohort is not None:
        memberships = memberships.filter(cohort=scope.cohort)
    cohorts: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for learner_id, cohort_id, name in memberships.values_list(
        "learner_id", "cohort_id", "cohort__name"
    ).order_by("cohort__name"):
        cohorts[learner_id].append((cohort_id, name))
    events = (
        AttemptEvent.objects.filter(attempt__in=attempts)
        .select_related("attempt__case", "attempt__case_version")
        .only(
            "seq",
            "event",
            "created_at",
            "attempt__id",
            "attempt__user_id",
            "attempt__mode",
            "attempt__started_at",
            "attempt__finished_at",
            "attempt__chosen_level",
            "attempt__correct_level",
            *(
                f"attempt__score_{p}"
                for p in (
                    "overall",
                    "localization",
                    "thoroughness",
                    "efficiency",
                    "safety",
                    "diagnosis",
                )
            ),
            "attempt__case__slug",
            "attempt__case__title",
            "attempt__case_version__number",
        )
        .order_by("attempt_id", "seq")
    )
    for event in events.iterator(chunk_size=2000):
        stmt = statement(event, base=base, cohorts=cohorts.get(event.attempt.user_id, ()))
        yield json.dumps(stmt, separators=(",", ":")) + "\n"


def xapi_response(scope: Scope, *, base: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        xapi_lines(scope, base=base), content_type="application/x-ndjson"
    )
    response["Content-Disposition"] = 'attachment; filename="case-events.xapi.jsonl"'
    return response
