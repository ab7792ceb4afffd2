"""The cohort pages' forms: shapes, types and friendly messages; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from cases.models import Case
from edu.accounts.models import Role
from edu.lessons.models import Lesson
from edu.quizzes.models import QuizDefinition

from .models import Kind, Mode

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def instructor_choices():
    return get_user_model().objects.filter(role=Role.INSTRUCTOR).order_by("last_name", "username")


class CohortForm(forms.Form):
    name = forms.CharField(max_length=120)
    term = forms.CharField(max_length=60, required=False, help_text="e.g. Spring 2027, block 2")
    starts_on = forms.DateField(required=False, widget=DATE, label="Starts on")
    ends_on = forms.DateField(required=False, widget=DATE, label="Ends on")
    instructors = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Co-instructors",
        help_text="Only instructor accounts are listed.",
    )

    def __init__(self, *args, exclude_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = instructor_choices()
        if exclude_user is not None:
            choices = choices.exclude(pk=exclude_user.pk)
        self.fields["instructors"].queryset = choices
        self.fields["instructors"].label_from_instance = lambda u: (
            f"{u.display_name} ({u.username})"
        )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The cohort must end on or after the day it starts.")
        return data


class JoinForm(forms.Form):
    code = forms.CharField(
        max_length=200, label="Join code", help_text="The code or link your instructor gave you."
    )


class AddLearnersForm(forms.Form):
    identifiers = forms.CharField(
        max_length=50_000,  # a rotation of 300 e-mail addresses is about 10,000 characters
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Usernames or e-mail addresses",
        help_text="One a line, or separated by commas.",
    )


def item_choices() -> list:
    """Every lesson, quiz and case that can be assigned, grouped; values are 'kind:id'."""
    lessons = Lesson.objects.filter(is_active=True).select_related("topic").order_by("order")
    quizzes = QuizDefinition.objects.filter(is_active=True).order_by("order", "title")
    cases = Case.objects.filter(is_active=True, current_version__isnull=False).order_by("title")
    return [
        ("Cases", [(f"case:{c.pk}", c.title) for c in cases]),
        ("Quizzes", [(f"quiz:{q.pk}", q.title) for q in quizzes]),
        ("Lessons", [(f"lesson:{lesson.pk}", lesson.title) for lesson in lessons]),
    ]


TARGETS = {Kind.LESSON: Lesson, Kind.QUIZ: QuizDefinition, Kind.CASE: Case}


class AssignmentForm(forms.Form):
    item = forms.ChoiceField(label="Lesson, quiz or case")
    opens_at = forms.DateTimeField(widget=DATETIME, label="Opens")
    due_at = forms.DateTimeField(widget=DATETIME, label="Due")
    attempts_limit = forms.IntegerField(
        min_value=1,
        max_value=50,
        required=False,
        label="Attempts that count",
        help_text="Leave empty for no limit.",
    )
    mode = forms.ChoiceField(choices=Mode.choices, widget=forms.RadioSelect, initial=Mode.TRAINING)
    learners = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only for these learners",
        help_text="Leave all unticked to set it for the whole cohort.",
    )

    def __init__(self, *args, cohort, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = item_choices()
        if editing:
            self.fields["item"].disabled = True
            self.fields["item"].required = False
        self.fields["learners"].queryset = (
            get_user_model()
            .objects.filter(enrolments__cohort=cohort, enrolments__left_at__isnull=True)
            .order_by("last_name", "first_name", "username")
        )
        self.fields["learners"].label_from_instance = lambda u: u.display_name

    def clean(self):
        data = super().clean()
        opens, due = data.get("opens_at"), data.get("due_at")
        if opens and due and due <= opens:
            self.add_error("due_at", "The due date must come after the opening date.")
        item = data.get("item")
        if item and not self.fields["item"].disabled:
            kind, _, pk = item.partition(":")
            target = TARGETS[kind].objects.filter(pk=pk).first() if kind in TARGETS else None
            if target is None:
                self.add_error("item", "Choose a lesson, quiz or case from the list.")
            else:
                data["kind"], data["target"] = kind, target
        return data


class DismissForm(forms.Form):
    learner = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=80, widget=forms.HiddenInput)
