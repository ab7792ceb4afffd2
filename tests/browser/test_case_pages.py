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
    "Start intravenous immunoglobulin",
]  # about four hours in the emergency department: five would bring the lingering-in-ED rule

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


def page_height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


@pytest.mark.django_db(transaction=True)
def test_the_debrief_reads_in_a_minute_with_the_belief_charts(learner_on, size, screenshot):
    page = learner_on
    start_case(page, GBS_TITLE, "training")
    work_up(page, WORK_UP[:4])
    page.get_by_role("button", name="Peripheral nerve", exact=True).click()
    expect(page.locator(".working-level")).to_have_text("Peripheral nerve")
    work_up(page, WORK_UP[4:])
    take(page, "Admit to intensive care")
    take(page, "Nerve conduction studies")
    commit(page, "Peripheral nerve", GBS)
    screenshot(page, f"case-debrief-{size}")
    viewport = page.viewport_size

    # The score and what to learn first come first, on the first screen.
    expect(page.locator(".overall-figure")).to_be_in_viewport()
    expect(page.get_by_role("heading", name="What to learn first")).to_be_in_viewport()

    # Two belief charts, each drawn as SVG with a line per level and a table behind it.
    for key in ("learner", "expert"):
        chart = page.locator(f"#belief-{key}")
        # The answer's two levels (root and nerve) as one line, and the five other levels.
        expect(chart.locator("svg polyline.tone-answer")).to_have_count(1)
        expect(chart.locator("svg polyline")).to_have_count(6)
        expect(chart.locator("table tbody tr").first).to_be_attached()
    learner_rows = page.locator("#belief-learner table tbody tr")
    steps = page.locator(".path details.step-more").count()
    expect(learner_rows).to_have_count(steps + 1)  # the presentation, then every step
    # The learner's working localization and the commit are marked on their chart.
    expect(page.locator("#belief-learner line.mark-working")).to_have_count(1)
    expect(page.locator("#belief-learner line.mark-commit")).to_have_count(1)
    expect(page.locator(".expert-reading")).to_contain_text("an expert would have placed this in")
    expect(page.locator(".expert-reading")).to_contain_text("nerve root or peripheral nerve")

    # Wide screen: the learner's path and the expert's side by side.
    mine = page.locator(".debrief-path").bounding_box()
    expert = page.locator(".debrief-expert").bounding_box()
    if size == "desktop":
        assert abs(mine["y"] - expert["y"]) < 2 and expert["x"] > mine["x"] + mine["width"] - 1
    else:
        assert expert["y"] > mine["y"] + mine["height"] - 1  # one above the other on a phone
    # Every teaching point is on the page once, and folded.
    teaching = page.locator(".chart-teaching").all_text_contents()
    assert len(teaching) == len(set(teaching)), "a teaching point appears twice"
    expect(page.locator(".chart-teaching").first).to_be_hidden()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the debrief scrolls sideways ({width}px)"
    height = page_height(page)
    print(f"debrief height at {viewport['width']}px: {height}px")
    assert height < (3200 if size == "desktop" else 7000), f"the debrief is {height}px long"


@pytest.mark.django_db(transaction=True)
def test_the_score_explanations_are_readable_on_a_phone(learner_on, size, screenshot):
    page = learner_on
    start_case(page, GBS_TITLE, "training")
    take(page, "Ask how the weakness began")
    commit(page, "Muscle", "Myasthenia gravis")
    width = page.viewport_size["width"]
    rows = page.locator(".score-table tbody tr")
    expect(rows).to_have_count(5)
    for index in range(5):
        row = rows.nth(index)
        for cell in (".part-value", "td:last-child"):
            box = row.locator(cell).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (
                f"{row.locator('th').inner_text()}: {cell} runs off the screen ({box})"
            )
        explanation = row.locator("td:last-child").bounding_box()["width"]
        if size == "phone":  # stacked: the explanation has the row's whole width
            assert explanation >= 0.7 * (width - 40), f"the explanation is only {explanation}px"
    table = page.locator(".score-table")
    overflow = table.evaluate("t => t.scrollWidth - t.parentElement.clientWidth")
    assert overflow <= 0, f"the score table is {overflow}px wider than the page"
    expect(page.locator("tr.part-localization")).to_contain_text("You chose Muscle")
    # The diagnosis named (a junction disease) contradicts the level committed (muscle).
    expect(page.locator(".diagnosis-conflict")).to_contain_text(
        "a disease of the neuromuscular junction, but committed Muscle"
    )
    page.locator(".debrief-score").screenshot(
        path=str(SCREENSHOTS / f"case-score-table-{size}.png")
    )
    screenshot(page, f"case-debrief-early-{size}")


