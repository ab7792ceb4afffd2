"""Writes on lessons: a learner marks a lesson read (idempotent)."""

from .models import Lesson, LessonProgress


def mark_lesson_read(*, user, lesson: Lesson) -> bool:
    """Record that the user read the lesson. Returns True the first time, False after."""
    _, created = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    return created
