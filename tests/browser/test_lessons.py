"""A learner goes from the home page to the six lessons, reads one and marks it read."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect


@pytest.mark.django_db(transaction=True)
def test_learner_reads_a_lesson_and_sees_progress(page, screenshot):
    call_command("load_content", verbosity=0)
    page.goto("/")
    page.get_by_role("link", name="Create a learner account").click()
    page.get_by_label("Username").fill("new-learner")
    page.get_by_label("Password:", exact=True).fill("a-long-unusual-pass-42")
    page.get_by_label("Password confirmation").fill("a-long-unusual-pass-42")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Your learner account is ready")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lessons").click()
    lessons = page.locator(".lesson-list > li")
    assert lessons.count() == 6
    expect(page.get_by_text("0 of 6")).to_be_visible()

    page.get_by_role("link", name="Special considerations").click()
    assert page.locator("h1").inner_text() == "Special considerations"
    expect(page.get_by_role("navigation", name="On this page")).to_be_visible()
    footnote = page.locator("a.footnote-ref").first
    footnote.click()
    assert page.evaluate("location.hash").startswith("#fn:")
    screenshot(page, "lesson-page")

    page.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_text("You have read this lesson.")).to_be_visible()
    page.get_by_role("link", name="Neuromuscular weakness", exact=False).first.click()
    expect(page.get_by_text("1 of 6")).to_be_visible()
    row = page.locator(".lesson-item", has_text="Special considerations")
    expect(row.get_by_text("Read")).to_be_visible()
    screenshot(page, "lesson-topic-progress")


@pytest.mark.django_db(transaction=True)
def test_lesson_reads_well_on_a_phone(phone_page, screenshot):
    call_command("load_content", verbosity=0)
    phone_page.goto("/lessons/")
    phone_page.locator(".lesson-list a").first.click()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page scrolls sideways on a phone ({width}px)"
    screenshot(phone_page, "lesson-phone")
