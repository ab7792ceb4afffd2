"""Sign-up, sign-in, sign-out and password change, as a user does them."""

import pytest
from django.urls import reverse

from edu.accounts.models import Role, User


@pytest.mark.django_db
def test_sign_up_creates_a_learner_and_signs_in(client):
    response = client.post(
        reverse("accounts:sign-up"),
        {
            "username": "newbie",
            "email": "newbie@example.org",
            "password1": "a-long-unusual-pass-42",
            "password2": "a-long-unusual-pass-42",
        },
        follow=True,
    )
    user = User.objects.get(username="newbie")
    assert user.role == Role.LEARNER
    assert response.context["user"] == user
    assert b"Your learner account is ready" in response.content


@pytest.mark.django_db
def test_sign_up_cannot_choose_a_role(client):
    client.post(
        reverse("accounts:sign-up"),
        {
            "username": "sneaky",
            "password1": "a-long-unusual-pass-42",
            "password2": "a-long-unusual-pass-42",
            "role": "program_admin",
        },
    )
    assert User.objects.get(username="sneaky").role == Role.LEARNER


@pytest.mark.django_db
def test_sign_up_errors_are_shown(client):
    response = client.post(
        reverse("accounts:sign-up"), {"username": "x", "password1": "a", "password2": "b"}
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_sign_in_and_out(client, learner, password):
    response = client.post(
        reverse("accounts:sign-in"), {"username": learner.username, "password": password}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == learner
    client.post(reverse("accounts:sign-out"))
    assert not client.get(reverse("home")).context["user"].is_authenticated


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(client, learner):
    response = client.post(
        reverse("accounts:sign-in"), {"username": learner.username, "password": "nope"}
    )
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


@pytest.mark.django_db
def test_password_change(client, learner, password):
    client.force_login(learner)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": password,
            "new_password1": "another-long-pass-77",
            "new_password2": "another-long-pass-77",
        },
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password("another-long-pass-77")


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_outside_tests(settings):
    from django.conf import settings as live

    from edu.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert live.AUTH_USER_MODEL == "accounts.User"


@pytest.mark.django_db
def test_role_outside_the_three_is_refused_by_the_database(learner):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=learner.pk).update(role="superhero")


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    from django.core.management import call_command

    from edu.cohorts.models import Cohort, Enrolment

    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.count() == 3 + 12  # the demo accounts and a default cohort of twelve
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert Cohort.objects.count() == 1
    assert Enrolment.objects.count() == 13


@pytest.mark.django_db
def test_seed_demo_gives_the_learner_activity_once():
    from django.core.management import call_command

    from cases.models import Attempt
    from edu.lessons.models import LessonProgress
    from edu.quizzes.models import QuizAttempt

    call_command("load_content", verbosity=0)
    call_command("seed_demo")
    call_command("seed_demo")
    learner = User.objects.get(username="learner")
    attempts = Attempt.objects.filter(user=learner)
    assert attempts.count() == 2
    assert {(a.case.slug, a.score_localization) for a in attempts} == {
        ("gbs-ascending", 1.0),
        ("cervical-radiculopathy", 0.25),
    }
    assert QuizAttempt.objects.filter(user=learner, status="finished").count() == 1
    assert LessonProgress.objects.filter(user=learner).count() == 2


@pytest.mark.django_db
def test_repeated_wrong_passwords_pause_sign_in_with_a_friendly_page(client, learner, password):
    url = reverse("accounts:sign-in")
    for _ in range(5):
        client.post(url, {"username": learner.username, "password": "wrong"})
    response = client.post(url, {"username": learner.username, "password": password})
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content
    assert not client.get(reverse("home")).context["user"].is_authenticated


@pytest.mark.django_db
def test_a_lockout_touches_only_that_account(client, password):
    from tests.factories import LearnerFactory

    victim, other = LearnerFactory(), LearnerFactory()
    url = reverse("accounts:sign-in")
    for _ in range(5):
        client.post(url, {"username": victim.username, "password": "wrong"})
    response = client.post(url, {"username": other.username, "password": password})
    assert response.status_code == 302
