"""Admin for cases: versions and attempts are records, so they are read-only here."""

from django.contrib import admin

from cases.models import Attempt, AttemptEvent, Case, CaseVersion, ScoreRevision


class CaseVersionInline(admin.TabularInline):
    model = CaseVersion
    fields = ("number", "content_hash", "source_path", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "level", "difficulty", "is_active", "current_version")
    list_filter = ("is_active", "difficulty", "level")
    search_fields = ("title", "slug")
    readonly_fields = ("slug", "current_version", "updated_at")
    inlines = [CaseVersionInline]


@admin.register(CaseVersion)
class CaseVersionAdmin(admin.ModelAdmin):
    list_display = ("case", "number", "content_hash", "created_at")
    list_select_related = ("case",)
    readonly_fields = ("case", "number", "content_hash", "definition", "source_path", "created_at")

    def has_add_permission(self, request):
        return False


class AttemptEventInline(admin.TabularInline):
    model = AttemptEvent
    fields = ("seq", "event", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ScoreRevisionInline(admin.TabularInline):
    """Old and new scores from each re-scoring, kept for audit."""

    model = ScoreRevision
    fields = (
        "from_version",
        "to_version",
        "old_overall",
        "new_overall",
        "old_localization",
        "new_localization",
        "created_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "case",
        "mode",
        "status",
        "event_count",
        "chosen_level",
        "score_overall",
        "started_at",
    )
    list_filter = ("status", "mode", "case")
    list_select_related = ("user", "case")
    search_fields = ("user__username", "case__title")
    readonly_fields = [field.name for field in Attempt._meta.fields]
    inlines = [ScoreRevisionInline, AttemptEventInline]

    def has_add_permission(self, request):
        return False
