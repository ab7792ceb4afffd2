"""My progress on a phone: the case results' localization and overall scores can be read
without scrolling sideways, and the confusion matrix, the one table that may scroll, says so."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, LearnerFactory
from tests.quizzes.factories import finished_case_attempt

CASES = [
    ("Tingling feet, then the stairs", "peripheral-nerve", "peripheral-nerve"),
    ("Neck pain and a weak arm", "nerve-root", "peripheral-nerve"),
    ("Drooping eyelids by evening", "neuromuscular-junction", "muscle"),
    ("Twitching and wasting hands", "anterior-horn-cell", "nerve-root"),
    ("Stiff legs, brisk reflexes", "upper-motor-neuron", "anterior-horn-cell"),
    ("Tired all the time", "not-weakness", "muscle"),
]


@pytest.fixture
def learner_with_cases(transactional_db):
    learner = LearnerFactory(username="lee")
    for title, correct, chosen in CASES:
        finished_case_attempt(learner, correct=correct, chosen=chosen, title=title)
    return learner


def visible_in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_case_scores_and_the_matrix_are_readable(request, device, screenshot, learner_with_cases):
    page = request.getfixturevalue(device)
    width = "1280" if device == "page" else "375"
    sign_in(page, "lee", PASSWORD)
    page.goto("/quizzes/progress/")
    assert page.evaluate("document.documentElement.scrollWidth") <= int(width)

    rows = page.locator(".case-results tbody tr")
    expect(rows).to_have_count(len(CASES))
    for row in rows.all():
        for column in ("localization", "overall"):
            cell = row.locator(f"td.col-{column}")
            expect(cell).to_be_visible()
            assert visible_in_viewport(page, cell), f"{column} is off screen at {width}px"
    second = rows.filter(has_text="Neck pain")
    expect(second.locator("td.col-localization")).to_contain_text("0%")
    if width == "375":
        # Stacked: each value says what it is.
        label = second.locator("td.col-localization").evaluate(
            "el => getComputedStyle(el, '::before').content"
        )
        assert "Localization" in label

    matrix = page.locator(".confusion-scroll")
    overflows = matrix.evaluate("el => el.scrollWidth > el.clientWidth")
    cue = page.locator(".scroll-cue")
    if overflows:
        expect(cue).to_be_visible()
    else:
        expect(cue).to_be_hidden()
    screenshot(page, f"progress-cases-{width}")
