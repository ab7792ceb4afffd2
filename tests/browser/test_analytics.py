"""A program admin in Chromium: the overview, one case's page, a question's item analysis,
the cohort filter, the CSV and xAPI downloads, and the same pages on a phone."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.analytics.conftest import (  # noqa: F401 (fixtures)
    cohorts,
    content_dir,
    pocket,
    program,
    quiz_a,
)
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, ProgramAdminFactory


@pytest.fixture
def admin(transactional_db):
    return ProgramAdminFactory(username="ada", first_name="Ada", last_name="Admin")


def test_admin_reviews_a_case_and_a_question_for_one_cohort(
    transactional_db,
    admin,
    program,  # noqa: F811
    quiz_a,  # noqa: F811
    page,
    phone_page,
    screenshot,  # noqa: F811
):
    sign_in(page, "ada", PASSWORD)
    page.get_by_role("link", name="Analytics").first.click()
    expect(page.get_by_role("heading", name="Program analytics")).to_be_visible()
    expect(page.get_by_role("figure").filter(has_text="Learners active per week")).to_be_visible()
    screenshot(page, "analytics-overview")

    # One cohort: the choice stays in the URL and in the links onward.
    page.get_by_label("Cohort", exact=True).select_option(label="Beta rotation")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(f"cohort={program['beta'].pk}"))
    expect(page.locator(".scope-label")).to_contain_text("Beta rotation")
    cohort_table = page.locator("table", has_text="Case work by cohort")
    expect(cohort_table).to_contain_text("Beta rotation")
    expect(cohort_table).not_to_contain_text("Alpha rotation")
    screenshot(page, "analytics-overview-beta")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download the cohort table (CSV)").click()
    text = open(csv_download.value.path(), encoding="utf-8").read()  # noqa: SIM115
    assert text.splitlines()[0].startswith("Cohort,Learners active")
    assert "Beta rotation" in text and "Alpha rotation" not in text

    with page.expect_download() as xapi_download:
        page.get_by_role("link", name="Download case events as xAPI statements").click()
    lines = open(xapi_download.value.path(), encoding="utf-8").read().splitlines()  # noqa: SIM115
    statements = [json.loads(line) for line in lines]
    assert statements and all(s["version"] == "1.0.3" for s in statements)
    assert {s["actor"]["account"]["name"] for s in statements} == {str(program["learners"][3].pk)}

    # Back to all cohorts, then one case.
    page.get_by_label("Cohort", exact=True).select_option(label="All cohorts")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".scope-label")).to_contain_text("all cohorts")
    page.get_by_role("navigation", name="Analytics").get_by_role("link", name="Cases").click()
    page.get_by_role("link", name="A drooping evening").click()
    expect(page.get_by_role("heading", name="A drooping evening")).to_be_visible()
    expect(page.get_by_text("Neuromuscular junction (true level)").first).to_be_visible()
    expect(page.get_by_role("heading", name="Calibration")).to_be_visible()
    screenshot(page, "analytics-case")

    # A question's item analysis.
    page.get_by_role("navigation", name="Analytics").get_by_role("link", name="Questions").click()
    page.get_by_role("link", name="Quiz A").click()
    expect(page.get_by_role("heading", name="Item analysis: Quiz A")).to_be_visible()
    expect(page.get_by_text("discriminates negatively").first).to_be_visible()
    screenshot(page, "analytics-quiz")
    page.get_by_role("link", name="q4").click()
    expect(page.get_by_role("heading", name="Distractor analysis")).to_be_visible()
    expect(page.get_by_text("the upper group prefers a distractor to the key")).to_be_visible()
    screenshot(page, "analytics-question")

    # The levels learners confuse, program-wide.
    page.get_by_role("navigation", name="Analytics").get_by_role("link", name="Levels").click()
    expect(page.get_by_role("heading", name="Levels learners confuse")).to_be_visible()
    expect(page.get_by_role("figure").filter(has_text="Confusion matrix")).to_be_visible()
    screenshot(page, "analytics-levels")

    # The same pages on a phone: nothing wider than the screen but the scrolling tables.
    sign_in(phone_page, "ada", PASSWORD)
    for url, name in (
        ("/analytics/", "analytics-overview-375"),
        ("/analytics/levels/", "analytics-levels-375"),
        (f"/analytics/cases/{program['case'].slug}/", "analytics-case-375"),
        (f"/analytics/quizzes/{quiz_a['quiz'].slug}/", "analytics-quiz-375"),
        (
            f"/analytics/quizzes/{quiz_a['quiz'].slug}/questions/{quiz_a['questions'][3].pk}/",
            "analytics-question-375",
        ),
    ):
        phone_page.goto(url)
        expect(phone_page.locator("h1")).to_be_visible()
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{url} is {overflow}px wider than the phone"
        screenshot(phone_page, name)
