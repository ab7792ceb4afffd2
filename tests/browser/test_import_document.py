"""An instructor marked as an author imports a PDF from the site; a learner reads the lesson;
a learner's own upload is refused. Publishes into a temporary content folder."""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, InstructorFactory, LearnerFactory
from tests.lessons.documents import build_pdf, sample

BASE = Path(__file__).resolve().parents[2]


@pytest.fixture
def content_dir(tmp_path, settings):
    folder = tmp_path / "content"
    shutil.copytree(BASE / "content", folder)
    settings.CONTENT_DIR = folder
    settings.IMPORT_STAGING_DIR = tmp_path / "staging"
    call_command("load_content", content_dir=folder, verbosity=0)
    return folder


@pytest.mark.django_db(transaction=True)
def test_an_author_imports_a_pdf_and_a_learner_reads_it(
    page, phone_page, screenshot, content_dir, tmp_path
):
    pdf = tmp_path / "myasthenia.pdf"
    pdf.write_bytes(build_pdf(sample("pdf-sample.txt")))
    author = InstructorFactory(username="author", is_author=True)
    sign_in(page, author.username, PASSWORD)
    page.goto("/authoring/import/")
    page.get_by_label("Document", exact=True).set_input_files(str(pdf))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview: Myasthenia Gravis")).to_be_visible()
    expect(page.get_by_text("running header or footer").first).to_be_visible()
    screenshot(page, "import-preview")

    sign_in(phone_page, author.username, PASSWORD)
    phone_page.goto("/authoring/import/")
    phone_page.get_by_label("Document", exact=True).set_input_files(str(pdf))
    phone_page.get_by_role("button", name="Preview").click()
    expect(phone_page.get_by_role("heading", name="Preview: Myasthenia Gravis")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"import preview scrolls sideways on a phone ({width}px)"
    screenshot(phone_page, "import-preview-phone")

    page.get_by_label("Topic", exact=True).fill("myasthenia")
    page.get_by_role("button", name="Publish these lessons").click()
    expect(page.get_by_text("Published")).to_be_visible()
    assert (content_dir / "lessons" / "myasthenia").is_dir()

    learner = LearnerFactory(username="reader")
    page.context.clear_cookies()
    sign_in(page, learner.username, PASSWORD)
    page.goto("/lessons/myasthenia/")
    page.get_by_role("link", name="History and Physical").click()
    expect(page.locator("h1")).to_have_text("History and Physical")
    expect(page.get_by_text("drooping eyelids that are worse")).to_be_visible()
    screenshot(page, "import-learner-reads")

    refused = page.goto("/authoring/import/")
    assert refused.status == 403
    expect(page.get_by_label("Document", exact=True)).to_have_count(0)
    screenshot(page, "import-learner-refused")
