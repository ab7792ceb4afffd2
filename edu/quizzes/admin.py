"""Authors review the question bank here: read drafts, fix wording, approve in bulk.

The approval rule (kept across `load_content`) is spelled out on the form, because it is the
one thing an author must know: see `APPROVAL_RULE`. Bulk approval runs each question, as it now
reads in the database, through the same checker as the question files (format and item
writing), so a draft that would fail `validate_content` never reaches learners from here.
"""

import tomli_w
from django import forms
from django.contrib import admin, messages
from django.utils.text import Truncator

from cases.engine.faults import Fault

from . import services
from .models import (
    APPROVAL_RULE,
    Option,
    Question,
    QuizAttempt,
    QuizDefinition,
    ReviewCard,
)
from .question_format import check_question_text


def approval_faults(question: Question) -> list[Fault]:
    """What the question checker finds in the question as it would be published (approved);
    its lesson section is not stored in the database, so only the file check asks for it."""
    topic = question.lesson_key.partition("/")[0]
    entry = {
        "id": question.external_id,
        "status": "approved",
        "kind": question.kind,
        "lesson": question.lesson_key,
        **({"level": question.level} if question.level else {}),
        "difficulty": question.difficulty,
        "stem": question.stem,
        "explanation": question.explanation,
        "options": [
            {
                "text": option.text,
                "why": option.why,
                **({"correct": True} if option.is_correct else {}),
            }
            for option in sorted(question.options.all(), key=lambda option: option.position)
        ],
    }
    text = tomli_w.dumps({"topic": topic, "questions": [entry]})
    return check_question_text(text, question.external_id)


class OptionFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        correct = sum(1 for data in kept if data.get("is_correct"))
        if kept and correct != 1:
            raise forms.ValidationError(
                f"Mark exactly one option as correct ({correct} are marked)."
            )


class OptionInline(admin.TabularInline):
    """Wording and the correct mark may be fixed here; which options exist is the file's job."""

    model = Option
    formset = OptionFormSet
    fields = ["position", "text", "is_correct", "why"]
    readonly_fields = ["position"]
    extra = 0
    can_delete = False
    ordering = ["position"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = [
        "external_id",
        "short_stem",
        "lesson_key",
        "level",
        "difficulty",
        "status",
        "file_status",
        "approved_in_admin",
        "is_active",
    ]
    list_filter = ["status", "lesson", "level", "difficulty", "kind", "is_active", "file_status"]
    search_fields = ["external_id", "stem", "lesson_key"]
    list_select_related = ["lesson"]
    list_per_page = 50
    actions = ["approve_selected", "return_selected_to_draft"]
    readonly_fields = [
        "external_id",
        "status",
        "file_status",
        "lesson_key",
        "lesson",
        "source_path",
        "updated_at",
    ]
    fieldsets = [
        (
            "Review",
            {
                "fields": ["status", "approved_in_admin", "file_status", "is_active"],
                "description": APPROVAL_RULE,
            },
        ),
        ("Question", {"fields": ["stem", "explanation", "kind", "level", "difficulty"]}),
        (
            "Where it comes from",
            {"fields": ["external_id", "lesson_key", "lesson", "source_path", "updated_at"]},
        ),
    ]
    inlines = [OptionInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Option:
            return super().save_formset(request, form, formset, change)
        # Moving the correct mark from one option to another would briefly give the question
        # two correct options (refused by the database); clear the mark first, then set it.
        Option.objects.filter(question=form.instance).update(is_correct=False)
        formset.save()
        correct = [
            f.instance.pk
            for f in formset.forms
            if f.cleaned_data.get("is_correct") and f.instance.pk
        ]
        Option.objects.filter(pk__in=correct).update(is_correct=True)

    @admin.display(description="Stem")
    def short_stem(self, question: Question) -> str:
        return Truncator(question.stem).chars(90)

    @admin.action(description="Approve selected questions")
    def approve_selected(self, request, queryset):
        fit, refused = [], []
        for question in queryset.prefetch_related("options"):
            faults = approval_faults(question)
            (refused if faults else fit).append((question, faults))
        count = services.approve_questions(questions=[question for question, _ in fit])
        if count:
            self.message_user(
                request, f"{count} question(s) approved; they now reach learners.", messages.SUCCESS
            )
        for question, faults in refused:
            problems = "; ".join(f"{fault.key}: {fault.message}" for fault in faults[:3])
            self.message_user(
                request,
                f"{question.external_id} was not approved, because the question checker "
                f"found: {problems}. Fix it (here or in its file) and approve it again.",
                messages.ERROR,
            )

    @admin.action(description="Return selected to draft (withdraw admin approval)")
    def return_selected_to_draft(self, request, queryset):
        count = services.return_to_draft(questions=queryset)
        self.message_user(
            request,
            f"{count} question(s) back to draft. Questions whose file says approved stay "
            "approved: change the file to withdraw them.",
            messages.INFO,
        )


@admin.register(QuizDefinition)
class QuizDefinitionAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "question_count", "order", "generated", "is_active"]
    list_filter = ["generated", "is_active"]
    search_fields = ["title", "slug"]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "definition",
        "mode",
        "status",
        "n_correct",
        "n_items",
        "score",
        "is_first_attempt",
        "started_at",
    ]
    list_filter = ["mode", "status", "is_first_attempt"]
    list_select_related = ["user", "definition"]
    search_fields = ["user__username"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReviewCard)
class ReviewCardAdmin(admin.ModelAdmin):
    list_display = ["user", "question", "due", "reviews", "last_review"]
    list_select_related = ["user", "question"]
    search_fields = ["user__username", "question__external_id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
