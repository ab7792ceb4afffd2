"""A learner works real cases in Chromium: actions, the running chart, the diagram, the commit,
and the debrief with its score parts and replayed path."""

import re
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cases.engine.scoring import score
from cases.engine.state import replay
from cases.engine.validation import load_case_file
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, LearnerFactory

CASES = Path(__file__).resolve().parents[2] / "content" / "cases"
GBS = "Guillain-Barré syndrome (acute inflammatory demyelinating polyneuropathy)"


def credit(case_id: str, level: str) -> float:
    data = tomllib.loads((CASES / f"{case_id}.toml").read_text(encoding="utf-8"))
    return data["localization"]["credit"].get(level, 0.0)


def start_case(page, title: str, mode: str) -> None:
    page.goto("/cases/")
    page.get_by_role("button", name=f"Start {mode} on {title}").click()
    expect(page.locator("h1")).to_have_text(title)


def click_step(page, button) -> None:
    """Click a play-area button and wait until the page has the next step (htmx swaps it in)."""
    seq = page.locator("input[name=seq]").first
    expected = str(int(seq.get_attribute("value")) + 1)
    button.click()
    expect(page.locator("input[name=seq]").first).to_have_value(expected)


def take(page, label: str, finding: str = "") -> None:
    """Take an action and check its finding is the newest line of the chart."""
    click_step(page, page.locator("button.action-button", has_text=label))
    if finding:
        expect(page.locator(".chart-row.is-latest")).to_contain_text(finding)


def commit(page, level: str, diagnosis: str = "", confidence: str = "High") -> None:
    form = page.locator("form.commit-form")
    form.get_by_label(level, exact=True).check()
    if diagnosis:
        form.get_by_label("Diagnosis (optional)").select_option(label=diagnosis)
    form.get_by_label(confidence, exact=True).check()
    form.get_by_role("button", name="Commit and see the debrief").click()
    expect(page.locator("h1")).to_contain_text("Debrief")


def score_cell(page, part: str) -> str:
    return page.locator(f"tr.part-{part} .part-value").inner_text()


def path_labels(page) -> list[str]:
    """The learner's path as its step labels, opened as a learner opens it."""
    page.locator(".path-fold > summary").click()
    labels = page.locator(".path .chart-action").all_inner_texts()
    return [re.sub(r"^\d+\. ", "", label) for label in labels]


@pytest.fixture
def learner_page(page, transactional_db):
    call_command("load_content", verbosity=0)
    learner = LearnerFactory()
    sign_in(page, learner.username, PASSWORD)
    return page


