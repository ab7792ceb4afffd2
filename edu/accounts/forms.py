"""The learner sign-up form: learners register themselves; other roles are granted by staff.

Errors sit with the field they are about: a weak password is reported under "Password", a
mismatch under "Password confirmation", an e-mail address already in use (in any case) under
"Email", in words that say what to do next.
"""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.urls import reverse
from django.utils.html import format_html

from .models import Role, User


def email_taken_message() -> str:
    return format_html(
        'An account with this e-mail address already exists. <a href="{}">Sign in</a>, or '
        '<a href="{}">reset its password</a>.',
        reverse("accounts:sign-in"),
        reverse("accounts:password-reset"),
    )


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="Optional, but without it a forgotten password cannot be reset.",
    )

    class Meta:
        model = User
        fields = ("username", "email", "first_name", "last_name")

    def clean_email(self) -> str:
        email = self.cleaned_data.get("email", "").strip()
        if email and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(email_taken_message(), code="email_taken")
        return email

    def validate_password_for_user(self, user, **kwargs):
        # Django reports a weak password under the confirmation field; the learner looks for it
        # under the password they typed.
        super().validate_password_for_user(user, "password1")

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.role = Role.LEARNER
        if commit:
            user.save()
        return user
