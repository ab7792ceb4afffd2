"""Signed out in another tab, or with the form's token gone: the next click in htmx takes the
learner to sign in (not a sign-in page swapped into the question or the play area) and back to
where they were; a GET on a button's URL shows the site's page, not a blank 405."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from edu.access import SIGNED_OUT_MESSAGE
from edu.views import CSRF_HTMX_MESSAGE
from tests.browser.conftest import sign_in
from tests.browser.test_cases import click_step, start_case
from tests.browser.test_quizzes import correct_text, quiz_card, quiz_world  # noqa: F401
from tests.factories import PASSWORD, LearnerFactory

SIGN_IN_WITH_NEXT = re.compile(r"/accounts/sign-in/\?next=/")


def sign_out_in_another_tab(page) -> None:
    other = page.context.new_page()
    other.goto("/")
    other.get_by_role("button", name="Sign out").click()
    other.wait_for_url("**/")
    other.close()


def sign_in_here(page) -> None:
    page.get_by_label("Username").fill("lee")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_signed_out_quiz_click_goes_to_sign_in_and_back(request, device, screenshot, quiz_world):  # noqa: F811
    page = request.getfixturevalue(device)
    width = "1280" if device == "page" else "375"
    sign_in(page, "lee", PASSWORD)
    page.goto("/quizzes/")
    quiz_card(page, "Classification").get_by_role("button", name="Practice").click()
    expect(page.get_by_text("Question 1 of 4")).to_be_visible()
    question_url = page.url

    sign_out_in_another_tab(page)
    page.get_by_label(correct_text(page), exact=True).check()
    page.get_by_role("button", name="Check answer").click()

    page.wait_for_url(SIGN_IN_WITH_NEXT)
    expect(page.get_by_text(SIGNED_OUT_MESSAGE)).to_be_visible()
    expect(page.locator(".site-header")).to_have_count(1)  # a page, not a page inside a page
    assert page.locator("input[name=next]").get_attribute("value") in question_url
    screenshot(page, f"session-lost-sign-in-{width}")

    sign_in_here(page)
    page.wait_for_url(question_url)
    expect(page.get_by_text("Question 1 of 4")).to_be_visible()
    page.get_by_label(correct_text(page), exact=True).check()
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator(".verdict")).to_have_text("Correct.")

    # Session and CSRF cookie both gone: the click must not silently do nothing.
    page.get_by_role("link", name="Next question").click()
    expect(page.get_by_text("Question 2 of 4")).to_be_visible()
    page.context.clear_cookies()
    page.get_by_label(correct_text(page), exact=True).check()
    page.get_by_role("button", name="Check answer").click()
    page.wait_for_url(SIGN_IN_WITH_NEXT)
    expect(page.get_by_text(CSRF_HTMX_MESSAGE)).to_be_visible()
    screenshot(page, f"session-csrf-gone-{width}")
    sign_in_here(page)
    expect(page.get_by_text("Question 2 of 4")).to_be_visible()
    expect(page.get_by_role("button", name="Check answer")).to_be_visible()  # not recorded


@pytest.mark.django_db(transaction=True)
def test_signed_out_case_action_goes_to_sign_in_and_back_to_the_case(page, screenshot):
    call_command("load_content", verbosity=0)
    LearnerFactory(username="lee")
    sign_in(page, "lee", PASSWORD)
    start_case(page, "Tingling feet, then the stairs", "training")
    play_url = page.url
    click_step(page, page.locator("button.action-button", has_text="Test tendon reflexes"))

    sign_out_in_another_tab(page)
    page.locator("button.action-button", has_text="Examine sensation").click()
    page.wait_for_url(SIGN_IN_WITH_NEXT)
    expect(page.locator("#play-area")).to_have_count(0)
    expect(page.get_by_text(SIGNED_OUT_MESSAGE)).to_be_visible()

    sign_in_here(page)
    page.wait_for_url(play_url)
    expect(page.locator(".chart-row.is-latest")).to_contain_text("Knee and ankle jerks absent")
    screenshot(page, "session-lost-back-on-case-1280")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_opening_a_buttons_url_shows_the_sites_page_with_a_way_back(request, device, screenshot):
    page = request.getfixturevalue(device)
    width = "1280" if device == "page" else "375"
    call_command("load_content", verbosity=0)
    page.goto("/cases/")
    page.goto("/cases/gbs-ascending/start/", referer=page.url)
    expect(page.get_by_role("heading", name="This address is for a button")).to_be_visible()
    screenshot(page, f"error-405-{width}")
    page.get_by_role("link", name="Go back to the page you were on").click()
    page.wait_for_url("**/cases/")
