"""Topics, their lessons (Markdown rendered once at load time) and each learner's reading."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Topic(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    source_title = models.CharField(max_length=300, blank=True)
    source_updated = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("lessons:topic", args=[self.slug])


class Lesson(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="lessons")
    slug = models.SlugField(max_length=120)
    title = models.CharField(max_length=200)
    order = models.PositiveIntegerField()
    objectives = models.JSONField(default=list, blank=True)
    key_terms = models.JSONField(default=list, blank=True)
    body_markdown = models.TextField()
    body_html = models.TextField(help_text="Rendered and sanitised at load time.")
    toc_html = models.TextField(blank=True)
    source_path = models.CharField(max_length=300)
    content_hash = models.CharField(max_length=64)
    is_active = models.BooleanField(default=True, help_text="False once its file is removed.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["topic", "order"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "slug"], name="lessons_unique_slug_in_topic"),
        ]
        indexes = [models.Index(fields=["topic", "is_active", "order"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("lessons:lesson", args=[self.topic.slug, self.slug])

    @property
    def key(self) -> str:
        return f"{self.topic.slug}/{self.slug}"


class LessonProgress(models.Model):
    """A learner has read a lesson. One row per learner and lesson; never deleted by loading."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lessons_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.lesson}"
