"""factory-boy factories for the models every test needs."""

from datetime import timedelta

import factory
from django.utils import timezone

from edu.accounts.models import Role, User
from edu.cohorts import services as cohort_services
from edu.cohorts.models import Cohort, Enrolment

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.LEARNER
    password = factory.django.Password(PASSWORD)


class LearnerFactory(UserFactory):
    role = Role.LEARNER


class InstructorFactory(UserFactory):
    role = Role.INSTRUCTOR


class ProgramAdminFactory(UserFactory):
    role = Role.PROGRAM_ADMIN


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cohort {n}")
    code = factory.Sequence(lambda n: f"cohort-{n}")

    @factory.post_generation
    def instructors(self, create, extracted, **kwargs):
        if create and extracted:
            self.instructors.add(*extracted)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    learner = factory.SubFactory(LearnerFactory)


def teacher_of(learner, *, kind: str, target):
    """An instructor and their cohort, with `learner` enrolled and `target` (a case or a quiz)
    assigned in training mode, open since yesterday and due tomorrow: the instructor may then
    open the learner's attempts at it."""
    instructor = InstructorFactory()
    cohort = CohortFactory(instructors=[instructor])
    EnrolmentFactory(cohort=cohort, learner=learner)
    open_assignment(cohort, kind=kind, target=target, opened=timedelta(days=1))
    return instructor, cohort


def open_assignment(cohort, *, kind: str, target, opened=None):
    """`target` assigned to `cohort` in training mode through the service: open since `opened`
    ago (an hour by default), due in a day."""
    now = timezone.now()
    return cohort_services.create_assignment(
        cohort=cohort,
        kind=kind,
        target=target,
        opens_at=now - (opened or timedelta(hours=1)),
        due_at=now + timedelta(days=1),
        mode="training",
    )
