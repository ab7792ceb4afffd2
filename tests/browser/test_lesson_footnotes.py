"""A lesson's references in the browser: one back arrow per reference however often it is
cited, and a lesson marked read can be marked unread again (desktop and phone)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.factories import PASSWORD, LearnerFactory
from tests.lessons.conftest import write_lesson
from tests.lessons.test_footnotes_and_unread import THRICE


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_footnotes_have_one_arrow_and_reading_can_be_undone(request, device, screenshot, tmp_path):
    page = request.getfixturevalue(device)
    width = "1280" if device == "page" else "375"
    # A lesson of its own that cites one reference three times (the project's lessons may not).
    write_lesson(tmp_path, 1, topic="weakness", body_extra="\n" + THRICE)
    call_command("load_content", content_dir=tmp_path, verbosity=0)
    LearnerFactory(username="lee")
    sign_in(page, "lee", PASSWORD)
    page.goto("/lessons/weakness/lesson-1/")
    cited_twice = page.locator(".footnote li", has=page.locator(".footnote-backref-more"))
    expect(cited_twice.first).to_be_visible()
    for text in page.locator(".footnote li").all_inner_texts():
        assert text.count("↩") == 1, text

    page.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_text("You have read this lesson.")).to_be_visible()
    page.locator("#read-status").screenshot(path=str(SCREENSHOTS / f"lesson-read-{width}.png"))
    page.get_by_role("button", name="Mark as unread").click()
    expect(page.get_by_role("button", name="Mark as read")).to_be_visible()
    cited_twice.first.scroll_into_view_if_needed()
    screenshot(page, f"lesson-footnotes-{width}")
