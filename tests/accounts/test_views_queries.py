"""Account pages and the 405 page: status, a landmark, and a pinned query count."""

import pytest
from django.urls import reverse

PAGES = [
    # (url name, args, signed in, status, landmark, queries)
    ("accounts:sign-in", [], False, 200, "<h1>Sign in</h1>", 0),
    ("accounts:sign-up", [], False, 200, "<h1>Create a learner account</h1>", 0),
    ("accounts:password-reset", [], False, 200, "<h1>Reset your password</h1>", 0),
    ("accounts:password-reset-done", [], False, 200, "<h1>Check your e-mail</h1>", 0),
    ("accounts:password-reset-complete", [], False, 200, "Your password has been changed", 0),
    ("accounts:password-change", [], True, 200, "<h1>Change your password</h1>", 1),
    ("accounts:sign-out", [], True, 405, "<h1>This address is for a button</h1>", 1),
    ("cases:act", [1], False, 405, "<h1>This address is for a button</h1>", 0),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args", "signed_in", "status", "landmark", "queries"), PAGES)
def test_account_page_queries(
    client, learner, django_assert_num_queries, name, args, signed_in, status, landmark, queries
):
    if signed_in:
        client.force_login(learner)
    with django_assert_num_queries(queries):
        response = client.get(reverse(name, args=args))
    assert response.status_code == status
    assert landmark in response.content.decode()


@pytest.mark.django_db
def test_the_reset_link_page_queries(client, learner, django_assert_num_queries):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(learner.pk))
    token = default_token_generator.make_token(learner)
    url = reverse("accounts:password-reset-confirm", args=[uid, token])
    form_url = client.get(url)["Location"]  # the token moves into the session
    with django_assert_num_queries(1):
        response = client.get(form_url)
    assert response.status_code == 200
    assert "<h1>Choose a new password</h1>" in response.content.decode()
