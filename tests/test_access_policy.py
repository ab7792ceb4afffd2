"""The access policy: every URL states its rule, and the rules hold for each role."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import get_resolver, path, reverse

from edu.access import Rule, access, patterns_without_rule


def test_every_url_pattern_states_an_access_rule():
    assert patterns_without_rule() == []


def unruled_view(request):
    return HttpResponse("secret")


@access(Rule.PUBLIC)
def ruled_view(request):
    return HttpResponse("fine")


urlpatterns = [
    path("ruled/", ruled_view),
    path("forgotten/", unruled_view),
]


def test_a_new_url_without_a_rule_is_caught_by_the_check():
    assert patterns_without_rule(get_resolver(__name__)) == ["forgotten/"]


def test_the_system_check_names_the_forgotten_url():
    from edu.access import check_every_url_has_a_rule

    with override_settings(ROOT_URLCONF=__name__):
        errors = check_every_url_has_a_rule(None)
    assert [e.id for e in errors] == ["edu.E001"]
    assert "forgotten/" in errors[0].msg


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_view_without_a_rule_is_refused_even_if_reached(client):
    response = client.get("/forgotten/")
    assert response.status_code == 403
    assert b"secret" not in response.content
    assert client.get("/ruled/").status_code == 200


# Each page × each role: the status a user gets. 302 = sent to sign in.
PAGES = [
    ("home", 200, 200, 200, 200),
    ("accounts:sign-in", 200, 302, 302, 302),
    ("accounts:sign-up", 200, 302, 302, 302),
    ("accounts:password-change", 302, 200, 200, 200),
    ("accounts:password-reset", 200, 200, 200, 200),
    ("accounts:password-reset-done", 200, 200, 200, 200),
    ("accounts:password-reset-complete", 200, 200, 200, 200),
    ("accounts:sign-out", 405, 405, 405, 405),  # a button's URL: the friendly 405 for anyone
    ("lessons:index", 200, 200, 200, 200),
    ("cases:library", 200, 200, 200, 200),
    ("quizzes:index", 200, 200, 200, 200),
    ("quizzes:progress", 302, 200, 200, 200),
    ("cohorts:index", 302, 403, 200, 200),
    ("analytics:index", 302, 403, 403, 200),
]
ROLES = ["anonymous", "learner", "instructor", "program_admin"]


@pytest.mark.django_db
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_access_matrix(client, request, page, role_index, role):
    name, *expected = page
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(reverse(name))
    assert response.status_code == expected[role_index], f"{role} on {name}"
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.django_db
def test_forbidden_page_is_friendly_not_a_traceback(learner_client):
    response = learner_client.get(reverse("analytics:index"))
    assert response.status_code == 403
    assert b"Not for this account" in response.content
    assert b"Traceback" not in response.content


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


@access(Rule.PUBLIC)
def broken_view(request):
    raise RuntimeError("the database fell over")


urlpatterns.append(path("broken/", broken_view))
handler500 = "edu.views.server_error"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_shows_a_friendly_500_without_a_traceback(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"the database fell over" not in response.content
    assert b"Traceback" not in response.content


@pytest.mark.django_db
def test_a_stale_form_gets_a_friendly_page(learner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:sign-in"), {"username": learner.username})
    assert response.status_code == 403
    assert b"This form has expired" in response.content
