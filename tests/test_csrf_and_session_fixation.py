"""Every POST the site takes needs its CSRF token, htmx sends it, and signing in or up gives a
new session.

The list of POST endpoints is made from the URL conf (every pattern whose view accepts POST,
Django's admin included), so a form added later is checked without anyone listing it here; a
view marked `csrf_exempt` fails it. The CSRF check runs before the access policy and before the
view, so any values do for the URL's arguments.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import Client
from django.urls import get_resolver, reverse

from edu.access import accepted_methods, walk_patterns
from edu.views import CSRF_HTMX_MESSAGE
from tests.cases.conftest import content_dir, pocket_attempt, pocket_case  # noqa: F401 - fixtures
from tests.factories import PASSWORD, LearnerFactory, ProgramAdminFactory

_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
_SAMPLE = {"int": "1", "slug": "some-slug", "str": "x", "path": "x", "uuid": "0" * 8 + "-0000" * 3}
_REGEX_GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")


def concrete(route: str) -> str:
    """A path for a route with sample values in its converters (and in the admin's regexes)."""
    path = _CONVERTER.sub(lambda m: _SAMPLE.get(m["kind"] or "str", "x"), route)
    path = _REGEX_GROUP.sub("1", path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "").lstrip("/")


def post_endpoints() -> list[tuple[str, str]]:
    """(URL name or route, concrete path) for every pattern whose view accepts POST."""
    endpoints = {}
    for route, namespaces, pattern in walk_patterns(get_resolver()):
        methods = accepted_methods(pattern.callback)
        if methods is not None and "POST" not in methods:
            continue
        name = ":".join((*namespaces, pattern.name)) if pattern.name else route
        endpoints.setdefault(name, concrete(route))
    return sorted(endpoints.items())


POST_ENDPOINTS = post_endpoints()


def test_the_generated_list_holds_the_sites_forms_and_htmx_posts():
    names = {name for name, _ in POST_ENDPOINTS}
    assert {
        "accounts:sign-in",
        "accounts:sign-up",
        "accounts:sign-out",
        "cases:act",
        "cases:localize",
        "cases:commit",
        "quizzes:answer",
        "cohorts:add-learners",
        "authoring:import",
        "authoring:publish",
        "admin:login",
    } <= names


@pytest.fixture
def strict_client(db):
    """A browser whose CSRF token is missing: as on a forged cross-site post."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(ProgramAdminFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("name,path", POST_ENDPOINTS, ids=[name for name, _ in POST_ENDPOINTS])
def test_every_post_without_a_token_is_refused_with_the_friendly_page(strict_client, name, path):
    response = strict_client.post(path, {"anything": "1"})
    assert response.status_code == 403, f"{name} took a post without a CSRF token"
    html = response.content.decode()
    assert "This form has expired" in html and "Traceback" not in html


SITE_POST_ENDPOINTS = [
    (name, path) for name, path in POST_ENDPOINTS if not path.startswith("/admin/")
]


@pytest.mark.parametrize(
    "name,path", SITE_POST_ENDPOINTS, ids=[name for name, _ in SITE_POST_ENDPOINTS]
)
def test_every_post_with_a_wrong_token_is_refused(strict_client, name, path):
    strict_client.get(reverse("home"))  # sets the CSRF cookie
    response = strict_client.post(path, {"csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403, name


def template_forms():
    for path in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, re.S):
            yield path.relative_to(settings.BASE_DIR / "templates"), form


POST_FORMS = [
    (path, form) for path, form in template_forms() if re.search(r'method="post"', form, re.I)
]


def test_there_are_post_forms_to_check():
    assert len(POST_FORMS) > 10


@pytest.mark.parametrize("path,form", POST_FORMS, ids=[str(p) for p, _ in POST_FORMS])
def test_every_post_form_in_the_templates_carries_the_token(path, form):
    assert "{% csrf_token %}" in form, f"a form in {path} posts without its CSRF token"


# htmx posts carry the token from the page ----------------------------------------------------


def page_token(html: str) -> str:
    match = re.search(r"""hx-headers='\{"X-CSRFToken": "([^"]+)"\}'""", html)
    assert match, "the page does not give htmx the CSRF token"
    return match.group(1)


@pytest.mark.django_db
def test_an_htmx_post_sends_the_token_from_the_page(pocket_attempt):  # noqa: F811
    attempt = pocket_attempt
    client = Client(enforce_csrf_checks=True)
    client.force_login(attempt.user)
    play = client.get(reverse("cases:play", args=[attempt.pk]))
    token = page_token(play.content.decode())
    url = reverse("cases:act", args=[attempt.pk])
    action = {"seq": 0, "action": "hx-fatigue"}
    htmx = {
        "HTTP_HX_REQUEST": "true",
        "HTTP_HX_CURRENT_URL": f"http://testserver{play.request['PATH_INFO']}",
    }

    refused = client.post(url, action, **htmx)
    assert "HX-Redirect" in refused and refused.status_code == 200
    assert CSRF_HTMX_MESSAGE in client.get(refused["HX-Redirect"]).content.decode()
    attempt.refresh_from_db()
    assert attempt.event_count == 0

    accepted = client.post(url, action, HTTP_X_CSRFTOKEN=token, **htmx)
    assert accepted.status_code == 200 and "HX-Redirect" not in accepted
    attempt.refresh_from_db()
    assert attempt.event_count == 1


# Session fixation ----------------------------------------------------------------------------


def planted_session(client: Client) -> str:
    """A session an attacker could have fixed in the victim's browser before they sign in."""
    session = SessionStore()
    session["planted"] = True
    session.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return session.session_key


def assert_session_replaced(client: Client, old_key: str) -> None:
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key and new_key != old_key, "signing in kept the session key"
    assert not SessionStore().exists(old_key), "the old session still exists"
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = old_key
    assert attacker.get(reverse("quizzes:progress")).status_code == 302  # signed out


@pytest.mark.django_db
def test_signing_in_gives_a_new_session_and_the_old_key_is_dead():
    learner = LearnerFactory()
    client = Client()
    old_key = planted_session(client)
    response = client.post(
        reverse("accounts:sign-in"), {"username": learner.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert_session_replaced(client, old_key)
    assert client.get(reverse("quizzes:progress")).status_code == 200


@pytest.mark.django_db
def test_signing_up_gives_a_new_session_and_the_old_key_is_dead():
    client = Client()
    old_key = planted_session(client)
    response = client.post(
        reverse("accounts:sign-up"),
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "first_name": "New",
            "last_name": "Comer",
            "password1": "a-long-enough-passphrase-1",
            "password2": "a-long-enough-passphrase-1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_session_replaced(client, old_key)
    assert client.get(reverse("quizzes:progress")).status_code == 200


@pytest.mark.django_db
def test_signing_out_ends_the_session_on_the_server(learner):
    client = Client()
    client.force_login(learner)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:sign-out"))
    assert not SessionStore().exists(key)
