"""The "Import a document" page: who may use it, preview, publish into a temporary content
folder, a second publish changing nothing, and bad input getting one clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from edu.lessons.models import Lesson
from tests.factories import InstructorFactory, LearnerFactory, ProgramAdminFactory
from tests.lessons.documents import build_pdf, sample

BASE = Path(__file__).resolve().parents[2]
URL = "/authoring/import/"


@pytest.fixture
def content_dir(tmp_path, settings):
    folder = tmp_path / "content"
    shutil.copytree(BASE / "content", folder)
    settings.CONTENT_DIR = folder
    settings.IMPORT_STAGING_DIR = tmp_path / "staging"
    return folder


@pytest.fixture
def author(db):
    return InstructorFactory(is_author=True)


def upload(client, data: bytes, name: str, topic: str = ""):
    return client.post(URL, {"document": SimpleUploadedFile(name, data), "topic": topic})


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("learner", 403), ("instructor", 403), ("author", 200), ("admin", 200)],
)
def test_who_may_open_the_import_page(client, db, who, status):
    users = {
        "learner": lambda: LearnerFactory(),
        "instructor": lambda: InstructorFactory(),
        "author": lambda: InstructorFactory(is_author=True),
        "admin": lambda: ProgramAdminFactory(),
    }
    if who in users:
        client.force_login(users[who]())
    assert client.get(URL).status_code == status


def test_the_page_pins_its_queries(client, author, django_assert_num_queries):
    client.force_login(author)
    with django_assert_num_queries(1):  # the user (sessions live in the cache)
        response = client.get(URL)
    assert response.status_code == 200
    assert "<h1>Import a document</h1>" in response.content.decode()


def test_the_preview_pins_its_queries(client, author, content_dir, django_assert_num_queries):
    client.force_login(author)
    text = "Weakness notes\n\nDefinition\n\nWeakness is a true loss of power.\n"
    with django_assert_num_queries(1):  # the user; the import itself touches no table
        response = client.post(URL, {"text": text})
    assert response.status_code == 200
    assert "Preview: Weakness notes" in response.content.decode()


def test_preview_shows_lessons_and_what_was_dropped_and_writes_nothing(client, author, content_dir):
    client.force_login(author)
    before = sorted(p.name for p in content_dir.rglob("*"))
    response = upload(client, build_pdf(sample("pdf-sample.txt")), "myasthenia.pdf")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview: Myasthenia Gravis: Teaching Notes" in page
    assert "History and Physical" in page
    assert "running header or footer" in page
    assert "Publish these lessons" in page
    assert sorted(p.name for p in content_dir.rglob("*")) == before
    assert not Lesson.objects.filter(topic__slug="myasthenia").exists()


def test_publish_writes_the_files_loads_them_and_a_second_publish_changes_nothing(
    client, author, content_dir
):
    client.force_login(author)
    response = upload(client, build_pdf(sample("pdf-sample.txt")), "myasthenia.pdf")
    token = response.context["publish_form"].initial["token"]
    published = client.post(reverse("authoring:publish"), {"token": token, "topic": "myasthenia"})
    assert published.status_code == 302 and published.url == "/lessons/myasthenia/"
    files = sorted(p.name for p in (content_dir / "lessons" / "myasthenia").iterdir())
    assert files[0] == "1-introduction.md" or files[0].startswith("01-")
    assert Lesson.objects.filter(topic__slug="myasthenia", is_active=True).count() == len(files)
    stamps = list(Lesson.objects.values_list("updated_at", flat=True))
    again = client.post(
        reverse("authoring:publish"), {"token": token, "topic": "myasthenia"}, follow=True
    )
    assert "Nothing changed" in again.content.decode()
    assert list(Lesson.objects.values_list("updated_at", flat=True)) == stamps


def test_bad_input_gets_one_clear_message_and_changes_nothing(client, author, content_dir):
    client.force_login(author)
    response = upload(client, b"%PDF-1.4 this is not really a PDF", "broken.pdf")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('role="alert"') == 1
    assert "This document cannot be imported." in page
    assert "Publish these lessons" not in page


def test_a_forged_or_foreign_token_is_refused(client, author, content_dir):
    client.force_login(author)
    response = client.post(
        reverse("authoring:publish"), {"token": "forged", "topic": "x"}, follow=True
    )
    assert "This preview has expired" in response.content.decode()


def test_a_learner_cannot_publish(client, db):
    client.force_login(LearnerFactory())
    response = client.post(reverse("authoring:publish"), {"token": "t", "topic": "x"})
    assert response.status_code == 403


def test_the_same_upload_by_a_learner_is_refused_and_nothing_is_staged(client, db, content_dir):
    client.force_login(LearnerFactory())
    response = upload(client, build_pdf(sample("pdf-sample.txt")), "myasthenia.pdf")
    assert response.status_code == 403
    staging = content_dir.parent / "staging"
    assert not staging.exists() or not any(staging.rglob("*"))


def test_authors_see_the_import_link_and_learners_do_not(client, author):
    client.force_login(author)
    assert 'href="/authoring/import/"' in client.get("/lessons/").content.decode()
    client.force_login(LearnerFactory())
    assert 'href="/authoring/import/"' not in client.get("/lessons/").content.decode()


def test_an_upload_over_the_limit_is_refused_with_a_message(client, author, content_dir, settings):
    client.force_login(author)
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 10)
    response = upload(client, big, "big.pdf")
    page = response.content.decode()
    assert response.status_code == 200
    assert "larger than 10 MB" in page
    assert "Publish these lessons" not in page


def test_the_upload_form_still_needs_its_csrf_token(author, content_dir):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    response = upload(client, b"Title\n\nDefinition\n\nText here.\n", "notes.txt")
    assert response.status_code == 403


def test_publishing_where_the_content_folder_cannot_be_written_changes_nothing(
    client, author, content_dir, settings, tmp_path
):
    client.force_login(author)
    response = upload(client, build_pdf(sample("pdf-sample.txt")), "myasthenia.pdf")
    token = response.context["publish_form"].initial["token"]
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the content folder should be")
    settings.CONTENT_DIR = blocked
    published = client.post(
        reverse("authoring:publish"), {"token": token, "topic": "myasthenia"}, follow=True
    )
    assert "cannot write to its content folder" in published.content.decode()
    assert not Lesson.objects.filter(topic__slug="myasthenia").exists()


def test_the_author_flag_is_editable_in_the_admin(admin_client, db):
    instructor = InstructorFactory()
    page = admin_client.get(f"/admin/accounts/user/{instructor.pk}/change/").content.decode()
    assert 'name="is_author"' in page


def test_pasted_markdown_previews_with_a_topic_from_its_title(client, author, content_dir):
    client.force_login(author)
    text = (
        "# Foot drop: where is the lesion?\n\n## Definition\n\n"
        "**Foot drop** is weakness of ankle dorsiflexion [1][2].\n\n## References\n\n"
        "1. Review. *Foot drop*. Example Journal, 2020.\n"
        "2. Guideline. *Peroneal palsy*. Example Society, 2021.\n"
    )
    response = client.post(URL, {"text": text, "topic": ""})
    assert response.status_code == 200
    assert response.context["plan"].topic == "foot-drop-where-is-the-lesion"
    assert response.context["plan"].kind == "markdown"
    assert "Preview: Foot drop: where is the lesion?" in response.content.decode()


def test_with_htmx_the_preview_comes_back_alone(client, author, content_dir):
    client.force_login(author)
    text = "Weakness notes\n\nDefinition\n\nWeakness is a true loss of power.\n"
    response = client.post(URL, {"text": text}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="import-result">')
    assert "Preview: Weakness notes" in page and "<h1>" not in page
