"""The cohort pages, for instructors (their cohorts, roster, assignments, progress grid, each
learner, insight, exports) and for learners (joining, leaving, starting an assignment).

Thin: parse the request, call a service or selector, render or redirect. Every change is a
plain form post that redirects back, so it all works without JavaScript. Which cohort an
instructor may open is the selector's call (anyone else's is a 404).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from cases.selectors import debrief as case_debrief
from cases.services import CaseUnavailable
from edu.access import Rule, access
from edu.quizzes.selectors import attempt_result
from edu.quizzes.services import QuizError

from . import export, insight, selectors, services
from .forms import AddLearnersForm, AssignmentForm, CohortForm, DismissForm, JoinForm
from .models import Kind

# Instructors: cohorts ---------------------------------------------------------------------------


@access(Rule.INSTRUCTOR)
@require_safe
def index(request):
    return render(request, "cohorts/index.html", {"cohorts": selectors.cohorts_for(request.user)})


def _cohort_values(form) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "term": data["term"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
    }


@access(Rule.INSTRUCTOR)
def create(request):
    form = CohortForm(request.POST or None, exclude_user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.create_cohort(
                created_by=request.user,
                co_instructors=form.cleaned_data["instructors"],
                **_cohort_values(form),
            )
        except services.CohortError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"Cohort '{cohort.name}' created. Share its join link.")
            return redirect("cohorts:detail", pk=cohort.pk)
    return render(request, "cohorts/form.html", {"form": form, "cohort": None})


@access(Rule.INSTRUCTOR)
def edit(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    initial = {
        "name": cohort.name,
        "term": cohort.term,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "instructors": cohort.instructors.exclude(pk=request.user.pk),
    }
    form = CohortForm(request.POST or None, initial=initial, exclude_user=request.user)
    if request.method == "POST" and form.is_valid():
        keep_me = [request.user] if cohort.instructors.filter(pk=request.user.pk).exists() else []
        try:
            services.update_cohort(
                cohort=cohort,
                instructors=[*keep_me, *form.cleaned_data["instructors"]],
                **_cohort_values(form),
            )
        except services.CohortError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "Cohort saved.")
            return redirect("cohorts:detail", pk=cohort.pk)
    return render(request, "cohorts/form.html", {"form": form, "cohort": cohort})


@access(Rule.INSTRUCTOR)
@require_safe
def detail(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    join_url = request.build_absolute_uri(reverse("cohorts:join-link", args=[cohort.code]))
    return render(
        request,
        "cohorts/detail.html",
        {
            "cohort": cohort,
            "join_url": join_url,
            "instructors": list(cohort.instructors.order_by("last_name", "username")),
            "roster": selectors.roster(cohort),
            "assignments": selectors.assignments_of(cohort),
            "add_form": AddLearnersForm(),
        },
    )


@access(Rule.INSTRUCTOR)
@require_POST
def join_code(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    action = request.POST.get("action")
    if action == "regenerate":
        services.regenerate_code(cohort=cohort)
        messages.success(
            request, f"New join code: {cohort.code}. The old code and link no longer work."
        )
    elif action in ("open", "close"):
        services.set_joining(cohort=cohort, open=action == "open")
        messages.success(
            request, "Joining is open." if action == "open" else "Joining is switched off."
        )
    else:
        messages.error(request, "Choose what to do with the join code.")
    return redirect("cohorts:detail", pk=cohort.pk)


@access(Rule.INSTRUCTOR)
@require_POST
def add_learners(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    form = AddLearnersForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Paste at least one username or e-mail address.")
        return redirect("cohorts:detail", pk=cohort.pk)
    report = services.add_learners(cohort=cohort, identifiers=form.cleaned_data["identifiers"])
    parts = [
        ("Added", report.added),
        ("Already in the cohort", report.already),
        ("Not found", report.not_found),
        ("Not learner accounts", report.not_learners),
    ]
    for label, names in parts:
        if names:
            level = messages.success if label == "Added" else messages.warning
            level(request, f"{label}: {', '.join(names)}.")
    return redirect(reverse("cohorts:detail", args=[cohort.pk]) + "#roster")


@access(Rule.INSTRUCTOR)
@require_POST
def remove_learner(request, pk: int, learner_id: int):
    cohort = selectors.cohort_for(request.user, pk)
    member = selectors.member_for(cohort, learner_id)
    services.remove_learner(cohort=cohort, learner=member.id)
    messages.success(
        request, f"{member.name} was removed. Their work is kept and returns if they rejoin."
    )
    return redirect(reverse("cohorts:detail", args=[cohort.pk]) + "#roster")


# Instructors: assignments -----------------------------------------------------------------------


def _assignment_values(form) -> dict:
    data = form.cleaned_data
    return {
        "opens_at": data["opens_at"],
        "due_at": data["due_at"],
        "attempts_limit": data["attempts_limit"],
        "mode": data["mode"],
        "learners": data["learners"],
    }


@access(Rule.INSTRUCTOR)
def assignment_create(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {"opens_at": now, "due_at": now + timezone.timedelta(days=7)}
    form = AssignmentForm(request.POST or None, cohort=cohort, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.create_assignment(
                cohort=cohort,
                kind=form.cleaned_data["kind"],
                target=form.cleaned_data["target"],
                **_assignment_values(form),
            )
        except services.CohortError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"Assigned '{assignment.title}'.")
            return redirect(reverse("cohorts:detail", args=[cohort.pk]) + "#assignments")
    return render(
        request,
        "cohorts/assignment_form.html",
        {"form": form, "cohort": cohort, "assignment": None},
    )


@access(Rule.INSTRUCTOR)
def assignment_edit(request, pk: int, assignment_id: int):
    cohort = selectors.cohort_for(request.user, pk)
    assignment = selectors.assignment_for(cohort, assignment_id)
    initial = {
        "item": f"{assignment.kind}:{assignment.target.pk}",
        "opens_at": timezone.localtime(assignment.opens_at),
        "due_at": timezone.localtime(assignment.due_at),
        "attempts_limit": assignment.attempts_limit,
        "mode": assignment.mode,
        "learners": assignment.learners.all(),
    }
    form = AssignmentForm(request.POST or None, cohort=cohort, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_assignment(assignment=assignment, **_assignment_values(form))
        except services.CohortError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"Saved '{assignment.title}'.")
            return redirect(reverse("cohorts:detail", args=[cohort.pk]) + "#assignments")
    return render(
        request,
        "cohorts/assignment_form.html",
        {"form": form, "cohort": cohort, "assignment": assignment},
    )


@access(Rule.INSTRUCTOR)
@require_POST
def assignment_delete(request, pk: int, assignment_id: int):
    cohort = selectors.cohort_for(request.user, pk)
    assignment = selectors.assignment_for(cohort, assignment_id)
    title = assignment.title
    services.delete_assignment(assignment=assignment)
    messages.success(request, f"'{title}' is no longer assigned. Learners' work on it is kept.")
    return redirect(reverse("cohorts:detail", args=[cohort.pk]) + "#assignments")


# Instructors: progress, learners, insight, exports ----------------------------------------------


@access(Rule.INSTRUCTOR)
@require_safe
def progress(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    grid = selectors.progress_grid(
        cohort,
        sort=request.GET.get("sort", "learner"),
        descending=request.GET.get("dir") == "desc",
        status=request.GET.get("status", ""),
        base_url=request.path,
    )
    template = "cohorts/progress.html#grid" if request.htmx else "cohorts/progress.html"
    return render(request, template, {"cohort": cohort, "grid": grid})


@access(Rule.INSTRUCTOR)
@require_safe
def learner(request, pk: int, learner_id: int):
    cohort = selectors.cohort_for(request.user, pk)
    record = selectors.learner_record(cohort, learner_id)
    return render(request, "cohorts/learner.html", {"cohort": cohort, "record": record})


@access(Rule.INSTRUCTOR)
@require_safe
def case_attempt(request, pk: int, attempt_id: int):
    """The learner's debrief exactly as they see it (the cases app's template), read-only."""
    cohort = selectors.cohort_for(request.user, pk)
    attempt = selectors.case_attempt_for(cohort, attempt_id)
    return render(
        request,
        "cohorts/case_attempt.html",
        {"d": case_debrief(attempt), "cohort": cohort, "learner": attempt.user, "read_only": True},
    )


@access(Rule.INSTRUCTOR)
@require_safe
def quiz_attempt(request, pk: int, attempt_id: int):
    cohort = selectors.cohort_for(request.user, pk)
    attempt = selectors.quiz_attempt_for(cohort, attempt_id)
    return render(
        request,
        "cohorts/quiz_attempt.html",
        {"cohort": cohort, "attempt": attempt, "items": attempt_result(attempt=attempt)},
    )


@access(Rule.INSTRUCTOR)
@require_safe
def insight_page(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    return render(
        request,
        "cohorts/insight.html",
        {"cohort": cohort, "insight": insight.cohort_insight(cohort)},
    )


@access(Rule.INSTRUCTOR)
@require_POST
def dismiss_risk(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    form = DismissForm(request.POST)
    if form.is_valid():
        services.dismiss_risk(
            cohort=cohort,
            learner_id=selectors.member_for(cohort, form.cleaned_data["learner"]).id,
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(request, "Flag dismissed. It comes back if a new reason appears.")
    else:
        messages.error(request, "That flag could not be dismissed; reload the page.")
    return redirect(reverse("cohorts:insight", args=[cohort.pk]) + "#at-risk")


def _csv_response(filename: str, text: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@access(Rule.INSTRUCTOR)
@require_safe
def export_gradebook(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    return _csv_response(f"{cohort.code}-gradebook.csv", export.gradebook_csv(cohort))


@access(Rule.INSTRUCTOR)
@require_safe
def export_attempts(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    return _csv_response(f"{cohort.code}-attempts.csv", export.attempts_csv(cohort))


# Learners: joining, leaving, starting -----------------------------------------------------------


@access(Rule.SIGNED_IN)
def join(request):
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.join_by_code(code=form.cleaned_data["code"], learner=request.user)
        except services.CohortError as refused:
            form.add_error("code", refused.message)
        else:
            messages.success(request, f"You joined '{enrolment.cohort.name}'.")
            return redirect("home")
    return render(
        request,
        "cohorts/join.html",
        {"form": form, "mine": selectors.my_cohorts(request.user)},
    )


@access(Rule.PUBLIC)
def join_link(request, code: str):
    """The join link: a signed-in learner confirms; anyone else is offered sign-up or sign-in,
    which bring them back here (sign-up joins them at once)."""
    try:
        cohort = services.cohort_for_code(code)
    except services.CohortError as refused:
        return render(request, "cohorts/join_link.html", {"problem": refused.message}, status=404)
    if request.method == "POST" and request.user.is_authenticated:
        services.join_cohort(cohort=cohort, learner=request.user)
        messages.success(request, f"You joined '{cohort.name}'.")
        return redirect("home")
    return render(request, "cohorts/join_link.html", {"cohort": cohort, "code": cohort.code})


@access(Rule.SIGNED_IN)
@require_POST
def leave(request, pk: int):
    enrolment = selectors.my_cohorts(request.user).filter(cohort_id=pk).first()
    if enrolment is not None:
        services.leave_cohort(cohort=enrolment.cohort, learner=request.user)
        messages.success(request, f"You left '{enrolment.cohort.name}'. Your work stays yours.")
    return redirect("cohorts:join")


@access(Rule.SIGNED_IN)
@require_POST
def start_assignment(request, assignment_id: int):
    assignment = selectors.learner_assignment_for(request.user, assignment_id)
    if assignment.kind == Kind.LESSON:
        return redirect(assignment.lesson.get_absolute_url())
    try:
        attempt = services.start_assignment(assignment=assignment, learner=request.user)
    except services.CohortError as refused:
        messages.error(request, refused.message)
        return redirect("home")
    except QuizError as refused:
        messages.error(request, refused.message)
        return redirect("home")
    except CaseUnavailable:
        messages.error(request, f"'{assignment.title}' is not available just now.")
        return redirect("home")
    if assignment.kind == Kind.CASE:
        return redirect("cases:play", attempt_id=attempt.pk)
    return redirect("quizzes:take", pk=attempt.pk)
