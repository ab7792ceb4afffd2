"""Lesson pages: topics, a topic's lessons with progress, a lesson, and "mark as (un)read"."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from edu.access import Rule, access

from . import selectors
from .models import Lesson, Topic
from .services import mark_lesson_read, mark_lesson_unread


@access(Rule.PUBLIC)
def index(request):
    topics = list(selectors.topic_list())
    if len(topics) == 1:
        return redirect(topics[0])
    return render(request, "lessons/index.html", {"topics": topics})


@access(Rule.PUBLIC)
def topic(request, topic_slug):
    topic = get_object_or_404(Topic, slug=topic_slug)
    lessons = list(selectors.lessons_with_progress(topic=topic, user=request.user))
    read = sum(1 for lesson in lessons if lesson.is_read)
    return render(
        request,
        "lessons/topic.html",
        {"topic": topic, "lessons": lessons, "read_count": read, "total": len(lessons)},
    )


@access(Rule.PUBLIC)
def lesson(request, topic_slug, lesson_slug):
    context = selectors.lesson_page(
        topic_slug=topic_slug, lesson_slug=lesson_slug, user=request.user
    )
    return render(request, "lessons/lesson.html", context)


def _active_lesson(topic_slug, lesson_slug):
    return get_object_or_404(
        Lesson.objects.select_related("topic"),
        topic__slug=topic_slug,
        slug=lesson_slug,
        is_active=True,
    )


def _read_status(request, lesson, *, is_read: bool, message: str):
    if request.htmx:
        return render(
            request, "lessons/lesson.html#read-status", {"lesson": lesson, "is_read": is_read}
        )
    messages.success(request, message)
    return redirect(lesson)


@require_POST
@access(Rule.SIGNED_IN)
def mark_read(request, topic_slug, lesson_slug):
    lesson = _active_lesson(topic_slug, lesson_slug)
    mark_lesson_read(user=request.user, lesson=lesson)
    return _read_status(request, lesson, is_read=True, message=f"“{lesson.title}” marked as read.")


@require_POST
@access(Rule.SIGNED_IN)
def mark_unread(request, topic_slug, lesson_slug):
    lesson = _active_lesson(topic_slug, lesson_slug)
    mark_lesson_unread(user=request.user, lesson=lesson)
    return _read_status(
        request, lesson, is_read=False, message=f"“{lesson.title}” marked as not read yet."
    )
