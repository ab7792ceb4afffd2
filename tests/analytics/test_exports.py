"""Downloads: CSV that a spreadsheet cannot turn into a formula, and xAPI 1.0.3 statements
whose shape a learning record store would accept."""

import csv
import io
import json
import re
import uuid
from datetime import datetime

import pytest
from django.urls import reverse

from edu.analytics.exports import inert
from tests.analytics.conftest import grow_program
from tests.factories import EnrolmentFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def download(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "|", "%", "\t", "\r"])
def test_cells_that_would_be_formulas_are_made_text(start):
    assert inert(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


def test_numbers_and_plain_text_are_left_alone():
    assert inert(-0.25) == -0.25
    assert inert(3) == 3
    assert inert("Alpha") == "Alpha"


def test_a_cohort_named_as_a_formula_downloads_as_text(admin_client_role, program):
    program["alpha"].name = '=HYPERLINK("http://evil.example","click")'
    program["alpha"].save()
    text = download(admin_client_role, reverse("analytics:index-csv", args=["cohorts"]))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Cohort"
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","click")' in names
    assert not any(name.startswith("=") for name in names)


def test_csv_matches_the_page_and_keeps_numbers_as_numbers(admin_client_role, quiz_a):
    url = reverse("analytics:quiz-csv", args=[quiz_a["quiz"].slug, "items"])
    rows = list(csv.reader(io.StringIO(download(admin_client_role, url))))
    header, *body = rows
    assert header[:3] == ["Question", "Responses", "Facility"]
    q4 = next(row for row in body if row[0] == "q4")
    assert float(q4[3]) == -1.0  # a negative D is a number, not a neutralised formula
    assert float(q4[2]) == 0.5


def test_the_csv_honours_the_cohort_filter(admin_client_role, program):
    url = reverse("analytics:index-csv", args=["cohorts"])
    text = download(admin_client_role, url, cohort=program["beta"].pk)
    assert "Beta rotation" in text and "Alpha rotation" not in text


# --- xAPI -----------------------------------------------------------------------------------

IRI = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$")
ADL_VERB = re.compile(r"^http://adlnet\.gov/expapi/verbs/[a-z-]+$")


def statement_problems(s: dict) -> list[str]:
    """What in a statement breaks the xAPI 1.0.3 rules a record store checks first."""
    problems = []
    try:
        uuid.UUID(s["id"])
    except (KeyError, ValueError):
        problems.append("id is not a UUID")
    actor = s.get("actor", {})
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in actor]
    if actor.get("objectType", "Agent") != "Agent" or len(ifis) != 1:
        problems.append("actor must be an Agent with exactly one identifier")
    account = actor.get("account", {})
    if not IRI.match(account.get("homePage", "")) or not account.get("name"):
        problems.append("account needs a homePage IRI and a name")
    verb = s.get("verb", {})
    if not ADL_VERB.match(verb.get("id", "")) or not verb.get("display"):
        problems.append("verb must be an ADL IRI with a display")
    obj = s.get("object", {})
    if obj.get("objectType") != "Activity" or not IRI.match(obj.get("id", "")):
        problems.append("object must be an Activity with an IRI id")
    if "result" in s and "score" in s["result"]:
        score = s["result"]["score"]
        if not -1 <= score["scaled"] <= 1 or not score["min"] <= score["raw"] <= score["max"]:
            problems.append("score out of range")
    try:
        stamp = datetime.fromisoformat(s["timestamp"].replace("Z", "+00:00"))
        if stamp.tzinfo is None:
            problems.append("timestamp without a timezone")
    except (KeyError, ValueError):
        problems.append("timestamp is not ISO 8601")
    context = s.get("context", {})
    try:
        uuid.UUID(context["registration"])
    except (KeyError, ValueError):
        problems.append("context.registration is not a UUID")
    for key in context.get("extensions", {}):
        if not IRI.match(key):
            problems.append(f"extension key {key} is not an IRI")
    for group in context.get("contextActivities", {}).values():
        if not all(IRI.match(a.get("id", "")) for a in group):
            problems.append("context activity without an IRI")
    return problems


def xapi(client, **params) -> list[dict]:
    text = download(client, reverse("analytics:xapi"), **params)
    return [json.loads(line) for line in text.splitlines()]


def test_xapi_statements_have_the_shape_a_record_store_accepts(admin_client_role, program):
    statements = xapi(admin_client_role)
    assert statements
    for s in statements:
        assert statement_problems(s) == [], s
    assert len({s["id"] for s in statements}) == len(statements)


def test_a_finished_attempt_ends_with_a_completed_statement_and_its_score(
    admin_client_role, program
):
    statements = xapi(admin_client_role)
    completed = [s for s in statements if s["verb"]["id"].endswith("/completed")]
    assert len(completed) == 4
    wrong = next(s for s in completed if s["result"]["response"] == "muscle")
    assert wrong["result"]["success"] is False
    assert 0 <= wrong["result"]["score"]["scaled"] < 1
    cohort = wrong["context"]["contextActivities"]["grouping"][0]
    assert cohort["definition"]["name"]["en"] == "Alpha rotation"
    version_key = next(k for k in wrong["context"]["extensions"] if k.endswith("case-version"))
    assert wrong["context"]["extensions"][version_key] == 1
    action = next(s for s in statements if s["verb"]["id"].endswith("/interacted"))
    assert "/actions/" in action["object"]["id"]
    assert action["context"]["contextActivities"]["parent"][0]["id"].endswith(
        "/cases/pocket-myasthenia/"
    )


def test_xapi_honours_the_cohort_filter(admin_client_role, program):
    beta = xapi(admin_client_role, cohort=program["beta"].pk)
    actors = {s["actor"]["account"]["name"] for s in beta}
    assert actors == {str(program["learners"][3].pk)}


def test_a_learner_in_two_cohorts_is_grouped_under_both(admin_client_role, program):
    learner = program["learners"][3]
    EnrolmentFactory(cohort=program["alpha"], learner=learner)
    statements = [
        s for s in xapi(admin_client_role) if s["actor"]["account"]["name"] == str(learner.pk)
    ]
    names = {
        a["definition"]["name"]["en"]
        for a in statements[0]["context"]["contextActivities"]["grouping"]
    }
    assert names == {"Alpha rotation", "Beta rotation"}


def test_xapi_export_costs_the_same_queries_for_more_attempts(admin_client_role, program):
    def fetch():
        assert xapi(admin_client_role)

    assert_constant_queries(fetch, lambda: grow_program(program), expected=3)
