"""Query counts: an action, the play page, the library and the debrief each cost the same
handful of queries however long the attempt or however many cases and attempts there are."""

import pytest
from django.urls import reverse

from cases.content import content_hash
from cases.models import Attempt, Case, CaseVersion
from cases.services import start_attempt
from tests.cases.conftest import commit, play, take
from tests.querycount import assert_constant_queries

HTMX = {"HTTP_HX_REQUEST": "true"}

# user, the attempt row (with its version's hash), one event insert, one summary update, and
# the transaction's begin and end around the two writes (savepoints inside the test's
# transaction).
ACTION_QUERIES = 6


def grow_attempt(attempt: Attempt, to: int) -> Attempt:
    """FVC is repeatable in every stage, so an attempt can grow to any length."""
    attempt = Attempt.objects.get(pk=attempt.pk)
    return play(attempt, *[take("fvc")] * (to - attempt.event_count))


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_an_action_costs_the_same_queries_at_5_and_200_events(client, pocket_attempt, headers):
    client.force_login(pocket_attempt.user)
    seen = {"seq": grow_attempt(pocket_attempt, 5).event_count}

    def act():
        response = client.post(
            reverse("cases:act", args=[pocket_attempt.pk]),
            {"seq": seen["seq"], "action": "fvc"},
            **headers,
        )
        assert response.status_code in (200, 302)
        assert b"play-error" not in response.content
        seen["seq"] += 1

    def grow():
        seen["seq"] = grow_attempt(pocket_attempt, 200).event_count

    assert_constant_queries(act, grow, expected=ACTION_QUERIES)
    assert Attempt.objects.get(pk=pocket_attempt.pk).event_count == 201


def test_the_play_page_costs_the_same_queries_at_5_and_200_events(client, pocket_attempt):
    client.force_login(pocket_attempt.user)
    grow_attempt(pocket_attempt, 5)

    def page():
        response = client.get(reverse("cases:play", args=[pocket_attempt.pk]))
        assert response.status_code == 200

    # user, attempt with its version
    assert_constant_queries(page, lambda: grow_attempt(pocket_attempt, 200), expected=2)


def add_cases(n: int, template: CaseVersion) -> list[Case]:
    made = []
    for i in range(n):
        definition = {**template.definition, "id": f"extra-{i}", "title": f"Extra case {i}"}
        case = Case.objects.create(
            slug=f"extra-{i}", title=f"Extra case {i}", level="muscle", difficulty="hard"
        )
        case.current_version = CaseVersion.objects.create(
            case=case, number=1, content_hash=content_hash(definition), definition=definition
        )
        case.save()
        made.append(case)
    return made


def test_the_library_costs_the_same_queries_for_1_and_20_cases(client, pocket_attempt):
    user = pocket_attempt.user
    client.force_login(user)

    def library():
        response = client.get(reverse("cases:library"))
        assert response.status_code == 200

    def grow():
        for case in add_cases(19, pocket_attempt.case_version):
            play(start_attempt(user=user, case=case, mode="training"), commit())
            start_attempt(user=user, case=case, mode="assessment")

    # user, the cases with the learner's results as subqueries
    assert_constant_queries(library, grow, expected=2)


def test_the_library_for_a_visitor_is_one_query(client, pocket_case):
    assert_constant_queries(
        lambda: client.get(reverse("cases:library")),
        lambda: add_cases(19, pocket_case.current_version),
        expected=1,
    )


def test_the_debrief_costs_the_same_queries_for_1_and_20_attempts(client, pocket_attempt):
    user = pocket_attempt.user
    client.force_login(user)
    target = [play(pocket_attempt, take("hx-fatigue"), commit())]

    def debrief():
        response = client.get(reverse("cases:debrief", args=[target[0].pk]))
        assert response.status_code == 200

    def grow():
        for _ in range(19):
            attempt = start_attempt(user=user, case=pocket_attempt.case, mode="training")
            target[0] = play(grow_attempt(attempt, 40), commit())

    # user, attempt with its version, its events, the titles of the lessons behind the case
    assert_constant_queries(debrief, grow, expected=4)


def test_a_click_from_an_out_of_date_page_costs_the_same_queries_at_5_and_200_events(
    client, pocket_attempt
):
    client.force_login(pocket_attempt.user)
    grow_attempt(pocket_attempt, 5)

    def stale():
        response = client.post(
            reverse("cases:act", args=[pocket_attempt.pk]), {"seq": 1, "action": "ck"}, **HTMX
        )
        assert response.status_code == 200
        assert b"This page was out of date" in response.content

    # user, the attempt row, and one read of the events recorded since the page was drawn (at
    # most two of them): a stale click writes nothing, so opens no transaction.
    assert_constant_queries(stale, lambda: grow_attempt(pocket_attempt, 200), expected=3)
