"""Writes on lessons: a learner marks a lesson read, or unread again (both idempotent)."""

from .models import Lesson, LessonProgress


def mark_lesson_read(*, user, lesson: Lesson) -> bool:
    """Record that the user read the lesson. Returns True the first time, False after."""
    _, created = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    return created


def mark_lesson_unread(*, user, lesson: Lesson) -> bool:
    """Forget that the user read the lesson. Returns True if it had been marked read."""
    deleted, _ = LessonProgress.objects.filter(user=user, lesson=lesson).delete()
    return deleted > 0
