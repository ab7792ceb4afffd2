"""The case pages: library, play and debrief. Thin: parse the request, call a service or
selector, render. Every post redirects back (works without JavaScript); with htmx the same
view answers with the play area's partial instead.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from cases import selectors, services
from cases.forms import ActForm, CommitForm, LocalizeForm, StartForm, form_problem
from cases.models import Attempt, Mode
from edu.access import Rule, access

PLAY_AREA = "cases/play.html#play-area"
ACTION_UPDATE = "cases/_action_update.html"


@access(Rule.PUBLIC)
@require_safe
def library(request):
    cases = list(selectors.library_cases(request.user))
    return render(request, "cases/library.html", {"cases": cases, "modes": Mode})


@access(Rule.SIGNED_IN)
@require_POST
def start(request, slug: str):
    case = selectors.active_case(slug)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose training or assessment mode.")
        return redirect("cases:library")
    try:
        attempt = services.start_attempt(
            user=request.user, case=case, mode=form.cleaned_data["mode"]
        )
    except services.CaseUnavailable:
        raise Http404("No such case.") from None
    return redirect("cases:play", attempt_id=attempt.pk)


@access(Rule.SIGNED_IN)
@require_safe
def play(request, attempt_id: int):
    attempt = selectors.attempt_for_learner(request.user, attempt_id)
    if attempt.is_finished:
        return redirect("cases:debrief", attempt_id=attempt.pk)
    case = selectors.parsed_case(attempt.case_version)
    state = selectors.attempt_state(attempt, case)
    page = selectors.play_page(attempt, case, state)
    template = PLAY_AREA if request.htmx else "cases/play.html"
    return render(request, template, {"page": page})


def _record(request, attempt_id: int, form):
    """Record the form's event and answer: the play area for htmx, else redirect back."""
    if not form.is_valid():
        return _refused(request, attempt_id, form_problem(form))
    event, seen = form.event(), form.cleaned_data["seq"]
    try:
        outcome = services.record_event(
            attempt=attempt_id, user=request.user, event=event, expected_seq=seen
        )
    except Attempt.DoesNotExist:
        raise Http404("No such attempt.") from None
    message = outcome.message
    if outcome.reason == "stale":
        # The service refuses any post from a page older than the attempt; only here do we
        # look at what was recorded since, to tell a double click from another tab.
        message = selectors.stale_message(outcome.attempt, outcome.case, event, seen)
    debrief_url = reverse("cases:debrief", args=[attempt_id])
    if outcome.finished:
        if not outcome.recorded:
            messages.info(request, message)
        if request.htmx:
            return HttpResponseClientRedirect(debrief_url)
        return redirect(debrief_url)
    if request.htmx and outcome.recorded:
        update = selectors.action_update(
            outcome.attempt, outcome.case, outcome.before, outcome.state
        )
        if update is not None:
            return _changed_pieces(request, update)
    if request.htmx:
        page = selectors.play_page(outcome.attempt, outcome.case, outcome.state, error=message)
        response = render(request, PLAY_AREA, {"page": page})
        if page.alerts or page.error:
            # Something interrupts: bring the top of the play area (its alerts) into view.
            reswap(response, "outerHTML show:#play-area:top")
        return response
    if not outcome.recorded:
        messages.error(request, message)  # shown at the top of the page
        return redirect("cases:play", attempt_id=attempt_id)
    return redirect(_play_url(attempt_id, form, outcome))


def _changed_pieces(request, update: selectors.ActionUpdate):
    """Only what the action changed: the new finding into its live region (announced), the
    rest out of band. The play area is not drawn again."""
    # Drawn without the context processors (navigation, messages): the pieces show neither.
    context = {"page": update.page, "update": update, "csrf_token": get_token(request)}
    response = HttpResponse(render_to_string(ACTION_UPDATE, context))
    retarget(response, "#latest-finding")
    reswap(response, "innerHTML show:#play-grid:top")
    return response


def _play_url(attempt_id: int, form, outcome) -> str:
    """The play page, opened where the learner looks next: the finding they asked for, the
    diagram they tapped, or the top of the play area when the story moved on (a decision, a
    rule that fired), so nothing that interrupts is scrolled past."""
    url = reverse("cases:play", args=[attempt_id])
    state = outcome.state
    moved = form.cleaned_data.get("decision") or any(
        fired.minute == state.minute for fired in state.fired
    )
    anchor = "play-area" if moved and form.anchor else form.anchor
    return f"{url}#{anchor}" if anchor else url


def _refused(request, attempt_id: int, message: str):
    """A malformed post: nothing recorded; say so, on the page as it stands."""
    attempt = selectors.attempt_for_learner(request.user, attempt_id)
    if request.htmx:
        case = selectors.parsed_case(attempt.case_version)
        state = selectors.attempt_state(attempt, case)
        page = selectors.play_page(attempt, case, state, error=message)
        return render(request, PLAY_AREA, {"page": page})
    messages.error(request, message)
    return redirect("cases:play", attempt_id=attempt_id)


@access(Rule.SIGNED_IN)
@require_POST
def act(request, attempt_id: int):
    return _record(request, attempt_id, ActForm(request.POST))


@access(Rule.SIGNED_IN)
@require_POST
def localize(request, attempt_id: int):
    return _record(request, attempt_id, LocalizeForm(request.POST))


@access(Rule.SIGNED_IN)
@require_POST
def commit(request, attempt_id: int):
    return _record(request, attempt_id, CommitForm(request.POST))


@access(Rule.SIGNED_IN)
@require_safe
def debrief(request, attempt_id: int):
    attempt = selectors.attempt_for_learner(request.user, attempt_id)
    if not attempt.is_finished:
        messages.info(request, "Commit a final localization to see the debrief.")
        return redirect("cases:play", attempt_id=attempt.pk)
    return render(request, "cases/debrief.html", {"d": selectors.debrief(attempt)})
