"""A lost session or an expired form never strands the learner, and no page is a blank 405.

Signed out mid-case or mid-quiz, an htmx click sends the browser to sign in (HX-Redirect, not a
sign-in page swapped into the play area) and back to the page it was on; an expired CSRF token
in htmx reloads the page with the site's message; a GET on a URL that only a button sends gets
the site's error page with a way back, and `next` never names such a URL.
"""

import pytest
from django.contrib.auth.views import LogoutView
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from edu.access import SIGNED_OUT_MESSAGE, accepted_methods
from edu.views import CSRF_HTMX_MESSAGE
from tests.factories import PASSWORD
from tests.quizzes.factories import QuizDefinitionFactory

QUESTION_PAGE = "/quizzes/attempts/7/1/"
SIGN_IN = reverse("accounts:sign-in")


def htmx_headers(current: str = f"http://testserver{QUESTION_PAGE}") -> dict:
    return {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": current}


@pytest.mark.django_db
def test_htmx_click_when_signed_out_sends_the_browser_to_sign_in_and_back(client):
    response = client.post(
        reverse("quizzes:answer", args=[7, 1]), {"option": "1"}, **htmx_headers()
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{SIGN_IN}?next={QUESTION_PAGE}"
    assert b"Sign in" not in response.content  # nothing to swap into the page
    page = client.get(response["HX-Redirect"])
    assert SIGNED_OUT_MESSAGE in page.content.decode()
    assert f'name="next" value="{QUESTION_PAGE}"' in page.content.decode()


@pytest.mark.django_db
def test_a_case_action_when_signed_out_comes_back_to_the_play_page(client):
    play = "/cases/attempts/3/"
    response = client.post(
        reverse("cases:act", args=[3]),
        {"action": "fvc"},
        **htmx_headers(f"http://testserver{play}"),
    )
    assert response["HX-Redirect"] == f"{SIGN_IN}?next={play}"


@pytest.mark.django_db
def test_a_current_url_on_another_site_is_not_trusted(client):
    response = client.post(
        reverse("quizzes:answer", args=[7, 1]), **htmx_headers("https://evil.example/phish/")
    )
    assert response["HX-Redirect"] == SIGN_IN


@pytest.mark.django_db
def test_a_plain_form_post_when_signed_out_comes_back_to_the_referring_page(client):
    response = client.post(
        reverse("quizzes:answer", args=[7, 1]),
        {"option": "1"},
        HTTP_REFERER=f"http://testserver{QUESTION_PAGE}",
    )
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next={QUESTION_PAGE}"


@pytest.mark.django_db
def test_a_plain_post_without_referrer_never_offers_the_post_url_as_next(client):
    response = client.post(reverse("quizzes:answer", args=[7, 1]), {"option": "1"})
    assert response["Location"] == SIGN_IN


@pytest.mark.django_db
def test_signing_in_returns_to_the_page_the_learner_was_on(client, learner):
    response = client.post(
        SIGN_IN, {"username": learner.username, "password": PASSWORD, "next": QUESTION_PAGE}
    )
    assert response.status_code == 302
    assert response["Location"] == QUESTION_PAGE


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url",
    ["/accounts/sign-out/", "/cases/gbs-ascending/start/", "/quizzes/attempts/7/1/answer/"],
)
def test_a_next_that_only_accepts_post_is_dropped(client, learner, next_url):
    form = client.get(SIGN_IN, {"next": next_url})
    assert f'value="{next_url}"' not in form.content.decode()
    response = client.post(
        SIGN_IN, {"username": learner.username, "password": PASSWORD, "next": next_url}
    )
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_an_expired_form_in_htmx_reloads_the_page_with_the_sites_message(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    definition = QuizDefinitionFactory()
    quizzes = f"http://testserver{reverse('quizzes:index')}"
    response = client.post(
        reverse("quizzes:start", args=[definition.slug]),
        {"mode": "practice"},
        **htmx_headers(quizzes),
    )  # no CSRF token: as if its cookie were gone
    assert response["HX-Redirect"] == reverse("quizzes:index")
    page = client.get(response["HX-Redirect"])
    assert CSRF_HTMX_MESSAGE in page.content.decode()


@pytest.mark.django_db
def test_an_expired_plain_form_shows_the_friendly_page(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = client.post(reverse("quizzes:review-start"))
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


POST_ONLY = [
    ("cases:start", ["gbs-ascending"]),
    ("cases:act", [1]),
    ("cases:commit", [1]),
    ("accounts:sign-out", []),
    ("quizzes:start", ["some-quiz"]),
    ("quizzes:answer", [1, 1]),
    ("quizzes:submit", [1]),
]


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize(("name", "args"), POST_ONLY)
def test_get_on_a_post_only_url_shows_the_sites_error_page(client, learner, signed_in, name, args):
    if signed_in:
        client.force_login(learner)
    response = client.get(reverse(name, args=args), HTTP_REFERER="http://testserver/cases/")
    assert response.status_code == 405  # not a detour through sign-in, whoever asks
    assert "POST" in response["Allow"]
    body = response.content.decode()
    assert '<main id="main"' in body
    assert "This address is for a button" in body
    assert 'href="/cases/">Go back to the page you were on' in body
    assert "Go to the home page" in body


def test_accepted_methods_reads_djangos_own_decorators_and_views():
    def page(request):
        return HttpResponse()

    assert accepted_methods(require_POST(page)) == {"POST"}
    assert accepted_methods(require_safe(page)) == {"GET", "HEAD"}
    assert accepted_methods(LogoutView.as_view()) == {"POST", "OPTIONS"}
    assert accepted_methods(page) is None


@pytest.mark.django_db
def test_opening_the_sign_out_address_offers_the_sign_out_button(client, learner):
    client.force_login(learner)
    page = client.get(reverse("accounts:sign-out")).content.decode()
    assert 'class="error-page"' in page
    assert page.count(f'action="{reverse("accounts:sign-out")}"') == 2  # header and page
    client.post(reverse("accounts:sign-out"))
    signed_out = client.get(reverse("accounts:sign-out")).content.decode()
    assert f'action="{reverse("accounts:sign-out")}"' not in signed_out
