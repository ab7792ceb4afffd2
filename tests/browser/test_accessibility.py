"""axe-core on every main page of every role, at 1280 px and at 375 px: no violation of serious
or critical impact (moderate and minor ones are printed).

The pages come from a table checked against the URL conf and the access policy: every URL that
answers GET is either audited here, by a role its rule admits, or named in NOT_PAGES with the
reason, so a new page cannot be forgotten. Pages that only exist after a click (a case after a
few actions, a quiz answer's feedback) are reached by clicking, and each is checked to be the
URL it is listed as. The world is the demo one (`seed_demo`): a cohort of twelve learners with
three weeks of work, so grids, charts and analytics have data to draw.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.urls import get_resolver, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from cases.models import Attempt, Case
from edu.access import Rule, accepted_methods, allowed, is_self_guarded, rule_for, walk_patterns
from edu.accounts.models import User
from edu.cohorts.models import Assignment, Cohort, Enrolment
from edu.lessons.models import Lesson
from edu.quizzes.models import QuizAttempt, QuizDefinition, QuizItem
from tests.browser.axe_audit import Audit, AxeFindings
from tests.browser.conftest import sign_in
from tests.quizzes.factories import LessonFactory, TopicFactory

# URL names that answer GET but are not pages: downloads and the admin (Django's own).
NOT_PAGES = {
    "analytics:index-csv": "CSV download",
    "analytics:cases-csv": "CSV download",
    "analytics:case-csv": "CSV download",
    "analytics:quizzes-csv": "CSV download",
    "analytics:quiz-csv": "CSV download",
    "analytics:question-csv": "CSV download",
    "analytics:levels-csv": "CSV download",
    "analytics:xapi": "xAPI statements (JSON) download",
    "cohorts:export-gradebook": "CSV download",
    "cohorts:export-attempts": "CSV download",
}

DEMO_PASSWORDS = {
    "learner": "learn-motor-unit",
    "instructor": "teach-motor-unit",
    "admin": "admin-motor-unit",
}


@dataclass(frozen=True)
class World:
    learner: User
    instructor: User
    admin: User
    lesson: Lesson
    debriefed: Attempt
    quiz_done: QuizAttempt
    cohort: Cohort
    cohort_learner: User
    assignment: Assignment
    cohort_case: Attempt
    cohort_quiz: QuizAttempt
    case: Case
    quiz: QuizDefinition
    question_id: int


def demo_world() -> World:
    call_command("load_content", verbosity=0)
    call_command("seed_demo", learners=4, verbosity=0)  # enough to fill every table and chart
    # The lessons index lists topics only when there are two (one topic redirects to it).
    LessonFactory(topic=TopicFactory(slug="spinal-cord", title="The spinal cord"))
    # The demo instructor also authors, so the "Import a document" page is seen as an author.
    User.objects.filter(username="instructor").update(is_author=True)
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_PASSWORDS)}
    cohort = Cohort.objects.get(code="demo-clerkship")
    others = Enrolment.objects.filter(cohort=cohort).exclude(learner=users["learner"])
    cohort_case = Attempt.objects.filter(
        user__in=others.values("learner"), status="finished"
    ).first()
    cohort_quiz = QuizAttempt.objects.filter(
        user__in=others.values("learner"), status="finished"
    ).first()
    quiz = cohort_quiz.definition
    return World(
        learner=users["learner"],
        instructor=users["instructor"],
        admin=users["admin"],
        lesson=Lesson.objects.select_related("topic").order_by("order").first(),
        debriefed=Attempt.objects.filter(user=users["learner"], status="finished").first(),
        quiz_done=QuizAttempt.objects.filter(user=users["learner"], status="finished").first(),
        cohort=cohort,
        cohort_learner=cohort_case.user,
        assignment=Assignment.objects.filter(cohort=cohort).order_by("pk").first(),
        cohort_case=cohort_case,
        cohort_quiz=cohort_quiz,
        case=cohort_case.case,
        quiz=quiz,
        question_id=QuizItem.objects.filter(attempt=cohort_quiz).first().question_id,
    )


def reset_link(w: World) -> str:
    uid = urlsafe_base64_encode(force_bytes(w.learner.pk))
    token = default_token_generator.make_token(w.learner)
    return reverse("accounts:password-reset-confirm", args=[uid, token])


def lesson_args(w: World) -> list[str]:
    return [w.lesson.topic.slug, w.lesson.slug]


# (who, URL name, URL): pages opened by address. Who is a demo username, or "" for anonymous.
Url = Callable[[World], str]
PAGES: list[tuple[str, str, Url]] = [
    ("", "home", lambda w: reverse("home")),
    ("", "accounts:sign-in", lambda w: reverse("accounts:sign-in")),
    ("", "accounts:sign-up", lambda w: reverse("accounts:sign-up")),
    ("", "accounts:password-reset", lambda w: reverse("accounts:password-reset")),
    ("", "accounts:password-reset-done", lambda w: reverse("accounts:password-reset-done")),
    ("", "accounts:password-reset-confirm", reset_link),
    ("", "accounts:password-reset-complete", lambda w: reverse("accounts:password-reset-complete")),
    ("", "lessons:index", lambda w: reverse("lessons:index")),
    ("", "lessons:topic", lambda w: reverse("lessons:topic", args=[w.lesson.topic.slug])),
    ("", "lessons:lesson", lambda w: reverse("lessons:lesson", args=lesson_args(w))),
    ("", "cases:library", lambda w: reverse("cases:library")),
    ("", "quizzes:index", lambda w: reverse("quizzes:index")),
    ("", "cohorts:join-link", lambda w: reverse("cohorts:join-link", args=[w.cohort.code])),
    ("learner", "home", lambda w: reverse("home")),
    ("learner", "lessons:lesson", lambda w: reverse("lessons:lesson", args=lesson_args(w))),
    ("learner", "cases:library", lambda w: reverse("cases:library")),
    ("learner", "cases:debrief", lambda w: reverse("cases:debrief", args=[w.debriefed.pk])),
    ("learner", "quizzes:index", lambda w: reverse("quizzes:index")),
    ("learner", "quizzes:result", lambda w: reverse("quizzes:result", args=[w.quiz_done.pk])),
    ("learner", "quizzes:review", lambda w: reverse("quizzes:review")),
    ("learner", "quizzes:progress", lambda w: reverse("quizzes:progress")),
    ("learner", "cohorts:join", lambda w: reverse("cohorts:join")),
    ("learner", "accounts:password-change", lambda w: reverse("accounts:password-change")),
    ("instructor", "home", lambda w: reverse("home")),
    ("instructor", "cohorts:index", lambda w: reverse("cohorts:index")),
    ("instructor", "cohorts:create", lambda w: reverse("cohorts:create")),
    ("instructor", "cohorts:detail", lambda w: reverse("cohorts:detail", args=[w.cohort.pk])),
    ("instructor", "cohorts:edit", lambda w: reverse("cohorts:edit", args=[w.cohort.pk])),
    ("instructor", "cohorts:progress", lambda w: reverse("cohorts:progress", args=[w.cohort.pk])),
    ("instructor", "cohorts:insight", lambda w: reverse("cohorts:insight", args=[w.cohort.pk])),
    (
        "instructor",
        "cohorts:learner",
        lambda w: reverse("cohorts:learner", args=[w.cohort.pk, w.cohort_learner.pk]),
    ),
    (
        "instructor",
        "cohorts:case-attempt",
        lambda w: reverse("cohorts:case-attempt", args=[w.cohort.pk, w.cohort_case.pk]),
    ),
    (
        "instructor",
        "cohorts:quiz-attempt",
        lambda w: reverse("cohorts:quiz-attempt", args=[w.cohort.pk, w.cohort_quiz.pk]),
    ),
    (
        "instructor",
        "cohorts:assignment-create",
        lambda w: reverse("cohorts:assignment-create", args=[w.cohort.pk]),
    ),
    (
        "instructor",
        "cohorts:assignment-edit",
        lambda w: reverse("cohorts:assignment-edit", args=[w.cohort.pk, w.assignment.pk]),
    ),
    ("instructor", "authoring:import", lambda w: reverse("authoring:import")),
    ("admin", "home", lambda w: reverse("home")),
    ("admin", "analytics:index", lambda w: reverse("analytics:index")),
    ("admin", "analytics:cases", lambda w: reverse("analytics:cases")),
    ("admin", "analytics:case", lambda w: reverse("analytics:case", args=[w.case.slug])),
    ("admin", "analytics:quizzes", lambda w: reverse("analytics:quizzes")),
    ("admin", "analytics:quiz", lambda w: reverse("analytics:quiz", args=[w.quiz.slug])),
    (
        "admin",
        "analytics:question",
        lambda w: reverse("analytics:question", args=[w.quiz.slug, w.question_id]),
    ),
    ("admin", "analytics:levels", lambda w: reverse("analytics:levels")),
    ("admin", "authoring:import", lambda w: reverse("authoring:import")),
]

# Pages reached by clicking through a case and a quiz (test_a_case_and_a_quiz_pass_axe).
CLICKED_PAGES = {
    ("learner", "cases:play"),
    ("learner", "quizzes:take"),
    ("learner", "quizzes:item"),
}

ROLE_OF = {"": None, "learner": "learner", "instructor": "instructor", "admin": "program_admin"}


def get_pages() -> dict[str, Rule]:
    """Every URL name that answers GET, with its access rule (the admin guards itself)."""
    pages = {}
    for _route, namespaces, pattern in walk_patterns(get_resolver()):
        if is_self_guarded(namespaces) or pattern.name is None:
            continue
        methods = accepted_methods(pattern.callback)
        if methods is None or "GET" in methods:
            pages[":".join([*namespaces, pattern.name])] = rule_for(pattern.callback)
    return pages


class Anonymous:
    is_authenticated = False


class RoleUser:
    is_authenticated = True

    def __init__(self, role):
        self.is_instructor = role in ("instructor", "program_admin")
        self.is_program_admin = role == "program_admin"


def who_may(who: str, rule: Rule) -> bool:
    role = ROLE_OF[who]
    return allowed(Anonymous() if role is None else RoleUser(role), rule)


def test_every_page_is_audited_by_a_role_that_may_open_it():
    pages = get_pages()
    audited = {(who, name) for who, name, _url in PAGES} | CLICKED_PAGES
    for who, name in audited:
        assert name in pages, f"{name} is audited but is no GET page of the URL conf"
        assert who_may(who, pages[name]), f"{who or 'anonymous'} may not open {name}"
    missing = sorted(set(pages) - {name for _who, name in audited} - set(NOT_PAGES))
    assert not missing, f"pages no accessibility test audits (add them to PAGES): {missing}"
    assert not set(NOT_PAGES) - set(pages), "NOT_PAGES names a URL that no longer exists"


def url_name(url: str) -> str:
    match = resolve(urlsplit(url).path)
    return match.view_name


def open_and_check(page, audit: Audit, who: str, name: str, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    assert url_name(page.url) == name, f"{url} ended on {page.url}"
    audit.check(page, f"{name} ({who or 'anonymous'})")


@pytest.fixture
def demo(transactional_db):
    return demo_world()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["", "learner", "instructor", "admin"])
def test_main_pages_pass_axe(axe_context, axe_script, demo, who):
    audit = Audit(axe_script)
    page = axe_context.new_page()
    if who:
        sign_in(page, who, DEMO_PASSWORDS[who])
    for page_who, name, url in PAGES:
        if page_who == who:
            open_and_check(page, audit, who, name, url(demo))
    STATES.get(who, lambda page, audit: None)(page, audit)
    audit.assert_clean()


def refusals_and_form_errors(page, audit: Audit) -> None:
    """What a signed-out visitor meets besides pages: a 404, a form sent back with errors."""
    response = page.goto("/no-such-page/")
    assert response.status == 404
    audit.check(page, "404 page (anonymous)")
    page.goto(reverse("accounts:sign-in"))
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".field.has-error, .form-errors, [role=alert]").first).to_be_visible()
    audit.check(page, "accounts:sign-in, wrong password (anonymous)")
    page.goto(reverse("accounts:sign-up"))
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".field.has-error").first).to_be_visible()
    audit.check(page, "accounts:sign-up, sent empty (anonymous)")


def refused_page(page, audit: Audit) -> None:
    response = page.goto(reverse("cohorts:index"))
    assert response.status == 403
    audit.check(page, "403 page (learner on the cohorts page)")


PASTED_LESSON = """# Reflexes

