"""A person signs in through the real form and sees the navigation of their role."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from edu.accounts.management.commands.seed_demo import DEMO_ACCOUNTS
from tests.browser.conftest import sign_in

EXPECTED = {
    "learner": ["Lessons", "Cases", "Quizzes", "My progress"],
    "instructor": ["Lessons", "Cases", "Quizzes", "My progress", "Cohorts"],
    "admin": [
        "Lessons",
        "Cases",
        "Quizzes",
        "My progress",
        "Cohorts",
        "Analytics",
        "Import a document",
    ],
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username,password", [(a[0], a[1]) for a in DEMO_ACCOUNTS])
def test_demo_account_signs_in_and_sees_its_navigation(page, screenshot, username, password):
    call_command("seed_demo")
    sign_in(page, username, password)
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link").all_inner_texts() == EXPECTED[username]
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot(page, f"navigation-{username}")
    page.get_by_role("link", name=EXPECTED[username][-1]).click()
    assert page.locator("h1").inner_text() == EXPECTED[username][-1]


@pytest.mark.django_db(transaction=True)
def test_home_fits_a_phone_screen(phone_page, screenshot):
    call_command("seed_demo")
    sign_in(phone_page, "learner", "learn-motor-unit")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page scrolls sideways on a phone ({width}px)"
    screenshot(phone_page, "home-phone")


@pytest.mark.django_db(transaction=True)
def test_keyboard_user_can_skip_to_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
