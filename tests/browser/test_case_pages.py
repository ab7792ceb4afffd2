"""The case pages as a learner meets them in Chromium, on a desktop and on a 375 px phone: two
tabs on one attempt, tapping the diagram, reaching the commit form after a long work-up, and a
debrief that reads in a minute. Each test saves screenshots under test-output/screenshots/."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.browser.test_cases import commit, start_case, take
from tests.factories import PASSWORD, LearnerFactory

GBS_TITLE = "Tingling feet, then the stairs"
GBS = "Guillain-Barré syndrome (acute inflammatory demyelinating polyneuropathy)"

# A full work-up of the Guillain-Barré case in the emergency department (no decision taken).
WORK_UP = [
    "Measure forced vital capacity",
    "Ask how the weakness began",
    "Ask about recent illness",
    "Ask about breathing and swallowing",
    "Ask about pain",
    "Ask about bladder",
    "Test power in all four limbs",
    "Test tendon reflexes",
    "Examine sensation",
    "Examine the cranial nerves",
    "Review vital signs",
    "Measure maximal inspiratory",
    "Lumbar puncture",
    "Creatine kinase",
    "MRI of the whole spine",
    "Start intravenous immunoglobulin",
]

SIZES = ["desktop", "phone"]


@pytest.fixture(params=SIZES)
def size(request) -> str:
    return request.param


@pytest.fixture
def learner_on(request, size, transactional_db):
    """A signed-in learner's browser page at the size under test."""
    page = request.getfixturevalue("page" if size == "desktop" else "phone_page")
    call_command("load_content", verbosity=0)
    learner = LearnerFactory()
    sign_in(page, learner.username, PASSWORD)
    return page


def work_up(page, labels=WORK_UP) -> None:
    for label in labels:
        button = page.locator("button.action-button", has_text=label)
        if button.count():
            take(page, label)


def screen_shot(page, name: str) -> None:
    """What is on the screen now (not the whole page): where the learner has been left."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= -2 and box["y"] + min(box["height"], 40) <= height


@pytest.mark.django_db(transaction=True)
def test_a_second_tab_is_told_its_page_was_out_of_date(learner_on, size, screenshot):
    tab1 = learner_on
    start_case(tab1, GBS_TITLE, "training")
    tab2 = tab1.context.new_page()
    tab2.goto(tab1.url)
    take(tab2, "Ask how the weakness began", "climbed from the ankles")

    # Tab 1 still shows the attempt before tab 2's step; the learner clicks something else.
    tab1.locator("button.action-button", has_text="Ask about recent illness").click()
    alert = tab1.locator(".play-error")
    expect(alert).to_contain_text("This page was out of date")
    expect(alert).to_contain_text("was not recorded")
    expect(alert).not_to_contain_text("already recorded")
    # ... and now shows the attempt as it stands: tab 2's finding, the refused click on offer.
    expect(tab1.locator(".chart-row.is-latest")).to_contain_text("climbed from the ankles")
    expect(tab1.locator(".case-stats")).to_contain_text("Findings1")
    refused = tab1.locator("button.action-button", has_text="Ask about recent illness")
    expect(refused).to_be_visible()
    assert in_viewport(tab1, alert), "the message should be on screen where the learner looks"
    screenshot(tab1, f"case-two-tabs-{size}")

    # Clicking again from the refreshed page is recorded.
    take(tab1, "Ask about recent illness")
    expect(tab1.locator(".case-stats")).to_contain_text("Findings2")
    tab2.reload()
    expect(tab2.locator(".case-stats")).to_contain_text("Findings2")


@pytest.mark.django_db(transaction=True)
def test_tapping_a_level_keeps_the_page_where_the_learner_is(learner_on, size, screenshot):
    page = learner_on
    start_case(page, GBS_TITLE, "training")
    work_up(page, WORK_UP[:5])
    level = page.get_by_role("button", name="Nerve root", exact=True)
    level.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    seq = int(page.locator("input[name=seq]").first.get_attribute("value"))
    level.tap() if size == "phone" else level.click()
    expect(page.locator("input[name=seq]").first).to_have_value(str(seq + 1))
    expect(page.locator(".working-level")).to_have_text("Nerve root")
    page.wait_for_timeout(300)  # any late scroll would have happened by now
    after = page.evaluate("window.scrollY")
    assert abs(after - before) < 40, f"the page jumped from {before}px to {after}px"
    assert in_viewport(page, page.get_by_role("button", name="Nerve root", exact=True))
    assert not in_viewport(page, page.locator("#commit-h"))
    screen_shot(page, f"case-tap-level-{size}")


@pytest.mark.django_db(transaction=True)
def test_the_commit_form_is_one_tap_away_after_a_long_work_up(learner_on, size, screenshot):
    page = learner_on
    start_case(page, GBS_TITLE, "training")
    work_up(page)
    height = page.evaluate("document.documentElement.scrollHeight")
    # Halfway down the page, among the findings.
    page.evaluate(f"window.scrollTo(0, {height // 2})")
    link = page.get_by_role("link", name="Commit your answer")
    expect(link).to_be_visible()
    assert in_viewport(page, link), "the way to the commit form should be on screen"
    screen_shot(page, f"case-commit-bar-{size}")
    link.click()
    expect(page.locator("#commit-h")).to_be_in_viewport()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width}px)"
    commit(page, "Peripheral nerve", GBS)
    screenshot(page, f"case-long-debrief-{size}")