Reflexes are reduced when the lesion is in the lower motor neuron.

## Brisk reflexes

Brisk reflexes point above the anterior horn cell.
"""


def preview_an_import(page, audit: Audit) -> None:
    """An author's preview of pasted text (swapped in by htmx), before publishing."""
    page.goto(reverse("authoring:import"))
    page.get_by_label("Or paste the text").fill(PASTED_LESSON)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("button", name="Publish these lessons")).to_be_visible()
    audit.check(page, "authoring:import, a preview (instructor who authors)")


STATES = {"": refusals_and_form_errors, "learner": refused_page, "instructor": preview_an_import}


def next_step(page, click) -> None:
    """Click, and wait until htmx has swapped in the case's next step."""
    seq = page.locator("input[name=seq]").first
    expected = str(int(seq.get_attribute("value")) + 1)
    click()
    expect(page.locator("input[name=seq]").first).to_have_value(expected)


@pytest.mark.django_db(transaction=True)
def test_a_case_and_a_quiz_pass_axe(axe_context, axe_script, demo):
    """The pages that only exist after clicks: a case as it unfolds, a quiz as it is answered."""
    audit = Audit(axe_script)
    page = axe_context.new_page()
    sign_in(page, "learner", DEMO_PASSWORDS["learner"])

    page.goto(reverse("cases:library"))
    page.get_by_role("button", name="Start training on Tingling feet, then the stairs").click()
    expect(page.locator("h1")).to_have_text("Tingling feet, then the stairs")
    assert url_name(page.url) == "cases:play"
    audit.check(page, "cases:play, new")
    for label in ("Measure forced vital capacity", "Ask how the weakness began"):
        next_step(page, page.locator("button.action-button", has_text=label).click)
    next_step(page, page.get_by_role("button", name="Peripheral nerve", exact=True).click)
    next_step(page, page.locator("button.action-button", has_text="Admit to intensive care").click)
    audit.check(page, "cases:play, after actions and a working localization (htmx)")
    page.reload()
    audit.check(page, "cases:play, after actions (page load)")
    form = page.locator("form.commit-form")
    form.get_by_label("Peripheral nerve", exact=True).check()
    form.get_by_label("High", exact=True).check()
    form.get_by_role("button", name="Commit and see the debrief").click()
    expect(page.locator("h1")).to_contain_text("Debrief")
    page.locator(".path-fold > summary").click()
    audit.check(page, "cases:debrief, just committed, path open")

    page.goto(reverse("quizzes:index"))
    page.locator(".quiz-card").first.get_by_role("button", name="Practice").click()
    expect(page.get_by_text("Question 1 of")).to_be_visible()
    assert url_name(page.url) == "quizzes:take"
    audit.check(page, "quizzes:take, a question")
    page.locator(".choice input").first.check()
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator(".verdict")).to_be_visible()
    audit.check(page, "quizzes:take, the answer's feedback (htmx)")
    attempt = QuizAttempt.objects.filter(user=demo.learner, status="in_progress").latest("pk")
    page.goto(reverse("quizzes:item", args=[attempt.pk, 1]))
    assert url_name(page.url) == "quizzes:item"
    audit.check(page, "quizzes:item, an answered question (page load)")
    audit.assert_clean()


def test_the_audit_fails_a_page_with_a_serious_violation(axe_context, axe_script):
    """The harness itself: a nameless button and an image without alt text are caught (and a
    low-impact finding alone is reported without failing)."""
    page = axe_context.new_page()
    page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
        '<h1>Broken</h1><button></button><img src="x.png"></main></body></html>'
    )
    audit = Audit(axe_script)
    audit.check(page, "a broken page")
    failing = {(v.rule, v.width) for v in audit.failing()}
    assert {("button-name", 1280), ("image-alt", 375)} <= failing
    with pytest.raises(AssertionError, match="button-name on a broken page at 1280 px"):
        audit.assert_clean()

    page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body>'
        "<main><h1>Fine</h1></main><p>Outside any landmark.</p></body></html>"
    )
    minor = Audit(axe_script)
    minor.check(page, "a page with text outside its landmarks")
    assert [v.rule for v in minor.violations] == ["region", "region"]
    with pytest.warns(AxeFindings, match="region on a page with text outside"):
        minor.assert_clean()
