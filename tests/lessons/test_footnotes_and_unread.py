"""A reference cited three times shows one back arrow, not "↩↩↩"; a read lesson can be marked
unread again (plain form and htmx)."""

import pytest
from django.urls import reverse

from edu.lessons import content
from edu.lessons.models import Lesson, LessonProgress
from edu.lessons.rendering import render_lesson
from tests.lessons.conftest import write_lesson

THRICE = """Weakness that fades with rest.[^mg] Ptosis by evening.[^mg] Ice helps.[^mg]
CK is high.[^ck]

[^mg]: Guideline. *Myasthenia overview*. Editors, 2025.
[^ck]: Review. *Creatine kinase*. Editors, 2024.
"""


def footnote_item(html: str, footnote: str) -> str:
    start = html.index(f'<li id="fn:{footnote}">')
    return html[start : html.index("</li>", start)]


def test_a_reference_cited_three_times_has_one_arrow_and_numbered_links():
    html, _ = render_lesson(THRICE)
    item = footnote_item(html, "mg")
    assert item.count("↩") == 1
    assert 'href="#fnref:mg"' in item  # the arrow goes back to the first mention
    assert 'href="#fnref2:mg"' in item and ">2</a>" in item
    assert 'href="#fnref3:mg"' in item and ">3</a>" in item
    assert footnote_item(html, "ck").count("↩") == 1


def test_a_change_in_rendering_renders_loaded_lessons_again(content_dir, load, monkeypatch):
    write_lesson(content_dir, 1)
    assert load(content_dir) == {"created": 1}
    assert load(content_dir) == {"unchanged": 1}
    monkeypatch.setattr(content, "RENDERING_VERSION", "next")
    assert load(content_dir) == {"updated": 1}


@pytest.fixture
def lesson(content_dir, load):
    write_lesson(content_dir, 1)
    load(content_dir)
    return Lesson.objects.get()


def test_a_read_lesson_can_be_marked_unread(learner_client, learner, lesson):
    read = reverse("lessons:mark-read", args=["weakness", lesson.slug])
    unread = reverse("lessons:mark-unread", args=["weakness", lesson.slug])
    page = learner_client.post(read, follow=True).content.decode()
    assert f'action="{unread}"' in page
    assert "Mark as unread" in page

    response = learner_client.post(unread, follow=True)
    body = response.content.decode()
    assert "marked as not read yet" in body
    assert f'action="{read}"' in body
    assert "You have read this lesson." not in body
    assert not LessonProgress.objects.filter(user=learner).exists()
    learner_client.post(unread)  # a second click changes nothing
    assert not LessonProgress.objects.filter(user=learner).exists()


def test_mark_unread_with_htmx_returns_only_the_status(learner_client, learner, lesson):
    LessonProgress.objects.create(user=learner, lesson=lesson)
    url = reverse("lessons:mark-unread", args=["weakness", lesson.slug])
    body = learner_client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="read-status"' in body
    assert "Mark as read" in body
    assert "<html" not in body
    assert not LessonProgress.objects.filter(user=learner).exists()


def test_mark_unread_touches_only_this_learners_progress(learner_client, lesson):
    from tests.factories import LearnerFactory

    other = LearnerFactory()
    LessonProgress.objects.create(user=other, lesson=lesson)
    learner_client.post(reverse("lessons:mark-unread", args=["weakness", lesson.slug]))
    assert LessonProgress.objects.filter(user=other).exists()
