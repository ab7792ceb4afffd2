"""The case pages over HTTP: access, each interaction with and without htmx, bad input."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cases.models import Attempt, AttemptEvent
from tests.cases.conftest import choose, commit, play, take
from tests.factories import LearnerFactory


def url(name, attempt):
    return reverse(f"cases:{name}", args=[attempt.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def events_of(attempt) -> list:
    return list(AttemptEvent.objects.filter(attempt=attempt).values_list("seq", "event"))


HTMX = {"HTTP_HX_REQUEST": "true"}


# ---- access


@pytest.mark.parametrize("name", ["play", "debrief"])
def test_anonymous_visitor_is_sent_to_sign_in(client, pocket_attempt, name):
    response = client.get(url(name, pocket_attempt))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("name", ["act", "localize", "commit"])
def test_anonymous_post_is_sent_to_sign_in(client, pocket_attempt, name):
    response = client.post(url(name, pocket_attempt), {"seq": 0, "action": "ck"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert events_of(pocket_attempt) == []


@pytest.mark.parametrize(
    "method,name,data",
    [
        ("get", "play", None),
        ("get", "debrief", None),
        ("post", "act", {"seq": 0, "action": "ck"}),
        ("post", "localize", {"seq": 0, "level": "muscle"}),
        ("post", "commit", {"seq": 0, "level": "muscle"}),
    ],
)
def test_another_learners_attempt_is_not_found(client, pocket_attempt, method, name, data):
    client.force_login(LearnerFactory())
    response = getattr(client, method)(url(name, pocket_attempt), data)
    assert response.status_code == 404
    assert events_of(pocket_attempt) == []


def test_starting_needs_an_account(client, pocket_case):
    response = client.post(reverse("cases:start", args=[pocket_case.slug]), {"mode": "training"})
    assert response.status_code == 302
    assert Attempt.objects.count() == 0


def test_library_is_open_to_everyone(client, pocket_case):
    response = client.get(reverse("cases:library"))
    assert response.status_code == 200
    assert "A drooping evening" in response.content.decode()
    assert "Sign in</a> to work this case" in response.content.decode()


# ---- library, start, resume


def test_library_offers_start_then_resume(client, learner, pocket_case):
    client.force_login(learner)
    page = client.get(reverse("cases:library")).content.decode()
    assert "Start training" in page and "Start assessment" in page
    client.post(reverse("cases:start", args=[pocket_case.slug]), {"mode": "training"})
    attempt = Attempt.objects.get()
    page = client.get(reverse("cases:library")).content.decode()
    assert "Resume training" in page and "Start assessment" in page
    assert url("play", attempt) in page


def test_library_shows_the_last_result(client, pocket_attempt):
    play(pocket_attempt, commit(level="muscle"))
    client.force_login(pocket_attempt.user)
    page = client.get(reverse("cases:library")).content.decode()
    assert "Last result" in page
    assert url("debrief", pocket_attempt) in page


def test_start_redirects_to_the_play_page(client, learner, pocket_case):
    client.force_login(learner)
    response = client.post(reverse("cases:start", args=[pocket_case.slug]), {"mode": "assessment"})
    attempt = Attempt.objects.get()
    assert response["Location"] == url("play", attempt)
    assert attempt.mode == "assessment"


def test_start_with_an_unknown_mode_starts_nothing(client, learner, pocket_case):
    client.force_login(learner)
    response = client.post(reverse("cases:start", args=[pocket_case.slug]), {"mode": "exam"})
    assert response["Location"] == reverse("cases:library")
    assert Attempt.objects.count() == 0


def test_start_of_an_unknown_case_is_not_found(client, learner, pocket_case):
    client.force_login(learner)
    response = client.post(reverse("cases:start", args=["no-such-case"]), {"mode": "training"})
    assert response.status_code == 404


def test_a_learner_can_leave_and_resume(client, pocket_attempt):
    client.force_login(pocket_attempt.user)
    client.post(url("act", pocket_attempt), {"seq": 0, "action": "hx-fatigue"})
    client.logout()
    client.force_login(pocket_attempt.user)
    client.post(reverse("cases:start", args=[pocket_attempt.case.slug]), {"mode": "training"})
    page = client.get(url("play", pocket_attempt)).content.decode()
    assert "Worse by evening and after exertion" in page
    assert 'name="seq" value="1"' in page


# ---- the play page


@pytest.fixture
def signed_in(client, pocket_attempt):
    client.force_login(pocket_attempt.user)
    return client


def test_play_page_shows_vignette_stage_and_grouped_actions(signed_in, pocket_attempt):
    page = signed_in.get(url("play", pocket_attempt)).content.decode()
    assert "eyelids droop and her grip tires" in page
    assert "Clinic room" in page
    for legend in ("History", "Examination", "Tests", "Treatment", "Decisions"):
        assert f"<legend>{legend}</legend>" in page
    assert "30 min · cost 20" in page  # creatine kinase: its minutes and cost


def test_an_action_posts_and_redirects_back_with_the_finding_charted(signed_in, pocket_attempt):
    response = signed_in.post(url("act", pocket_attempt), {"seq": 0, "action": "ck"})
    # Without JavaScript the page opens at the finding, not at the top of a long page.
    assert response.status_code == 302
    assert response["Location"] == url("play", pocket_attempt) + "#play-grid"
    page = signed_in.get(url("play", pocket_attempt)).content.decode()
    assert "95 U/L" in page and "Normal: 25-200 U/L" in page and "In range" in page
    assert "A normal CK argues against a myopathy." in page  # training: teaching at once


def test_assessment_mode_keeps_teaching_for_the_debrief(client, learner, pocket_case):
    from cases.services import start_attempt

    attempt = start_attempt(user=learner, case=pocket_case, mode="assessment")
    client.force_login(learner)
    client.post(url("act", attempt), {"seq": 0, "action": "ck"})
    page = client.get(url("play", attempt)).content.decode()
    assert "95 U/L" in page
    assert "A normal CK argues against a myopathy." not in page


def test_an_htmx_action_answers_with_what_changed_not_the_play_area(signed_in, pocket_attempt):
    attempt = play(pocket_attempt, take("ck"))
    response = signed_in.post(url("act", attempt), {"seq": 1, "action": "fvc"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="play-area"' not in body and "<html" not in body
    # The finding goes into the live region that announces it; the rest is out of band.
    assert response["HX-Retarget"] == "#latest-finding"
    assert response["HX-Reswap"].startswith("innerHTML")
    assert body.lstrip().startswith('<div class="latest-card">')
    assert "1.6 L (23 mL/kg)" in body and "Low" in body
    assert "<dd>35 min</dd>" in body and "<dd>30</dd>" in body  # clock and spend
    assert 'hx-swap-oob="afterbegin:#chart"' in body
    assert 'name="seq" value="2" hx-swap-oob="outerHTML:#play-area input[name=seq]"' in body
    # Only the tests group changed (FVC now says "repeat"); history and the rest stay as drawn.
    assert 'id="group-test" hx-swap-oob="true"' in body and "repeat" in body
    assert 'id="group-history"' not in body and "Ask when the weakness is worst" not in body
    assert len(response.content) < 4000, len(response.content)


def test_the_first_htmx_action_draws_the_chart_and_commit_bar(signed_in, pocket_attempt):
    body = signed_in.post(
        url("act", pocket_attempt), {"seq": 0, "action": "ck"}, **HTMX
    ).content.decode()
    assert 'id="play-area"' not in body
    assert 'id="play-chart" aria-labelledby="chart-h" hx-swap-oob="true"' in body
    assert '<div hx-swap-oob="beforebegin:#commit"><nav class="commit-bar"' in body.replace(
        "\n  ", ""
    )
    assert "95 U/L" in body


def test_an_action_that_empties_its_group_deletes_the_group(signed_in, pocket_attempt):
    body = signed_in.post(
        url("act", pocket_attempt), {"seq": 0, "action": "steroid-burst"}, **HTMX
    ).content.decode()
    assert 'id="play-area"' not in body
    assert '<form id="group-treatment" hx-swap-oob="delete"></form>' in body


def test_a_decision_over_htmx_draws_the_whole_play_area(signed_in, pocket_attempt):
    body = signed_in.post(
        url("act", pocket_attempt), {"seq": 0, "decision": "admit"}, **HTMX
    ).content.decode()
    assert body.lstrip().startswith('<div id="play-area"')
    assert "Neurology ward" in body and 'name="seq" value="1"' in body


def test_the_action_after_an_alert_draws_the_play_area_so_the_alert_goes(signed_in, pocket_attempt):
    attempt = play(pocket_attempt, take("ck"), take("hx-fatigue"), take("exam-ptosis"))
    assert 'role="alert"' in signed_in.get(url("play", attempt)).content.decode()
    body = signed_in.post(url("act", attempt), {"seq": 3, "action": "fvc"}, **HTMX).content.decode()
    assert body.lstrip().startswith('<div id="play-area"')
    assert 'role="alert"' not in body


def test_a_decision_moves_the_story(signed_in, pocket_attempt):
    response = signed_in.post(url("act", pocket_attempt), {"seq": 0, "decision": "admit"})
    assert response["Location"] == url("play", pocket_attempt) + "#play-area"
    page = signed_in.get(url("play", pocket_attempt)).content.decode()
    assert "Neurology ward" in page and "Admitted for observation." in page


def test_a_deterioration_opens_the_page_at_its_alert_without_javascript(signed_in, pocket_attempt):
    attempt = play(pocket_attempt, take("ck"), take("hx-fatigue"))
    response = signed_in.post(url("act", attempt), {"seq": 2, "action": "exam-ptosis"})
    assert response["Location"] == url("play", attempt) + "#play-area"


def test_a_deterioration_interrupts_with_an_alert(signed_in, pocket_attempt):
    attempt = play(pocket_attempt, take("ck"), take("hx-fatigue"))
    body = signed_in.post(
        url("act", attempt), {"seq": 2, "action": "exam-ptosis"}, **HTMX
    ).content.decode()
    assert 'role="alert"' in body
    assert "She becomes breathless and can barely count to ten." in body
    assert "Breathing trouble" in body


def test_recording_a_working_localization(signed_in, pocket_attempt):
    response = signed_in.post(url("localize", pocket_attempt), {"seq": 0, "level": "muscle"})
    assert response["Location"] == url("play", pocket_attempt) + "#where"  # the diagram
    page = signed_in.get(url("play", pocket_attempt)).content.decode()
    assert 'id="level-muscle" aria-pressed="true"' in page
    assert Attempt.objects.get().working_level == "muscle"


def test_commit_finishes_and_leads_to_the_debrief(signed_in, pocket_attempt):
    response = signed_in.post(
        url("commit", pocket_attempt),
        {"seq": 0, "level": "neuromuscular-junction", "diagnosis": "mg", "confidence": "high"},
    )
    assert response["Location"] == url("debrief", pocket_attempt)
    assert Attempt.objects.get().status == "finished"


def test_htmx_commit_redirects_the_browser_to_the_debrief(signed_in, pocket_attempt):
    response = signed_in.post(url("commit", pocket_attempt), {"seq": 0, "level": "muscle"}, **HTMX)
    assert response["HX-Redirect"] == url("debrief", pocket_attempt)


def test_a_finished_attempt_opens_on_its_debrief(signed_in, pocket_attempt):
    play(pocket_attempt, commit())
    response = signed_in.get(url("play", pocket_attempt))
    assert response["Location"] == url("debrief", pocket_attempt)


def test_the_debrief_waits_for_a_commit(signed_in, pocket_attempt):
    response = signed_in.get(url("debrief", pocket_attempt))
    assert response["Location"] == url("play", pocket_attempt)


# ---- bad input over the web: a message, and the recorded events unchanged


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("act", {"seq": 1, "action": "lumbar-puncture"}, "There is no action 'lumbar-puncture'"),
        # "ncs" is an action of the Guillain-Barré case, not of this one.
        ("act", {"seq": 1, "action": "ncs"}, "There is no action 'ncs' in this case."),
        ("act", {"seq": 1, "action": "hx-fatigue"}, "'Ask when the weakness is worst' has already"),
        ("act", {"seq": 1, "decision": "ck"}, "'Creatine kinase' is not a decision"),
        ("localize", {"seq": 1, "level": "elbow"}, "'elbow' is not a localization level."),
        ("commit", {"seq": 1, "level": "muscle", "diagnosis": "gbs"}, "'gbs' is not one of"),
        ("act", {"seq": 0, "action": "hx-fatigue"}, "That step was already recorded."),
        ("act", {"seq": 0, "action": "ck"}, "This page was out of date"),
        ("act", {"action": "ck"}, "That page was out of date"),
        ("localize", {"seq": 1}, "Choose a level on the diagram first."),
    ],
)
def test_bad_input_is_refused_with_a_message(signed_in, pocket_attempt, name, data, message):
    play(pocket_attempt, take("hx-fatigue"))
    before = events_of(pocket_attempt)
    response = signed_in.post(url(name, pocket_attempt), data)
    assert response.status_code == 302
    assert any(m.startswith(message) for m in messages_of(response)), messages_of(response)
    assert events_of(pocket_attempt) == before
    # With htmx: the same refusal, as the play area with the message in an alert.
    body = signed_in.post(url(name, pocket_attempt), data, **HTMX).content.decode()
    assert 'class="message error play-error" role="alert"' in body
    assert events_of(pocket_attempt) == before


def test_an_action_from_another_stage_is_refused_over_the_web(signed_in, pocket_attempt):
    play(pocket_attempt, choose("admit"))
    response = signed_in.post(url("act", pocket_attempt), {"seq": 1, "action": "ck"})
    assert messages_of(response) == ["'Creatine kinase' is not available now (Neurology ward)."]
    assert len(events_of(pocket_attempt)) == 1


def test_an_event_on_a_finished_attempt_is_refused_over_the_web(signed_in, pocket_attempt):
    play(pocket_attempt, commit())
    response = signed_in.post(url("act", pocket_attempt), {"seq": 1, "action": "ck"})
    assert response["Location"] == url("debrief", pocket_attempt)
    assert messages_of(response) == ["This attempt is finished; nothing more can be changed."]
    assert len(events_of(pocket_attempt)) == 1


def test_a_double_click_records_one_event(signed_in, pocket_attempt):
    for _ in range(2):
        signed_in.post(url("act", pocket_attempt), {"seq": 0, "action": "fvc"})  # repeatable
    assert [seq for seq, _ in events_of(pocket_attempt)] == [1]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_click_from_an_out_of_date_tab_is_not_called_a_repeat(signed_in, pocket_attempt, headers):
    """Tab 2 recorded a step; tab 1, drawn before it, clicks something else."""
    play(pocket_attempt, take("hx-fatigue"))
    response = signed_in.post(
        url("act", pocket_attempt), {"seq": 0, "action": "ck"}, follow=True, **headers
    )
    page = response.content.decode()
    assert "That step was already recorded" not in page
    assert "This page was out of date" in page
    assert "“Creatine kinase” was not recorded" in page
    # The page shows the attempt as it stands: tab 2's finding, and the refused click still offered.
    assert "Worse by evening and after exertion" in page
    assert 'id="action-ck"' in page
    assert 'name="seq" value="1"' in page
    assert [seq for seq, _ in events_of(pocket_attempt)] == [1]


def test_an_out_of_date_localization_or_commit_is_not_recorded(signed_in, pocket_attempt):
    play(pocket_attempt, take("hx-fatigue"))
    localized = signed_in.post(url("localize", pocket_attempt), {"seq": 0, "level": "muscle"})
    assert messages_of(localized)[0].startswith("This page was out of date")
    assert "the working level Muscle was not recorded" in messages_of(localized)[0]
    committed = signed_in.post(url("commit", pocket_attempt), {"seq": 0, "level": "muscle"})
    assert "your final answer was not recorded" in messages_of(committed)[-1]
    assert committed["Location"] == url("play", pocket_attempt)
    assert Attempt.objects.get(pk=pocket_attempt.pk).status == "in_progress"
    assert [seq for seq, _ in events_of(pocket_attempt)] == [1]


def test_a_double_click_is_told_its_step_was_recorded(signed_in, pocket_attempt):
    for _ in range(2):
        response = signed_in.post(url("act", pocket_attempt), {"seq": 0, "action": "fvc"})
    assert messages_of(response) == ["That step was already recorded."]


@pytest.mark.parametrize("name", ["act", "localize", "commit"])
def test_posting_pages_refuse_get(signed_in, pocket_attempt, name):
    assert signed_in.get(url(name, pocket_attempt)).status_code == 405


# ---- admin


@pytest.mark.parametrize("model", ["case", "caseversion", "attempt"])
def test_admin_lists_and_opens_case_records(admin_client, pocket_attempt, model):
    play(pocket_attempt, take("hx-fatigue"))
    listing = admin_client.get(reverse(f"admin:cases_{model}_changelist"))
    assert listing.status_code == 200
    obj = {
        "case": pocket_attempt.case,
        "caseversion": pocket_attempt.case_version,
        "attempt": pocket_attempt,
    }[model]
    page = admin_client.get(reverse(f"admin:cases_{model}_change", args=[obj.pk]))
    assert page.status_code == 200
