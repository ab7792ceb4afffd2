"""The learner sign-up form: learners register themselves; other roles are granted by staff.

Errors sit with the field they are about: a weak password is reported under "Password", a
mismatch under "Password confirmation", an e-mail address already in use (in any case) under
"Email", in words that say what to do next.
"""

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.core.validators import MaxLengthValidator
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


# Django's password fields have no length limit, and every password is hashed (Argon2) before it
# can be refused: a megabyte "password" would cost the server that much hashing. 128 is more
# than any pass phrase or password manager uses.
MOST_PASSWORD_CHARS = 128


def bound_text_lengths(form: forms.BaseForm) -> None:
    """Give every text field of the form a maximum length that the form checks, before any
    hashing: passwords get MOST_PASSWORD_CHARS; a sign-in username keeps the model's length,
    which Django's form puts on the widget only."""
    for field in form.fields.values():
        if not isinstance(field, forms.CharField):
            continue
        if isinstance(field.widget, forms.PasswordInput):
            field.max_length = MOST_PASSWORD_CHARS
            field.widget.attrs["maxlength"] = str(MOST_PASSWORD_CHARS)
        if field.max_length and not any(
            isinstance(v, MaxLengthValidator) for v in field.validators
        ):
            field.validators.append(MaxLengthValidator(field.max_length))


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_text_lengths(self)


class BoundedPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_text_lengths(self)


class BoundedSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_text_lengths(self)


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="Optional, but without it a forgotten password cannot be reset.",
    )

    class Meta:
        model = User
        fields = ("username", "email", "first_name", "last_name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_text_lengths(self)

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