@pytest.mark.django_db(transaction=True)
def test_learner_works_gbs_to_the_right_level(learner_page, screenshot):
    page = learner_page
    page.goto("/cases/")
    expect(page.locator(".case-card")).to_have_count(len(list(CASES.glob("*.toml"))))
    screenshot(page, "case-library")
    start_case(page, "Tingling feet, then the stairs", "training")
    expect(page.locator(".stage h2")).to_have_text("Emergency department, day 4 of symptoms")
    page.evaluate("window.sameDocument = true")  # gone if any click reloads the page

    take(page, "Measure forced vital capacity", "the spirometer reads 1.5 L")
    expect(page.locator(".chart-row.is-latest")).to_contain_text("1.5 L (21 mL/kg)")
    expect(page.locator(".chart-row.is-latest .pill")).to_have_text("Low")
    # Training mode: the teaching point shows at once.
    expect(page.locator(".chart-row.is-latest .chart-teaching")).to_contain_text("20/30/40")
    take(page, "Ask how the weakness began", "climbed from the ankles to the hips")
    take(page, "Test tendon reflexes", "Knee and ankle jerks absent")
    take(page, "Examine sensation", "Vibration sense reduced at the toes")

    click_step(page, page.get_by_role("button", name="Peripheral nerve", exact=True))
    expect(page.get_by_role("button", name="Peripheral nerve", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator(".working-level")).to_have_text("Peripheral nerve")

    take(page, "Examine the cranial nerves", "cannot bury her eyelashes")
    take(page, "Measure maximal inspiratory", "Both pressures are weak")
    take(page, "Start intravenous immunoglobulin", "first infusion of immunoglobulin")
    expect(page.locator(".case-stats")).to_contain_text("Clock1 h")  # 60 minutes on the clock
    screenshot(page, "case-play")
    # The rest of the expert's findings: localization is earned by the evidence.
    take(page, "Ask about recent illness", "watery, then bloody, diarrhoea")
    take(page, "Ask about bladder, bowel", "passes urine normally")
    take(page, "Test power in all four limbs", "Hip flexion, knee extension")
    take(page, "Lumbar puncture", "protein raised, cell count normal")

    take(page, "Admit to intensive care")
    expect(page.locator(".stage h2")).to_have_text("Intensive care unit")
    take(page, "Nerve conduction studies", "conduction block in several motor nerves")
    assert page.evaluate("window.sameDocument === true"), "htmx should swap, not reload"

    commit(page, "Peripheral nerve", GBS)
    assert score_cell(page, "localization") == "100%"
    assert score_cell(page, "diagnosis") == "100%"
    expect(page.locator("tr.part-localization")).to_contain_text(
        "You chose Peripheral nerve, the best level."
    )
    expect(page.locator(".mu-level.is-chosen.is-correct")).to_have_count(1)
    labels = path_labels(page)
    assert labels[0] == "Measure forced vital capacity at the bedside"
    assert "Working level: Peripheral nerve" in labels
    assert labels[-1] == "Committed: Peripheral nerve"
    expect(page.locator(".debrief-expert li").first).to_be_visible()
    screenshot(page, "case-debrief")


@pytest.mark.django_db(transaction=True)
def test_an_adjacent_level_earns_the_cases_partial_credit(learner_page, screenshot):
    page = learner_page
    partial = credit("cervical-radiculopathy", "peripheral-nerve")
    assert 0 < partial < 1, "the test needs a case with partial credit for an adjacent level"
    start_case(page, "A stiff neck after painting the ceiling", "assessment")

    take(page, "Ask where the pain starts")
    # Assessment mode: no teaching points while playing.
    expect(page.locator(".chart-teaching")).to_have_count(0)
    take(page, "Grade power in both arms")
    take(page, "Test arm and leg reflexes")
    commit(page, "Peripheral nerve", confidence="Low")

    # The partial credit, scaled by the share of the expert's evidence those three findings hold.
    case = load_case_file(CASES / "cervical-radiculopathy.toml")
    events = [{"type": "take_action", "action": a} for a in ("hx-pain", "ex-power", "ex-reflexes")]
    events.append(
        {"type": "commit", "level": "peripheral-nerve", "diagnosis": "", "confidence": ""}
    )
    expected = score(case, replay(case, events)).localization
    assert 0 < expected < partial
    assert score_cell(page, "localization") == f"{round(expected * 100)}%"
    expect(page.locator("tr.part-localization")).to_contain_text(f"{round(partial * 100)} % credit")
    expect(page.locator(".mu-level.is-chosen")).to_contain_text("Nerve")
    expect(page.locator(".mu-level.is-correct")).to_contain_text("Root")
    assert path_labels(page)[:3] == [
        "Ask where the pain starts, where it travels and what makes it worse",
        "Grade power in both arms (MRC) and look for wasting",
        "Test arm and leg reflexes, Hoffmann sign and plantar responses",
    ]
    # The debrief reveals the teaching points the assessment kept back, one tap away.
    page.locator(".path .step-more > summary").first.click()
    expect(page.locator(".path .chart-teaching").first).to_be_visible()
    screenshot(page, "case-debrief-partial")


@pytest.mark.django_db(transaction=True)
def test_a_rule_interrupts_with_an_alert(learner_page, screenshot):
    page = learner_page
    start_case(page, "Tingling feet, then the stairs", "training")
    take(page, "Ask how the weakness began")
    take(page, "Admit to the general ward")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("the ward nurse finds her drowsy and sweating")
    expect(page.locator(".stage h2")).to_have_text("Respiratory failure")
    screenshot(page, "case-play-alert")


@pytest.mark.django_db(transaction=True)
def test_play_page_fits_a_phone(phone_page, transactional_db, screenshot):
    call_command("load_content", verbosity=0)
    learner = LearnerFactory()
    sign_in(phone_page, learner.username, PASSWORD)
    start_case(phone_page, "Tingling feet, then the stairs", "training")
    take(phone_page, "Measure forced vital capacity", "the spirometer reads 1.5 L")
    click_step(phone_page, phone_page.get_by_role("button", name="Nerve root", exact=True))
    expect(phone_page.locator(".working-level")).to_have_text("Nerve root")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the play page scrolls sideways on a phone ({width}px)"
    screenshot(phone_page, "case-play-phone")


@pytest.mark.django_db(transaction=True)
def test_the_case_works_without_javascript(chromium, live_server, transactional_db):
    call_command("load_content", verbosity=0)
    learner = LearnerFactory()
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, learner.username, PASSWORD)
        start_case(page, "Tingling feet, then the stairs", "training")
        stale = context.new_page()  # the same attempt left open in a second tab
        stale.goto(page.url)
        page.locator("button.action-button", has_text="Ask how the weakness began").click()
        expect(page.locator(".chart-row.is-latest")).to_contain_text("climbed from the ankles")
        page.get_by_role("button", name="Muscle", exact=True).click()
        expect(page.locator(".working-level")).to_have_text("Muscle")
        # The old tab's form is out of date: refused with a message, nothing recorded.
        stale.locator("button.action-button", has_text="Ask about recent illness").click()
        expect(stale.locator(".messages")).to_contain_text("This page was out of date")
        expect(stale.locator(".case-stats")).to_contain_text("Findings1")
        assert re.search(r"/cases/attempts/\d+/$", stale.url)
    finally:
        context.close()
