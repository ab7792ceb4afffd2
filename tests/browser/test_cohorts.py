"""An instructor runs a cohort in Chromium: creates it, a new learner signs up through the join
link, the instructor assigns a case in assessment mode due tomorrow, the learner plays it, and
the instructor sees the grid cell fill with the localization score, opens the learner's
debrief (read-only), sees the cohort's confusion matrix and downloads the CSV; the same grid at
375 px keeps the learner column in view while the table scrolls."""

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Attempt
from edu.cohorts.models import Cohort
from tests.browser.conftest import sign_in
from tests.browser.test_cases import click_step
from tests.factories import PASSWORD, InstructorFactory

CASE = "Short of breath with a box of tablets"  # content/cases/myasthenic-crisis.toml


def sign_up_through(page, join_url: str) -> None:
    page.goto(join_url)
    page.get_by_role("link", name="Create a learner account and join").click()
    expect(page.locator(".messages")).to_contain_text("Create your account to join")
    page.get_by_label("Username").fill("newlearner")
    page.get_by_label("Email address").fill("newlearner@example.org")
    page.get_by_label("First name").fill("Noor")
    page.get_by_label("Last name").fill("Nuevo")
    page.locator("#id_password1").fill(PASSWORD)  # ids: the sign-up labels are being restyled
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".messages")).to_contain_text("You joined 'Neuro block 7'")


@pytest.mark.django_db(transaction=True)
def test_instructor_runs_a_cohort_end_to_end(page, chromium, live_server, screenshot):
    call_command("load_content", verbosity=0)
    InstructorFactory(username="ida", first_name="Ida", last_name="Teach")
    sign_in(page, "ida", PASSWORD)

    # A new cohort, with its join link.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
    page.get_by_role("link", name="New cohort").click()
    page.get_by_label("Name").fill("Neuro block 7")
    page.get_by_label("Term").fill("Spring 2027")
    page.get_by_role("button", name="Create cohort").click()
    expect(page.locator("h1")).to_have_text("Neuro block 7")
    join_url = page.get_by_label("Join link").input_value()
    assert "/cohorts/join/" in join_url
    cohort_url = page.url

    # A brand-new learner signs up through the link and lands in the cohort.
    learner_context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    learner = learner_context.new_page()
    learner.set_default_timeout(15_000)
    sign_up_through(learner, join_url)

    # The instructor assigns a case in assessment mode, due tomorrow.
    page.goto(cohort_url)
    expect(page.locator("#roster")).to_contain_text("Noor Nuevo")
    page.get_by_role("link", name="Assign", exact=True).click()
    page.get_by_label("Lesson, quiz or case").select_option(label=CASE)
    tomorrow = timezone.localtime() + timedelta(days=1)
    page.get_by_label("Due").fill(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Assessment (feedback at the end)").check()
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("#assignments")).to_contain_text(CASE)
    screenshot(page, "cohort-detail-1280")

    # The learner sees it on their home page, starts it and plays it to the end.
    learner.goto("/")
    assignments = learner.locator(".my-assignments")
    expect(assignments).to_contain_text(CASE)
    expect(assignments).to_contain_text("assessment")
    screenshot(learner, "cohort-learner-home")
    assignments.get_by_role("button", name=f"Start {CASE}").click()
    expect(learner.locator("h1")).to_have_text(CASE)
    for _ in range(3):
        click_step(learner, learner.locator("button.action-button").first)
    form = learner.locator("form.commit-form")
    form.get_by_label("Neuromuscular junction", exact=True).check()
    form.get_by_role("button", name="Commit and see the debrief").click()
    expect(learner.locator("h1")).to_contain_text("Debrief")
    attempt = Attempt.objects.get(user__username="newlearner")
    assert attempt.mode == "assessment" and attempt.status == "finished"
    expected = f"Done {round(attempt.score_localization * 100)}%"

    # The grid cell shows the localization score.
    page.goto(cohort_url + "progress/")
    row = page.get_by_role("row", name=re.compile("Noor Nuevo"))
    expect(row).to_contain_text(expected)
    expect(page.get_by_text("The table scrolls sideways")).to_be_visible()
    screenshot(page, "cohort-grid-1280")

    # The learner's debrief, read-only, as they saw it.
    row.get_by_role("link", name=expected).click()
    expect(page.locator(".read-only-bar")).to_contain_text("Noor Nuevo’s debrief")
    expect(page.locator("h1")).to_contain_text("Debrief")
    screenshot(page, "cohort-debrief-read-only")

    # The cohort's confusion matrix.
    page.locator(".read-only-bar").get_by_role("link", name="Progress grid").click()
    page.get_by_role("navigation", name="Cohort pages").get_by_role("link", name="Insight").click()
    matrix = page.get_by_role("table", name=re.compile("Confusion matrix"))
    expect(matrix).to_be_visible()
    expect(matrix.get_by_role("row", name=re.compile("Neuromuscular junction"))).to_contain_text(
        "1/1"
    )
    screenshot(page, "cohort-insight")

    # The gradebook, downloaded.
    with page.expect_download() as download:
        page.get_by_role("link", name="Gradebook CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    noor = next(r for r in rows if r[1] == "newlearner")
    assert noor[2] == "Done" and float(noor[3]) == round(attempt.score_localization * 100, 1)
    learner_context.close()


@pytest.mark.django_db(transaction=True)
def test_the_grid_on_a_phone_keeps_the_learner_column(phone_page, screenshot):
    call_command("load_content", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    sign_in(phone_page, "instructor", "teach-motor-unit")
    cohort = Cohort.objects.get(code="demo-clerkship")
    phone_page.goto(f"/cohorts/{cohort.pk}/progress/")
    expect(phone_page.get_by_text("The table scrolls sideways")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page itself scrolls sideways ({width}px)"
    region = phone_page.get_by_role("region", name=re.compile("learners × assignments"))
    first = region.locator("tbody th").first
    before = first.bounding_box()["x"]
    region.evaluate("el => el.scrollLeft = 400")
    phone_page.wait_for_timeout(100)
    assert region.evaluate("el => el.scrollLeft") > 0, "the grid does not scroll"
    assert abs(first.bounding_box()["x"] - before) < 2, "the learner column scrolled away"
    screenshot(phone_page, "cohort-grid-375")
    # Sorting by a column swaps the grid in place (htmx) and keeps the sort in the address.
    region.get_by_role("link", name="Done", exact=True).click()
    expect(phone_page).to_have_url(re.compile(r"sort=total"))
    expect(phone_page.locator("th[aria-sort=ascending]")).to_have_text("Done")
    # The other instructor pages fit the phone too.
    for page_name in ("insight", ""):
        phone_page.goto(f"/cohorts/{cohort.pk}/{page_name}")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"/cohorts/{cohort.pk}/{page_name} scrolls sideways ({width}px)"
        screenshot(phone_page, f"cohort-{page_name or 'detail'}-375")
