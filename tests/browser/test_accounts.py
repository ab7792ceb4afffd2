"""Sign-up in a browser, on a desktop and a phone: the site's form styling, and a weak password
reported right under the password field."""

import pytest
from playwright.sync_api import expect


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_sign_up_shows_the_password_error_under_the_password(request, device, screenshot):
    page = request.getfixturevalue(device)
    width = "1280" if device == "page" else "375"
    page.goto("/accounts/sign-up/")
    page.get_by_label("Username").fill("newbie")
    page.locator("#id_password1").fill("password")
    page.locator("#id_password2").fill("password")
    page.get_by_role("button", name="Create account").click()
    error = page.locator("#id_password1_error")
    expect(error).to_contain_text("This password is too common.")
    field, below = page.locator("#id_password1").bounding_box(), error.bounding_box()
    assert below["y"] >= field["y"] + field["height"], "the error sits under the password input"
    assert page.evaluate("document.documentElement.scrollWidth") <= int(width)
    screenshot(page, f"sign-up-error-{width}")
