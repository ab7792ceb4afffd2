"""The case pages' forms: only shapes and types here; what is allowed is the engine's call."""

from django import forms

from cases.models import Mode


class StepForm(forms.Form):
    """Every play-page form carries `seq`, the number of events the page had seen."""

    seq = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    # Where the page opens again after a plain (no-JavaScript) post that was recorded, so the
    # learner is not sent back to the top of a long page.
    anchor = ""


class ActForm(StepForm):
    anchor = "play-grid"
    action = forms.CharField(max_length=80, required=False)
    decision = forms.CharField(max_length=80, required=False)

    def event(self) -> dict[str, str]:
        if self.cleaned_data["decision"]:
            return {"type": "choose_decision", "action": self.cleaned_data["decision"]}
        return {"type": "take_action", "action": self.cleaned_data["action"]}


class LocalizeForm(StepForm):
    anchor = "where"
    level = forms.CharField(max_length=40)

    def event(self) -> dict[str, str]:
        return {"type": "record_localization", "level": self.cleaned_data["level"]}


class CommitForm(StepForm):
    level = forms.CharField(max_length=40)
    diagnosis = forms.CharField(max_length=80, required=False)
    confidence = forms.CharField(max_length=10, required=False)

    def event(self) -> dict[str, str]:
        return {
            "type": "commit",
            "level": self.cleaned_data["level"],
            "diagnosis": self.cleaned_data["diagnosis"],
            "confidence": self.cleaned_data["confidence"],
        }


class StartForm(forms.Form):
    mode = forms.ChoiceField(choices=Mode.choices)


def form_problem(form: forms.Form) -> str:
    """One sentence for the learner about what was missing from a form."""
    if "seq" in form.errors:
        return "That page was out of date; here is the case as it stands now."
    if "level" in form.errors:
        return "Choose a level on the diagram first."
    return "Something was missing from that form; please try again."
