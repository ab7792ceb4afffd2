"""Each access protection caught twice: once in the unit that makes the decision, once through
the pages a user would reach.

The protections: a view without a rule is refused; instructor and admin pages refuse learners
(and admin pages refuse instructors); an instructor manages only the cohorts they teach. The
page tests walk every URL pattern of the project, so a page added later with a looser rule is
checked without anyone listing it here.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import ResolverMatch, get_resolver, path, resolve, reverse
from django.views import View

from edu.access import (
    AccessPolicyMiddleware,
    Rule,
    accepted_methods,
    access,
    allowed,
    rule_for,
    walk_patterns,
)
from edu.cohorts.selectors import cohorts_for
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    InstructorFactory,
    LearnerFactory,
    ProgramAdminFactory,
)

# Who each rule admits: anonymous, learner, instructor, program admin.
ADMITS = {
    Rule.PUBLIC: (True, True, True, True),
    Rule.SIGNED_IN: (False, True, True, True),
    Rule.INSTRUCTOR: (False, False, True, True),
    Rule.PROGRAM_ADMIN: (False, False, False, True),
}
ROLES = ("anonymous", "learner", "instructor", "program_admin")


def a_user(role: str):
    from django.contrib.auth.models import AnonymousUser

    return {
        "anonymous": AnonymousUser,
        "learner": LearnerFactory.build,
        "instructor": InstructorFactory.build,
        "program_admin": ProgramAdminFactory.build,
    }[role]()


# A view without a rule --------------------------------------------------------------------------


def forgotten_function(request):
    return HttpResponse("secret")


class ForgottenClass(View):
    def get(self, request):
        return HttpResponse("secret")


@access(Rule.SIGNED_IN)
class RuledClass(View):
    def get(self, request):
        return HttpResponse("fine")


urlpatterns = [
    path("forgotten-function/", forgotten_function),
    path("forgotten-class/", ForgottenClass.as_view()),
    path("ruled-class/", RuledClass.as_view()),
]


def middleware_decision(view, user, namespaces=()):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    request.resolver_match = ResolverMatch(view, (), {}, namespaces=list(namespaces))
    middleware = AccessPolicyMiddleware(lambda request: HttpResponse("reached"))
    return middleware.process_view(request, view, (), {})


@pytest.mark.parametrize("view", [forgotten_function, ForgottenClass.as_view()])
@pytest.mark.parametrize("role", ROLES)
def test_the_middleware_refuses_a_view_without_a_rule_for_everyone(view, role):
    with pytest.raises(PermissionDenied):
        middleware_decision(view, a_user(role))


def test_the_middleware_lets_a_ruled_view_run_and_leaves_the_admin_to_itself():
    assert middleware_decision(RuledClass.as_view(), LearnerFactory.build()) is None
    assert rule_for(RuledClass.as_view()) is Rule.SIGNED_IN
    assert middleware_decision(forgotten_function, a_user("anonymous"), ["admin"]) is None


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("url", ["/forgotten-function/", "/forgotten-class/"])
def test_a_page_without_a_rule_is_refused_to_a_program_admin(client, url):
    client.force_login(ProgramAdminFactory())
    response = client.get(url)
    assert response.status_code == 403
    assert b"secret" not in response.content
    assert client.get("/ruled-class/").content == b"fine"


# Who each rule admits -------------------------------------------------------------------------


@pytest.mark.parametrize("rule", list(ADMITS), ids=lambda rule: rule.name)
@pytest.mark.parametrize("index,role", list(enumerate(ROLES)))
def test_allowed_admits_exactly_the_roles_of_each_rule(rule, index, role):
    assert allowed(a_user(role), rule) is ADMITS[rule][index]


@pytest.mark.parametrize("rule", [Rule.INSTRUCTOR, Rule.PROGRAM_ADMIN], ids=lambda r: r.name)
def test_the_middleware_refuses_a_learner_on_instructor_and_admin_views(rule):
    view = access(rule)(lambda request: HttpResponse("staff only"))
    with pytest.raises(PermissionDenied):
        middleware_decision(view, LearnerFactory.build())


_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
_SAMPLE = {"int": "1", "slug": "some-slug", "str": "x", "path": "x", "uuid": "0" * 8 + "-0000" * 3}


def staff_urls() -> list[tuple[str, Rule]]:
    """A concrete URL for every pattern whose rule is INSTRUCTOR or PROGRAM_ADMIN (the
    middleware answers before the view looks at its arguments, so any values will do)."""
    urls = []
    for route, _namespaces, pattern in walk_patterns(get_resolver()):
        rule = rule_for(pattern.callback)
        if rule not in (Rule.INSTRUCTOR, Rule.PROGRAM_ADMIN) or route.startswith("^"):
            continue
        concrete = _CONVERTER.sub(lambda m: _SAMPLE.get(m["kind"] or "str", "x"), route)
        urls.append(("/" + concrete.lstrip("^").rstrip("$"), rule))
    return urls


STAFF_URLS = staff_urls()


def test_there_are_staff_pages_to_check():
    assert (reverse("cohorts:index"), Rule.INSTRUCTOR) in STAFF_URLS
    assert (reverse("analytics:index"), Rule.PROGRAM_ADMIN) in STAFF_URLS


def answered_methods(url: str) -> tuple[str, ...]:
    """GET and/or POST, as the view at this URL answers them (a button's URL takes POST only:
    any other method is refused 405 for everyone, before the rule is asked)."""
    methods = accepted_methods(resolve(url).func)
    return tuple(m for m in ("GET", "POST") if methods is None or m in methods)


@pytest.mark.django_db
@pytest.mark.parametrize("url,rule", STAFF_URLS, ids=[url for url, _ in STAFF_URLS])
def test_every_staff_page_refuses_a_signed_in_learner(client, url, rule):
    client.force_login(LearnerFactory())
    for method in answered_methods(url):
        response = client.generic(method, url)
        assert response.status_code == 403, f"{method} {url}"
        assert b"Not for this account" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("url,rule", STAFF_URLS, ids=[url for url, _ in STAFF_URLS])
def test_every_staff_page_sends_an_anonymous_visitor_to_sign_in(client, url, rule):
    response = client.generic(answered_methods(url)[0], url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


ADMIN_URLS = [(url, rule) for url, rule in STAFF_URLS if rule is Rule.PROGRAM_ADMIN]


@pytest.mark.django_db
@pytest.mark.parametrize("url,rule", ADMIN_URLS, ids=[url for url, _ in ADMIN_URLS])
def test_every_admin_page_refuses_an_instructor(client, url, rule):
    client.force_login(InstructorFactory())
    assert client.get(url).status_code == 403


# An instructor's cohorts ----------------------------------------------------------------------


@pytest.fixture
def two_teachers(db):
    mine, theirs = InstructorFactory(), InstructorFactory()
    own = CohortFactory(name="Clerkship A", code="join-a", instructors=[mine])
    other = CohortFactory(name="Clerkship B", code="join-b", instructors=[theirs])
    shared = CohortFactory(name="Shared block", code="join-s", instructors=[mine, theirs])
    EnrolmentFactory.create_batch(2, cohort=own)
    EnrolmentFactory.create_batch(3, cohort=other)
    return mine, theirs, own, other, shared


def test_cohorts_for_an_instructor_are_only_the_ones_they_teach(two_teachers):
    mine, theirs, own, other, shared = two_teachers
    assert set(cohorts_for(mine)) == {own, shared}
    assert set(cohorts_for(theirs)) == {other, shared}
    assert {c.name: c.learner_count for c in cohorts_for(mine)} == {
        "Clerkship A": 2,
        "Shared block": 0,
    }


def test_cohorts_for_a_program_admin_are_all_and_for_a_learner_none(two_teachers):
    assert cohorts_for(ProgramAdminFactory()).count() == 3
    assert cohorts_for(LearnerFactory()).count() == 0


def test_the_cohort_page_shows_an_instructor_no_other_instructors_join_code(client, two_teachers):
    mine, theirs, *_ = two_teachers
    for teacher, shown, hidden in ((mine, "join-a", "join-b"), (theirs, "join-b", "join-a")):
        client.force_login(teacher)
        response = client.get(reverse("cohorts:index"))
        html = response.content.decode()
        assert response.status_code == 200 and "<h1>Cohorts</h1>" in html
        assert shown in html and "join-s" in html
        assert hidden not in html
