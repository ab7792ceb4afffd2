"""factory-boy factories for the models every test needs."""

import factory

from edu.accounts.models import Role, User
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
