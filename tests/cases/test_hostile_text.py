"""Case text is shown as text: markup in any field of a case file never runs on a page.

Every text field of the pocket case (title, summary, vignette, stage titles and descriptions,
action labels, findings, values, normal ranges, teaching points, rule messages, the
localization explanation, diagnosis labels) gets one of tests/hostile_markup.py's payloads.
The case is loaded as an author's file would be and played to the end; the library, the play
page, the debrief, the instructor's view of the attempt and the analytics page must carry no
live script, handler, style, frame or script URL, and must show the payloads as text.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case
from tests.cases.conftest import choose, commit, load, mini_case_text, play, take
from tests.factories import ProgramAdminFactory, teacher_of
from tests.hostile_markup import PAYLOADS, live_markup_problems, shown_alerts

TEXT_KEYS = (
    "title|summary|complaint|vignette|description|label|finding|value|normal|teaching|message"
    "|explanation"
)


def hostile_case_text() -> str:
    count = 0

    def spike(match: re.Match) -> str:
        nonlocal count
        payload = PAYLOADS[count % len(PAYLOADS)]
        count += 1
        return f'{match["key"]} = "{match["text"]} {payload}"'

    text = re.sub(
        rf'^(?P<key>{TEXT_KEYS}) = "(?P<text>[^"]*)"$', spike, mini_case_text(), flags=re.M
    )
    assert count >= len(PAYLOADS)
    return text


@pytest.fixture
def hostile_attempt(db, content_dir, learner):
    (content_dir / "cases" / "pocket-myasthenia.toml").write_text(
        hostile_case_text(), encoding="utf-8"
    )
    load(content_dir)
    case = Case.objects.get(slug="pocket-myasthenia")
    attempt = services.start_attempt(user=learner, case=case, mode="training")
    return case, play(attempt, take("hx-fatigue"), take("ck"), take("fvc"), choose("admit"))


def assert_shown_as_text(html: str, where: str) -> set[int]:
    assert live_markup_problems(html) == [], where
    return shown_alerts(html)


def test_case_text_never_runs_on_any_page_that_shows_it(client, hostile_attempt):
    case, attempt = hostile_attempt
    client.force_login(attempt.user)
    shown = set()
    for url in (reverse("cases:library"), reverse("cases:play", args=[attempt.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        shown |= assert_shown_as_text(response.content.decode(), url)
    action = client.post(
        reverse("cases:act", args=[attempt.pk]),
        {"seq": attempt.event_count, "action": "exam-ptosis"},
        HTTP_HX_REQUEST="true",
    )
    shown |= assert_shown_as_text(action.content.decode(), "the htmx answer to an action")
    attempt = play(type(attempt).objects.get(pk=attempt.pk), commit())
    debrief = client.get(reverse("cases:debrief", args=[attempt.pk]))
    shown |= assert_shown_as_text(debrief.content.decode(), "debrief")

    instructor, cohort = teacher_of(attempt.user, kind="case", target=case)
    client.force_login(instructor)
    seen = client.get(reverse("cohorts:case-attempt", args=[cohort.pk, attempt.pk]))
    assert seen.status_code == 200
    shown |= assert_shown_as_text(seen.content.decode(), "instructor's view")
    client.force_login(ProgramAdminFactory())
    analytics = client.get(reverse("analytics:case", args=[case.slug]))
    assert analytics.status_code == 200
    shown |= assert_shown_as_text(analytics.content.decode(), "analytics")
    # Every payload reached some page, as text: the check above looked at real markup.
    assert shown == set(range(101, 101 + len(PAYLOADS)))
