"""The two things a learner posts: which mode to start a quiz in, and which option they chose."""

from django import forms

from .models import Mode


class StartForm(forms.Form):
    mode = forms.ChoiceField(
        choices=[(Mode.PRACTICE.value, "Practice"), (Mode.EXAM.value, "Exam")],
        error_messages={"invalid_choice": "Choose practice or exam mode."},
    )


class AnswerForm(forms.Form):
    option = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": "Choose an answer first.",
            "invalid": "That choice is not one of this question's options.",
            "min_value": "That choice is not one of this question's options.",
        },
    )

    def first_error(self) -> str:
        return next(iter(self.errors.get("option", ["Choose an answer first."])))
