"""Fixtures shared by every test: users of each role, signed-in clients."""

import pytest
from hypothesis import HealthCheck, settings

from tests.factories import (
    PASSWORD,
    InstructorFactory,
    LearnerFactory,
    ProgramAdminFactory,
)

# Timing is not what property tests check: a loaded CI machine must not turn a slow example
# into a failure.
settings.register_profile("project", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("project")


@pytest.fixture
def learner(db):
    return LearnerFactory()


@pytest.fixture
def instructor(db):
    return InstructorFactory()


@pytest.fixture
def program_admin(db):
    return ProgramAdminFactory()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client


@pytest.fixture
def admin_client_role(client, program_admin):
    client.force_login(program_admin)
    return client
