from django.contrib import admin

from .models import Lesson, LessonProgress, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "source_updated")


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ("title", "topic", "order", "is_active", "updated_at")
    list_filter = ("topic", "is_active")
    readonly_fields = ("body_html", "toc_html", "content_hash", "source_path")


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "lesson", "read_at")
    raw_id_fields = ("user", "lesson")
