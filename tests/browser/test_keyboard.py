"""A case played to its debrief, and a quiz taken to its result, with the keyboard alone: Tab and
Shift+Tab to move, Enter and Space to press, no mouse. Every stop of the focus is visible, and
after each htmx swap the focus is still in the play area (not thrown back to the top of the
page), so the next Tab goes on from where the learner was.

These contexts keep the CSP on (only the axe tests bypass it).
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.test_quizzes import QUESTIONS, quiz_world  # noqa: F401  (fixture)
from tests.factories import PASSWORD, LearnerFactory

MOST_TABS = 200  # more stops than any page has: a target not reached by then is unreachable

IS_FOCUSED = "el => el === document.activeElement"
AFTER_FOCUS = """el => {
  const a = document.activeElement;
  if (!a || a === document.body) return true;
  return Boolean(a.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""
# The focused element as a person sees it: shown on screen with a focus ring.
FOCUS_SEEN = """() => {
  const a = document.activeElement;
  if (!a || a === document.body) return "nothing is focused";
  const box = a.getBoundingClientRect();
  const style = getComputedStyle(a);
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== "none";
  const text = (a.innerText || a.value || "").trim().slice(0, 40);
  const name = a.tagName + (a.id ? "#" + a.id : "") + " " + text;
  if (box.width === 0 || box.height === 0) return name + " is focused but has no size";
  if (!a.matches(":focus-visible") || !ring) return name + " is focused without a focus ring";
  // Not hidden under something that stays on screen (the case's sticky commit bar).
  const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  if (top && top !== a && !a.contains(top) && !top.contains(a))
    return name + " is focused but hidden under " + top.tagName + "." + top.className;
  return "";
}"""


def assert_focus_seen(page) -> None:
    problem = page.evaluate(FOCUS_SEEN)
    assert not problem, problem


def tab_to(page, target) -> str:
    """Tab (or Shift+Tab, if the target is before the focus) until the target has the focus;
    returns the key that got there ("" when it already had the focus)."""
    target.wait_for()
    key = "Tab" if target.evaluate(AFTER_FOCUS) else "Shift+Tab"
    for presses in range(MOST_TABS):
        if target.evaluate(IS_FOCUSED):
            return key if presses else ""
        page.keyboard.press(key)
        assert_focus_seen(page)
    raise AssertionError(f"{MOST_TABS} presses of {key} never reached {target}")


def press(page, target, key: str = "Enter") -> str:
    moved_by = tab_to(page, target)
    page.keyboard.press(key)
    return moved_by


FOCUS_INSIDE = "s => { const a = document.activeElement; return Boolean(a && a.closest(s)); }"


def assert_focus_in(page, selector: str) -> None:
    """The focus settles inside `selector` once htmx has finished (it may move it on settle)."""
    try:
        page.wait_for_function(FOCUS_INSIDE, arg=selector, timeout=5_000)
    except PlaywrightTimeout:
        where = page.evaluate("() => document.activeElement && document.activeElement.outerHTML")
        raise AssertionError(
            f"after the swap the focus is on {str(where)[:120]}, not inside {selector}"
        ) from None
    assert_focus_seen(page)


def sign_in_by_keyboard(page, username: str) -> None:
    page.goto("/accounts/sign-in/")
    press(page, page.get_by_label("Username"), "Tab")  # tabbing past shows it is reachable
    page.keyboard.press("Shift+Tab")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def next_step(page, target, key: str = "Enter") -> str:
    """Press a play-area button by keyboard; wait for htmx to swap in the next step, and for
    the focus to settle in the page's content (not on <body>, the top of the page)."""
    seq = page.locator("input[name=seq]").first
    expected = str(int(seq.get_attribute("value")) + 1)
    moved_by = press(page, target, key)
    expect(page.locator("input[name=seq]").first).to_have_value(expected)
    assert_focus_in(page, "main")
    return moved_by


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_a_case_is_played_to_its_debrief_by_keyboard(page, transactional_db, width, screenshot):
    page.set_viewport_size({"width": width, "height": 900 if width > 800 else 740})
    call_command("load_content", verbosity=0)
    learner = LearnerFactory()
    sign_in_by_keyboard(page, learner.username)
    page.goto("/cases/")
    press(page, page.get_by_role("button", name="Start training on Tingling feet, then the stairs"))
    expect(page.locator("h1")).to_have_text("Tingling feet, then the stairs")
    page.evaluate("window.sameDocument = true")  # gone if a key press reloads the page

    def action(label: str):
        return page.locator("button.action-button", has_text=label)

    keys = [next_step(page, action("Measure forced vital capacity"))]
    expect(page.locator(".chart-row.is-latest")).to_contain_text("1.5 L")
    keys.append(next_step(page, action("Ask how the weakness began"), "Space"))
    keys.append(next_step(page, action("Test tendon reflexes")))
    # The working localization, on the motor-unit diagram above the actions.
    level = page.get_by_role("button", name="Peripheral nerve", exact=True)
    keys.append(next_step(page, level, "Space"))
    expect(level).to_have_attribute("aria-pressed", "true")
    keys.append(next_step(page, action("Admit to intensive care")))
    expect(page.locator(".stage h2")).to_have_text("Intensive care unit")
    screenshot(page, f"keyboard-case-new-stage-{width}")
    keys.append(next_step(page, action("Nerve conduction studies")))
    assert page.evaluate("window.sameDocument === true"), "htmx should swap, not reload"
    assert {"Tab", "Shift+Tab"} <= set(keys), f"both directions used: {keys}"

    # Commit: the working level is already the chosen one (and confidence Medium); Tab to it
    # shows the form is reachable, then on to the button.
    form = page.locator("form.commit-form")
    tab_to(page, form.get_by_label("Peripheral nerve", exact=True))
    expect(form.get_by_label("Peripheral nerve", exact=True)).to_be_checked()
    press(page, form.get_by_role("button", name="Commit and see the debrief"))
    expect(page.locator("h1")).to_contain_text("Debrief")
    expect(page.locator("tr.part-localization .part-value")).to_have_text(re.compile(r"\d+%"))
    # The debrief's folded path opens from the keyboard.
    press(page, page.locator(".path-fold > summary"))
    expect(page.locator(".path .chart-action").first).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_quiz_is_taken_to_its_result_by_keyboard(page, quiz_world):  # noqa: F811
    sign_in_by_keyboard(page, "lee")
    page.goto("/quizzes/")
    press(page, page.get_by_role("button", name="Practice: Classification by anatomical level"))
    for number in range(1, len(QUESTIONS) + 1):
        expect(page.get_by_text(f"Question {number} of {len(QUESTIONS)}")).to_be_visible()
        first_choice = page.locator(".choice input").first
        press(page, first_choice, "Space")  # Tab enters the radio group at its first option
        expect(first_choice).to_be_checked()
        press(page, page.get_by_role("button", name="Check answer"))
        expect(page.locator(".verdict")).to_be_visible()
        assert_focus_in(page, "main")
        last = number == len(QUESTIONS)
        press(page, page.get_by_role("link", name="See your result" if last else "Next question"))
    expect(page.locator(".stats")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
