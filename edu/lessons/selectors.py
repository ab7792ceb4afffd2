"""Reads shared by the lesson pages: topics, a topic's lessons with progress, one lesson."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from edu.quizzes.selectors import quiz_for_lesson

from .models import Lesson, LessonProgress, Topic


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.annotate(
        lesson_count=Count("lessons", filter=Q(lessons__is_active=True))
    ).filter(lesson_count__gt=0)


def lessons_with_progress(*, topic: Topic, user) -> QuerySet[Lesson]:
    """The topic's lessons in order, each with `is_read` for this user (False if anonymous)."""
    lessons = Lesson.objects.filter(topic=topic, is_active=True).order_by("order")
    if user.is_authenticated:
        read = LessonProgress.objects.filter(user=user, lesson=OuterRef("pk"))
        return lessons.annotate(is_read=Exists(read))
    return lessons.annotate(is_read=Exists(LessonProgress.objects.none()))


def lesson_page(*, topic_slug: str, lesson_slug: str, user) -> dict:
    """The lesson, its neighbours for previous/next links, whether the user has read it, and
    the lesson's quiz for the "test yourself" panel."""
    lesson = get_object_or_404(
        Lesson.objects.select_related("topic"),
        topic__slug=topic_slug,
        slug=lesson_slug,
        is_active=True,
    )
    siblings = list(
        Lesson.objects.filter(topic=lesson.topic, is_active=True)
        .order_by("order")
        .values("slug", "title", "order")
    )
    index = next(i for i, s in enumerate(siblings) if s["slug"] == lesson.slug)
    is_read = (
        user.is_authenticated and LessonProgress.objects.filter(user=user, lesson=lesson).exists()
    )
    return {
        "lesson": lesson,
        "topic": lesson.topic,
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        "position": index + 1,
        "total": len(siblings),
        "is_read": is_read,
        "quiz": quiz_for_lesson(lesson=lesson),
    }


def lesson_titles(keys) -> dict[str, str]:
    """Titles of the active lessons among `keys` ("<topic>/<slug>"), in one query."""
    wanted = {tuple(key.split("/", 1)) for key in keys if "/" in key}
    if not wanted:
        return {}
    rows = Lesson.objects.filter(
        is_active=True,
        topic__slug__in={topic for topic, _ in wanted},
        slug__in={slug for _, slug in wanted},
    ).values_list("topic__slug", "slug", "title")
    return {f"{topic}/{slug}": title for topic, slug, title in rows if (topic, slug) in wanted}
