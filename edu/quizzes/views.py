"""Quiz pages: thin views that parse the request, call a service or selector, and render.

Each answer is its own POST. Without JavaScript the view redirects (post/redirect/get) to the
next page; with htmx it swaps in the `question-panel` partial of the same template.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from edu.access import Rule, access

from . import selectors, services
from .forms import AnswerForm, StartForm
from .models import QuizDefinition
from .services import QuizError

TAKE = "quizzes/take.html"
PANEL = "quizzes/take.html#question-panel"


def _problem(request, error: QuizError, back: str):
    """Refuse a request with its status and a message the learner can act on."""
    if request.htmx:
        # htmx leaves the page alone on a 4xx; send the browser back with the message shown.
        messages.error(request, error.message)
        response = HttpResponse(error.message, status=error.status)
        response["HX-Redirect"] = back
        return response
    return render(
        request,
        "quizzes/problem.html",
        {"message": error.message, "back": back, "status": error.status},
        status=error.status,
    )


@access(Rule.PUBLIC)
def index(request):
    review = None
    if request.user.is_authenticated:
        review = selectors.review_summary(user=request.user)
    return render(
        request,
        "quizzes/index.html",
        {"rows": selectors.quiz_rows(user=request.user), "review": review},
    )


@require_POST
@access(Rule.SIGNED_IN)
def start(request, slug):
    definition = get_object_or_404(QuizDefinition, slug=slug, is_active=True)
    form = StartForm(request.POST)
    back = reverse("quizzes:index")
    if not form.is_valid():
        return _problem(request, QuizError(form.errors["mode"][0]), back)
    try:
        attempt = services.start_attempt(
            user=request.user, definition=definition, mode=form.cleaned_data["mode"]
        )
    except QuizError as error:
        return _problem(request, error, back)
    return redirect("quizzes:take", attempt.pk)


def _render_page(request, attempt, page, *, partial: bool):
    return render(request, PANEL if partial else TAKE, {"attempt": attempt, "page": page})


@access(Rule.SIGNED_IN)
def take(request, pk):
    """The first unanswered question (or, in an exam with all answered, the submit panel)."""
    attempt = selectors.attempt_for(user=request.user, pk=pk)
    if not attempt.is_open:
        return redirect("quizzes:result", attempt.pk)
    page = selectors.attempt_page(attempt=attempt)
    return _render_page(request, attempt, page, partial=bool(request.htmx))


@access(Rule.SIGNED_IN)
def item(request, pk, position):
    attempt = selectors.attempt_for(user=request.user, pk=pk)
    if not attempt.is_open:
        return redirect(f"{reverse('quizzes:result', args=[attempt.pk])}#item-{position}")
    page = selectors.attempt_page(attempt=attempt, position=position)
    if page.current is None:
        return render(
            request,
            "quizzes/problem.html",
            {
                "message": f"This attempt has no question {position}.",
                "back": reverse("quizzes:take", args=[attempt.pk]),
                "status": 404,
            },
            status=404,
        )
    return _render_page(request, attempt, page, partial=bool(request.htmx))


@require_POST
@access(Rule.SIGNED_IN)
def answer(request, pk, position):
    attempt = selectors.attempt_for(user=request.user, pk=pk)
    back = reverse("quizzes:item", args=[attempt.pk, position])
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _problem(request, QuizError(form.first_error()), back)
    try:
        services.answer_item(
            attempt=attempt, position=position, option_id=form.cleaned_data["option"]
        )
    except QuizError as error:
        return _problem(request, error, back)
    if attempt.gives_feedback_as_you_go:
        # Practice and review: the same question again, now with its feedback.
        if not request.htmx:
            return redirect("quizzes:item", attempt.pk, position)
        page = selectors.attempt_page(attempt=attempt, position=position)
        response = _render_page(request, attempt, page, partial=True)
        response["HX-Push-Url"] = back
        return response
    # Exam: straight on to the next unanswered question, no feedback.
    if not request.htmx:
        return redirect("quizzes:take", attempt.pk)
    page = selectors.attempt_page(attempt=attempt)
    response = _render_page(request, attempt, page, partial=True)
    if page.current is not None:
        response["HX-Push-Url"] = reverse("quizzes:item", args=[attempt.pk, page.current.position])
    return response


@require_POST
@access(Rule.SIGNED_IN)
def submit(request, pk):
    """Mark an exam. With questions still unanswered, first ask (a plain page, no JavaScript
    needed): the form comes back with how many are left and a "Submit anyway" button."""
    attempt = selectors.attempt_for(user=request.user, pk=pk)
    if attempt.is_open and request.POST.get("confirm") != "yes":
        page = selectors.attempt_page(attempt=attempt)
        if page.unanswered:
            template = PANEL if request.htmx else TAKE
            context = {"attempt": attempt, "page": page, "confirm_submit": True}
            return render(request, template, context)
    try:
        services.submit_attempt(attempt=attempt)
    except QuizError as error:
        return _problem(request, error, reverse("quizzes:result", args=[attempt.pk]))
    if request.htmx:
        return HttpResponseClientRedirect(reverse("quizzes:result", args=[attempt.pk]))
    return redirect("quizzes:result", attempt.pk)


@access(Rule.SIGNED_IN)
def result(request, pk):
    attempt = selectors.attempt_for(user=request.user, pk=pk)
    if attempt.is_open:
        return redirect("quizzes:take", attempt.pk)
    items = selectors.attempt_result(attempt=attempt)
    only_wrong = request.GET.get("show") == "wrong"
    missed = tuple(view for view in items if not (view.answer and view.answer.is_correct))
    n_wrong = len(missed)  # unanswered questions count as wrong
    if only_wrong:
        items = missed
    return render(
        request,
        "quizzes/result.html",
        {"attempt": attempt, "items": items, "only_wrong": only_wrong, "n_wrong": n_wrong},
    )


@access(Rule.SIGNED_IN)
def review(request):
    return render(
        request, "quizzes/review.html", {"review": selectors.review_summary(user=request.user)}
    )


@require_POST
@access(Rule.SIGNED_IN)
def review_start(request):
    try:
        attempt = services.start_review(user=request.user)
    except QuizError as error:
        return _problem(request, error, reverse("quizzes:review"))
    return redirect("quizzes:take", attempt.pk)


@access(Rule.SIGNED_IN)
def progress(request):
    return render(
        request, "quizzes/progress.html", {"progress": selectors.progress_page(user=request.user)}
    )
