"""The site's user: one account per person, with a single role.

A role field rather than Django groups: a person is exactly one of learner, instructor or
program admin, the role decides navigation and access in one cheap attribute read, and the
database check constraint keeps it to the three values. Instructors and admins may still do
the learning activities (to preview cases and quizzes); which cohort an instructor teaches is a
relation on the cohort, not a role.

An e-mail address belongs to one account at most, compared without case (password reset finds
the account by its address); accounts without an address are not constrained.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class Role(models.TextChoices):
    LEARNER = "learner", "Learner"
    INSTRUCTOR = "instructor", "Instructor"
    PROGRAM_ADMIN = "program_admin", "Program admin"


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.LEARNER)
    # Set by a program admin: this instructor may import documents into lessons from the site.
    is_author = models.BooleanField(
        "author",
        default=False,
        help_text="May import documents into lessons from the site (instructors only).",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_user_role_valid"
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_unique_ci",
                violation_error_message="An account with this e-mail address already exists.",
            ),
        ]

    @property
    def is_instructor(self) -> bool:
        return self.role in (Role.INSTRUCTOR, Role.PROGRAM_ADMIN)

    @property
    def is_program_admin(self) -> bool:
        return self.role == Role.PROGRAM_ADMIN

    @property
    def can_import_documents(self) -> bool:
        """Program admins, and instructors an admin has marked as authors."""
        return self.is_program_admin or (self.role == Role.INSTRUCTOR and self.is_author)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
