"""Password reset by e-mail, the sign-up form's errors where the learner looks, one account per
e-mail address (whatever its case), and a lockout said in words."""

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from edu.accounts.models import User
from edu.accounts.templatetags.account_tags import duration_words
from edu.settings.base import BASE_DIR
from tests.factories import LearnerFactory

NEW_PASSWORD = "a-fresh-unusual-pass-91"


@pytest.mark.django_db
def test_a_forgotten_password_is_reset_through_a_link_by_e_mail(client):
    learner = LearnerFactory(username="ada", email="Ada@Example.org")
    sign_in_page = client.get(reverse("accounts:sign-in")).content.decode()
    assert f'href="{reverse("accounts:password-reset")}"' in sign_in_page

    response = client.post(reverse("accounts:password-reset"), {"email": "ada@example.ORG"})
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Ada@Example.org"]
    assert message.subject == "Reset your Motor Unit password"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your password has been changed" in done.content.decode()
    signed_in = client.post(
        reverse("accounts:sign-in"), {"username": "ada", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)

    # The link works once.
    again = client.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post(
        reverse("accounts:password-reset"), {"email": "nobody@example.org"}, follow=True
    )
    assert "Check your e-mail" in response.content.decode()
    assert mail.outbox == []


def settings_values(module: str, names: list[str], **env) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print('|'.join(str(getattr(settings, n)) for n in {names!r}))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": module, **env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip().split("|")


def test_development_prints_mail_to_the_console():
    assert settings_values("edu.settings.dev", ["EMAIL_BACKEND"]) == [
        "django.core.mail.backends.console.EmailBackend"
    ]


def test_production_sends_mail_over_smtp_configured_from_the_environment():
    values = settings_values(
        "edu.settings.prod",
        ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_USE_TLS"]
        + ["DEFAULT_FROM_EMAIL"],
        DJANGO_SECRET_KEY="s" * 60,
        DJANGO_ALLOWED_HOSTS="learn.example.org",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="motor-unit",
        EMAIL_HOST_PASSWORD="secret",
        DJANGO_DEFAULT_FROM_EMAIL="Motor Unit <learn@example.org>",
    )
    assert values == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "2525",
        "motor-unit",
        "True",
        "Motor Unit <learn@example.org>",
    ]


def sign_up(client, **fields):
    data = {
        "username": "newbie",
        "email": "",
        "password1": "a-long-unusual-pass-42",
        "password2": "a-long-unusual-pass-42",
        **fields,
    }
    return client.post(reverse("accounts:sign-up"), data)


@pytest.mark.django_db
def test_sign_up_refuses_an_e_mail_address_already_used_in_any_case(client):
    LearnerFactory(email="Grace.Hopper@Example.org")
    response = sign_up(client, email="grace.hopper@EXAMPLE.org")
    assert response.status_code == 200
    body = response.content.decode()
    error = body.index('id="id_email_error"')
    assert body.index('id="id_email"') < error < body.index('for="id_first_name"')
    assert "An account with this e-mail address already exists" in body
    assert f'href="{reverse("accounts:password-reset")}"' in body
    assert not User.objects.filter(username="newbie").exists()


@pytest.mark.django_db
def test_accounts_without_an_address_are_not_duplicates(client):
    LearnerFactory(email="")
    assert sign_up(client, email="").status_code == 302


@pytest.mark.django_db
def test_the_database_refuses_a_second_account_with_the_same_address_in_another_case():
    LearnerFactory(email="ada@example.org")
    with pytest.raises(IntegrityError):
        User.objects.create(username="ada2", email="ADA@example.org")


@pytest.mark.django_db
def test_a_weak_password_is_reported_under_the_password_field(client):
    response = sign_up(client, password1="password", password2="password")
    body = response.content.decode()
    assert response.status_code == 200
    error = body.index('id="id_password1_error"')
    assert body.index('id="id_password1"') < error < body.index('for="id_password2"')
    assert "This password is too common." in body[error : body.index('for="id_password2"')]
    assert 'class="narrow account-form"' in body  # the site's form styling


@pytest.mark.django_db
def test_a_mismatch_is_reported_under_the_confirmation(client):
    body = sign_up(client, password2="something-else-entirely-7").content.decode()
    error = body.index('id="id_password2_error"')
    assert body.index('id="id_password2"') < error
    assert "didn’t match" in body[error:]


@pytest.mark.django_db
def test_the_lockout_says_how_long_in_words(client, learner, password):
    url = reverse("accounts:sign-in")
    for _ in range(5):
        client.post(url, {"username": learner.username, "password": "wrong"})
    response = client.post(url, {"username": learner.username, "password": password})
    body = response.content.decode()
    assert response.status_code == 429
    assert "signing in from this address is paused for 15 minutes." in body
    assert "0:15:00" not in body
    assert f'href="{reverse("accounts:password-reset")}"' in body


@pytest.mark.parametrize(
    ("duration", "words"),
    [
        (timedelta(minutes=15), "15 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=2, minutes=30), "2 hours and 30 minutes"),
        (timedelta(seconds=45), "45 seconds"),
    ],
)
def test_durations_in_words(duration, words):
    assert duration_words(duration) == words
