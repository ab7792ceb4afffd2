"""Every URL that names an object is in a role matrix: a new one without its matrix fails here.

The list comes from the URL conf: every pattern (Django's admin aside, which guards itself) with
an argument in its route names an object (an attempt, a cohort, a learner, an assignment, an
export, a lesson, a case or quiz to start). Each must be covered by one of the matrices that
check it for every role:

- case attempts: tests/cases/test_access_matrix.py
- quiz attempts: tests/quizzes/test_access_matrix.py
- cohorts, their learners, assignments, attempts, exports and posts:
  tests/cohorts/test_access_matrix.py
- analytics pages and downloads: tests/analytics/test_access.py (which checks it has them all)
- public content and starting a case or a quiz: the matrix below.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from edu.access import walk_patterns
from tests.cases import test_access_matrix as case_matrix
from tests.cohorts import test_access_matrix as cohort_matrix
from tests.quizzes import test_access_matrix as quiz_matrix
from tests.quizzes.factories import LessonFactory, QuestionFactory, QuizDefinitionFactory

# Not an object of the site: the link in a password-reset e-mail carries a signed token, and
# tests/accounts/test_reset_and_sign_up.py checks that a wrong one opens nothing.
NOT_OBJECTS = {"accounts:password-reset-confirm"}


def object_urls() -> set[str]:
    names = set()
    for route, namespaces, pattern in walk_patterns(get_resolver()):
        if "admin" in namespaces or "<" not in route:
            continue
        names.add(":".join((*namespaces, pattern.name)))
    return names


def analytics_urls() -> set[str]:
    from edu.analytics.urls import urlpatterns

    return {f"analytics:{p.name}" for p in urlpatterns}


CONTENT = {  # name -> (method, status per role: anonymous, learner, instructor, program admin)
    "lessons:topic": ("get", (200, 200, 200, 200)),
    "lessons:lesson": ("get", (200, 200, 200, 200)),
    "lessons:mark-read": ("post", (302, 302, 302, 302)),
    "lessons:mark-unread": ("post", (302, 302, 302, 302)),
    "quizzes:start": ("post", (302, 302, 302, 302)),
}


def covered() -> set[str]:
    return (
        set(case_matrix.ATTEMPT_PAGES)
        | set(case_matrix.ATTEMPT_POSTS)
        | {name for name, *_ in quiz_matrix.PAGES}
        | set(quiz_matrix.POSTS)
        | {name for name, *_ in cohort_matrix.PAGES}
        | {name for name, *_ in cohort_matrix.POST_MATRIX}
        | set(cohort_matrix.POSTS)
        | analytics_urls()
        | set(CONTENT)
        | {"cases:start"}  # tests/cases/test_views.py: any signed-in account starts a case
    )


def test_every_url_with_an_object_is_in_a_role_matrix():
    missing = object_urls() - covered() - NOT_OBJECTS
    assert missing == set(), f"URLs with an object and no role matrix: {sorted(missing)}"


def test_the_matrices_name_only_urls_that_exist():
    every = {
        ":".join((*namespaces, pattern.name))
        for _route, namespaces, pattern in walk_patterns(get_resolver())
        if pattern.name
    }
    assert covered() - every == set()


# Public content, and starting a quiz --------------------------------------------------------

ROLES = ["anonymous", "learner", "instructor", "program_admin"]


@pytest.fixture
def content(db):
    lesson = LessonFactory()
    QuestionFactory.create_batch(2, lesson=lesson)
    quiz = QuizDefinitionFactory(lesson=lesson, question_count=2)
    hidden = LessonFactory(topic=lesson.topic, is_active=False)
    return {"lesson": lesson, "quiz": quiz, "hidden": hidden}


def content_args(name, content, lesson_key="lesson"):
    lesson = content[lesson_key]
    if name == "lessons:topic":
        return [lesson.topic.slug]
    if name == "quizzes:start":
        return [content["quiz"].slug]
    return [lesson.topic.slug, lesson.slug]


@pytest.mark.parametrize("index,role", list(enumerate(ROLES)))
def test_content_by_role(client, request, content, index, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for name, (method, expected) in CONTENT.items():
        data = {"mode": "practice"} if name == "quizzes:start" else {}
        response = getattr(client, method)(reverse(name, args=content_args(name, content)), data)
        assert response.status_code == expected[index], f"{role} on {name}"
        if role == "anonymous" and method == "post":
            assert response["Location"].startswith(reverse("accounts:sign-in")), name
    for name in ("lessons:lesson", "lessons:mark-read"):
        url = reverse(name, args=content_args(name, content, "hidden"))
        response = client.get(url) if name == "lessons:lesson" else client.post(url)
        expected = 302 if role == "anonymous" and name == "lessons:mark-read" else 404
        assert response.status_code == expected, f"{role} on a withdrawn lesson's {name}"
