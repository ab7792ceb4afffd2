"""An exam submitted with questions left asks first, saying how many; the result can show only
the questions got wrong or left. On a desktop and on a phone, with and without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_quizzes import correct_text, quiz_card, quiz_world, wrong_text  # noqa: F401
from tests.factories import PASSWORD


def start_exam_and_answer_two(page) -> None:
    sign_in(page, "lee", PASSWORD)
    page.goto("/quizzes/")
    quiz_card(page, "Classification").get_by_role("button", name="Exam").click()
    page.get_by_text("Question 1 of 4").wait_for()
    page.get_by_label(correct_text(page), exact=True).check()
    page.get_by_role("button", name="Save answer").click()
    page.get_by_text("Question 2 of 4").wait_for()
    page.get_by_label(wrong_text(page), exact=True).check()
    page.get_by_role("button", name="Save answer").click()
    page.get_by_text("Question 3 of 4").wait_for()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_exam_submit_asks_first_and_result_shows_only_the_wrong(
    request,
    device,
    screenshot,
    quiz_world,  # noqa: F811
):
    page = request.getfixturevalue(device)
    width = "1280" if device == "page" else "375"
    start_exam_and_answer_two(page)

    page.get_by_role("button", name="Submit exam").click()
    expect(page.get_by_role("heading", name="2 of 4 questions not answered yet")).to_be_visible()
    assert "/result/" not in page.url
    screenshot(page, f"exam-confirm-submit-{width}")
    page.get_by_role("button", name="Submit anyway").click()

    page.wait_for_url("**/result/")
    expect(page.locator(".result-item")).to_have_count(4)
    page.get_by_role("link", name="Only the 3 I got wrong or left").click()
    expect(page.locator(".result-item")).to_have_count(3)
    expect(page.locator(".result-item.is-right")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= int(width)
    screenshot(page, f"exam-result-only-wrong-{width}")


@pytest.mark.django_db(transaction=True)
def test_exam_submit_asks_first_without_javascript(chromium, live_server, screenshot, quiz_world):  # noqa: F811
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        start_exam_and_answer_two(page)
        page.get_by_role("button", name="Submit exam").click()
        expect(
            page.get_by_role("heading", name="2 of 4 questions not answered yet")
        ).to_be_visible()
        page.get_by_role("button", name="Submit anyway").click()
        page.wait_for_url("**/result/")
        expect(page.locator(".stats").get_by_text("25%")).to_be_visible()
    finally:
        context.close()
