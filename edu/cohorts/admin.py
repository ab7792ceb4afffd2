"""Cohorts in the Django admin, for program admins fixing data by hand; the cohort pages are
where instructors work."""

from django.contrib import admin

from .models import Assignment, Cohort, Enrolment, RiskDismissal


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    raw_id_fields = ("learner",)
    fields = ("learner", "joined_at", "left_at", "end_reason")
    readonly_fields = ("joined_at",)


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ("kind", "lesson", "quiz", "case", "opens_at", "due_at", "attempts_limit", "mode")


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "term", "code", "join_open", "created_at")
    search_fields = ("name", "code", "term")
    filter_horizontal = ("instructors",)
    inlines = [AssignmentInline, EnrolmentInline]


@admin.register(RiskDismissal)
class RiskDismissalAdmin(admin.ModelAdmin):
    list_display = ("cohort", "learner", "reason", "dismissed_by", "dismissed_at")
    raw_id_fields = ("learner", "dismissed_by")
