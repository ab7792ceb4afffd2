"""An htmx action answers with only what changed, and the page the learner sees is still right:
the new finding on top of the chart and in the live region, the clock and spend moved on, the
used action gone, and every form posting the new count so the next click is recorded."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_cases import start_case, take
from tests.factories import PASSWORD, LearnerFactory

GBS_TITLE = "Tingling feet, then the stairs"


@pytest.mark.django_db(transaction=True)
def test_an_htmx_action_swaps_in_only_what_changed(page, screenshot):
    call_command("load_content", verbosity=0)
    learner = LearnerFactory()
    sign_in(page, learner.username, PASSWORD)
    start_case(page, GBS_TITLE, "training")
    take(page, "Ask how the weakness began", "climbed from the ankles")

    stats = page.locator("#case-stats")
    expect(stats).to_contain_text("Clock5 min")
    expect(stats).to_contain_text("Spent0")
    page.evaluate("document.getElementById('play-area').dataset.drawn = 'before the click'")
    with page.expect_response(re.compile(r"/act/$")) as answer:
        page.locator("button.action-button", has_text="Creatine kinase").click()
    body = answer.value.text()
    assert answer.value.status == 200
    assert 'id="play-area"' not in body, "the play area should not be drawn again"
    assert len(body.encode()) < 5000, f"{len(body.encode())} bytes for one finding"

    # The page now shows the action's effects, without having been redrawn.
    expect(page.locator(".chart-row.is-latest")).to_contain_text("Creatine kinase is normal.")
    expect(page.locator(".chart-row.is-latest")).to_contain_text("In range")
    expect(page.locator(".chart-row")).to_have_count(2)
    expect(page.locator("#latest-finding")).to_contain_text("Creatine kinase is normal.")
    expect(stats).to_contain_text("Clock1 h 05")
    expect(stats).to_contain_text("Spent20")
    expect(stats).to_contain_text("Findings2")
    expect(page.locator("button.action-button", has_text="Creatine kinase")).to_have_count(0)
    # The same element as before the click: a redraw of the play area would have lost the mark.
    assert page.evaluate("document.getElementById('play-area').dataset.drawn") == "before the click"
    for seq in page.locator("input[name=seq]").all():
        expect(seq).to_have_value("2")
    screenshot(page, "case-htmx-oob-update")

    # The next click, from the updated forms, is recorded as the third step.
    take(page, "Ask about recent illness")
    expect(stats).to_contain_text("Findings3")
    page.reload()
    expect(page.locator(".chart-row")).to_have_count(3)
    expect(page.locator("button.action-button", has_text="Creatine kinase")).to_have_count(0)
