"""A learner goes from the home page to the six lessons, reads one and marks it read."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import sign_in


@pytest.mark.django_db(transaction=True)
def test_learner_reads_a_lesson_and_sees_progress(page, screenshot):
    call_command("load_content", verbosity=0)
    call_command("seed_demo", verbosity=0)
    sign_in(page, "learner", "learn-motor-unit")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lessons").click()
    lessons = page.locator(".lesson-list > li")
    assert lessons.count() == 6
    assert page.get_by_text("0 of 6").is_visible()

    page.get_by_role("link", name="Special considerations").click()
    assert page.locator("h1").inner_text() == "Special considerations"
    assert page.get_by_role("navigation", name="On this page").is_visible()
    footnote = page.locator("a.footnote-ref").first
    footnote.click()
    assert page.evaluate("location.hash").startswith("#fn:")
    screenshot(page, "lesson-page")

    page.get_by_role("button", name="Mark as read").click()
    assert page.get_by_text("You have read this lesson.").is_visible()
    page.get_by_role("link", name="Neuromuscular weakness", exact=False).first.click()
    assert page.get_by_text("1 of 6").is_visible()
    row = page.locator(".lesson-item", has_text="Special considerations")
    assert row.get_by_text("Read").is_visible()
    screenshot(page, "lesson-topic-progress")


@pytest.mark.django_db(transaction=True)
def test_lesson_reads_well_on_a_phone(phone_page, screenshot):
    call_command("load_content", verbosity=0)
    phone_page.goto("/lessons/")
    phone_page.locator(".lesson-list a").first.click()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page scrolls sideways on a phone ({width}px)"
    screenshot(phone_page, "lesson-phone")
