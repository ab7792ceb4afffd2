"""The learner sign-up form: learners register themselves; other roles are granted by staff."""

from django.contrib.auth.forms import UserCreationForm

from .models import Role, User


class SignUpForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("username", "email", "first_name", "last_name")

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.role = Role.LEARNER
        if commit:
            user.save()
        return user