EXPERT_WORK_UP = [
    "Measure forced vital capacity",
    "Ask how the weakness began",
    "Ask about recent illness",
    "Ask about bladder",
    "Test power in all four limbs",
    "Test tendon reflexes",
    "Examine sensation",
    "Examine the cranial nerves",
    "Measure maximal inspiratory",
    "Lumbar puncture",
    "Start intravenous immunoglobulin",
    "Admit to intensive care",
    "Nerve conduction studies",
]


@pytest.mark.django_db(transaction=True)
def test_a_guess_at_once_scores_low_and_a_work_up_scores_full(learner_on, size, screenshot):
    page = learner_on
    start_case(page, GBS_TITLE, "training")
    commit(page, "Peripheral nerve", GBS)
    localization = int(page.locator("tr.part-localization .part-value").inner_text().rstrip("%"))
    assert localization <= 35, f"a guess at minute 0 earned {localization}% localization"
    expect(page.locator("tr.part-localization")).to_contain_text("What would have told them apart")
    separators = page.locator(".separators")
    expect(separators).to_contain_text("You committed before your findings set Peripheral nerve")
    expect(separators.locator("li").first).to_be_visible()
    expect(separators).to_contain_text("Test tendon reflexes")
    expect(page.locator(".learner-reading")).to_contain_text("never pointed clearly")
    screenshot(page, f"case-gbs-guess-{size}")

    start_case(page, GBS_TITLE, "training")
    for label in EXPERT_WORK_UP:
        take(page, label)
    commit(page, "Peripheral nerve", GBS)
    expect(page.locator("tr.part-localization .part-value")).to_have_text("100%")
    expect(page.locator(".separators")).to_have_count(0)
    expect(page.locator("#belief-learner polyline.tone-answer")).to_have_count(1)
    expect(page.locator(".learner-reading")).to_contain_text("pointed clearly to the nerve root")
    page.locator(".debrief-paths").screenshot(
        path=str(SCREENSHOTS / f"case-belief-charts-{size}.png")
    )
    # The table behind the chart: a row for the presentation and one per step.
    numbers = page.locator("#belief-learner .belief-numbers")
    numbers.locator("summary").click()
    expect(numbers.locator("tbody tr")).to_have_count(len(EXPERT_WORK_UP) + 1)
    cue = numbers.locator(".scroll-cue")
    expect(cue).to_be_visible() if size == "phone" else expect(cue).to_be_hidden()
    numbers.screenshot(path=str(SCREENSHOTS / f"case-belief-table-{size}.png"))
    screenshot(page, f"case-gbs-work-up-{size}")


@pytest.mark.django_db(transaction=True)
def test_without_javascript_a_phone_stays_at_the_diagram(chromium, live_server, transactional_db):
    call_command("load_content", verbosity=0)
    learner = LearnerFactory()
    context = chromium.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    try:
        sign_in(page, learner.username, PASSWORD)
        start_case(page, GBS_TITLE, "training")
        page.locator("button.action-button", has_text="Ask how the weakness began").click()
        page.wait_for_url("**#play-grid")
        expect(page.locator(".latest-card")).to_be_in_viewport()  # the finding just asked for
        page.get_by_role("button", name="Nerve root", exact=True).tap()
        page.wait_for_url("**#where")
        expect(page.locator(".working-level")).to_have_text("Nerve root")
        expect(page.get_by_role("button", name="Nerve root", exact=True)).to_be_in_viewport()
        expect(page.locator("#commit-h")).not_to_be_in_viewport()
        page.get_by_role("link", name="Commit your answer").click()
        expect(page.locator("#commit-h")).to_be_in_viewport()
        screen_shot(page, "case-no-js-commit-phone")
    finally:
        context.close()
