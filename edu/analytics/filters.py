"""The date range and cohort every analytics page reads from its URL, so a view can be shared.

The range selects attempts by when they started, inclusive of both days. Bad input never
breaks a page: the form's message is shown and the default range (the last 26 weeks, all
cohorts) is used instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.utils import timezone

from edu.cohorts.models import Cohort

DEFAULT_WEEKS = 26


@dataclass(frozen=True)
class Scope:
    """Which attempts a page counts: started from `start` to `end` (dates, both included),
    by the learners of `cohort` (or everyone), first sittings only unless `all_attempts`."""

    start: dt.date
    end: dt.date
    cohort: Cohort | None = None
    all_attempts: bool = False

    @property
    def start_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min), dt.UTC)

    @property
    def end_before(self) -> dt.datetime:
        """The first instant after the range (the day after `end`, at midnight)."""
        day_after = self.end + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(day_after, dt.time.min), dt.UTC)

    @property
    def query(self) -> str:
        """The URL query that reproduces this scope, for links and downloads."""
        params: dict[str, object] = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.cohort is not None:
            params["cohort"] = self.cohort.pk
        if self.all_attempts:
            params["attempts"] = "all"
        return urlencode(params)

    @property
    def label(self) -> str:
        who = self.cohort.name if self.cohort else "all cohorts"
        return f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}, {who}"


def default_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.now().date()
    return today - dt.timedelta(weeks=DEFAULT_WEEKS), today


class ScopeForm(forms.Form):
    start = forms.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.order_by("name"),
        required=False,
        empty_label="All cohorts",
        error_messages={"invalid_choice": "That cohort does not exist; showing all cohorts."},
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(
                "The start date is after the end date; showing the default range."
            )
        return data


def scope_from(request) -> tuple[Scope, ScopeForm]:
    """The scope the request's query asks for, and the bound form (with any message)."""
    first, last = default_range()
    form = ScopeForm(request.GET or None, initial={"start": first, "end": last})
    start, end, cohort = first, last, None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or (
            (form.cleaned_data["end"] or last) - dt.timedelta(weeks=DEFAULT_WEEKS)
        )
        end = form.cleaned_data["end"] or last
        cohort = form.cleaned_data["cohort"]
    elif form.is_bound:
        cohort = form.cleaned_data.get("cohort") if hasattr(form, "cleaned_data") else None
    all_attempts = request.GET.get("attempts") == "all"
    return Scope(start=start, end=end, cohort=cohort, all_attempts=all_attempts), form
