"""The program admin's analytics pages and their downloads; thin: scope, report, render.

Every page reads its date range and cohort from the URL (edu.analytics.filters), offers each
of its tables as CSV at `<page>/csv/<table>/` under the same query, and swaps only its report
when the filter form is submitted by htmx.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from cases.models import Case
from edu.access import Rule, access
from edu.quizzes.models import QuizDefinition

from . import reports
from .exports import csv_response, xapi_response
from .filters import scope_from


def _respond(request, template: str, page: reports.Page, *, table: str | None, name: str, **ctx):
    if table is not None:
        if table not in page.tables:
            raise Http404("No such table on this page.")
        return csv_response(page.tables[table], f"{name}-{table}")
    context = {"page": page, **ctx}
    if request.htmx:
        return render(request, f"{template}#analytics", context)
    return render(request, template, context)


def _context(request, section: str, keep: tuple[str, ...] = ()):
    """The scope and the context every page shares; `keep` names query keys (beyond the
    filter's) the filter form carries along, such as the version or the attempts switch."""
    scope, form = scope_from(request)
    kept = [(name, request.GET[name]) for name in keep if request.GET.get(name)]
    return scope, {"scope": scope, "form": form, "section": section, "keep": kept}


@access(Rule.PROGRAM_ADMIN)
def overview(request, table: str | None = None):
    scope, ctx = _context(request, "overview")
    page = reports.overview_page(scope)
    return _respond(request, "analytics/overview.html", page, table=table, name="overview", **ctx)


@access(Rule.PROGRAM_ADMIN)
def cases(request, table: str | None = None):
    scope, ctx = _context(request, "cases")
    page = reports.cases_page(scope)
    return _respond(request, "analytics/cases.html", page, table=table, name="cases", **ctx)


@access(Rule.PROGRAM_ADMIN)
def case_detail(request, slug: str, table: str | None = None):
    scope, ctx = _context(request, "cases", ("version",))
    case = get_object_or_404(Case.objects.only("id", "slug", "title", "level"), slug=slug)
    raw = request.GET.get("version", "")
    version = int(raw) if raw.isdigit() else None
    page = reports.case_page(scope, case, version)
    return _respond(
        request,
        "analytics/case.html",
        page,
        table=table,
        name=f"case-{case.slug}" + (f"-v{version}" if version else ""),
        case=case,
        version=version,
        **ctx,
    )


@access(Rule.PROGRAM_ADMIN)
def quizzes(request, table: str | None = None):
    scope, ctx = _context(request, "quizzes", ("attempts",))
    page = reports.quizzes_page(scope)
    return _respond(request, "analytics/quizzes.html", page, table=table, name="quizzes", **ctx)


def _quiz(slug: str) -> QuizDefinition:
    return get_object_or_404(QuizDefinition.objects.only("id", "slug", "title"), slug=slug)


@access(Rule.PROGRAM_ADMIN)
def quiz_detail(request, slug: str, table: str | None = None):
    scope, ctx = _context(request, "quizzes", ("attempts",))
    quiz = _quiz(slug)
    page = reports.quiz_page(scope, quiz)
    return _respond(
        request,
        "analytics/quiz.html",
        page,
        table=table,
        name=f"quiz-{quiz.slug}",
        quiz=quiz,
        **ctx,
    )


@access(Rule.PROGRAM_ADMIN)
def question_detail(request, slug: str, question_id: int, table: str | None = None):
    scope, ctx = _context(request, "quizzes", ("attempts",))
    quiz = _quiz(slug)
    page = reports.question_page(scope, quiz, question_id)
    if page is None:
        raise Http404("That question has no answers in this quiz for the chosen range.")
    return _respond(
        request,
        "analytics/question.html",
        page,
        table=table,
        name=f"quiz-{quiz.slug}-question-{question_id}",
        quiz=quiz,
        **ctx,
    )


@access(Rule.PROGRAM_ADMIN)
def levels(request, table: str | None = None):
    scope, ctx = _context(request, "levels")
    page = reports.levels_page(scope)
    return _respond(request, "analytics/levels.html", page, table=table, name="levels", **ctx)


@access(Rule.PROGRAM_ADMIN)
def xapi(request):
    scope, _form = scope_from(request)
    return xapi_response(scope, base=request.build_absolute_uri("/"))
