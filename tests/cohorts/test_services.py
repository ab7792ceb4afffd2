"""Cohort services: making cohorts, the join code, joining, the roster and assignments."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Attempt
from edu.cohorts import selectors, services
from edu.cohorts.models import Enrolment
from tests.cohorts.conftest import finish_case
from tests.factories import InstructorFactory, LearnerFactory

pytestmark = pytest.mark.django_db


def test_a_new_cohort_is_taught_by_its_creator_and_co_instructors(instructor):
    colleague = InstructorFactory()
    cohort = services.create_cohort(
        name=" Block B ", term="Spring", created_by=instructor, co_instructors=[colleague]
    )
    assert cohort.name == "Block B"
    assert set(cohort.instructors.all()) == {instructor, colleague}
    assert len(cohort.code) == services.CODE_LENGTH and cohort.join_open


def test_only_instructors_can_be_co_instructors(instructor):
    with pytest.raises(services.CohortError, match="not an instructor"):
        services.create_cohort(name="X", created_by=instructor, co_instructors=[LearnerFactory()])


def test_regenerating_the_code_retires_the_old_one(cohort, learner):
    old = cohort.code
    services.regenerate_code(cohort=cohort)
    with pytest.raises(services.CohortError, match="No cohort has that code"):
        services.join_by_code(code=old, learner=learner)
    assert services.join_by_code(code=cohort.code.upper(), learner=learner).cohort == cohort


def test_a_pasted_join_link_works_as_a_code(cohort, learner):
    link = f"http://testserver/cohorts/join/{cohort.code}/"
    assert services.join_by_code(code=link, learner=learner).cohort == cohort


def test_switched_off_joining_refuses_the_code(cohort, learner):
    services.set_joining(cohort=cohort, open=False)
    with pytest.raises(services.CohortError, match="not taking new members"):
        services.join_by_code(code=cohort.code, learner=learner)


def test_adding_pasted_names_reports_each_one(cohort, instructor):
    ana = LearnerFactory(username="ana", email="ana@example.org")
    ben = LearnerFactory(username="ben", email="Ben@Example.org")
    services.join_cohort(cohort=cohort, learner=ben)
    report = services.add_learners(
        cohort=cohort,
        identifiers=f"ANA\nben@example.org, nobody@example.org; {instructor.username}",
    )
    assert report.added == ["ANA"]
    assert report.already == ["ben@example.org"]
    assert report.not_found == ["nobody@example.org"]
    assert report.not_learners == [instructor.username]
    assert Enrolment.objects.filter(cohort=cohort, learner=ana, left_at__isnull=True).exists()


def test_removal_keeps_work_and_rejoining_shows_it_again(cohort, case_assignment, pocket_case):
    learner = LearnerFactory()
    services.join_cohort(cohort=cohort, learner=learner)
    finish_case(learner, pocket_case)
    services.remove_learner(cohort=cohort, learner=learner)
    assert learner.pk not in [m.id for m in selectors.members(cohort)]
    assert Attempt.objects.filter(user=learner).count() == 1
    services.join_cohort(cohort=cohort, learner=learner)
    grid = selectors.progress_grid(cohort)
    row = next(row for row in grid.rows if row.member.id == learner.pk)
    assert row.cells[0].status == selectors.DONE


def test_a_learner_can_be_in_several_cohorts_and_leave_one(cohort, learner):
    other = services.create_cohort(name="Other", created_by=InstructorFactory())
    services.join_cohort(cohort=cohort, learner=learner)
    services.join_cohort(cohort=other, learner=learner)
    services.leave_cohort(cohort=cohort, learner=learner)
    assert [e.cohort for e in selectors.my_cohorts(learner)] == [other]


def test_assessment_assignment_counts_only_assessment_attempts(
    cohort, members, case_assignment, pocket_case
):
    ana, ben, _cy = members
    finish_case(ana, pocket_case, mode="assessment")
    finish_case(ben, pocket_case, mode="training")
    cells = {row.member.id: row.cells[0] for row in selectors.progress_grid(cohort).rows}
    assert cells[ana.pk].status == selectors.DONE
    assert cells[ana.pk].score == 1.0
    assert cells[ben.pk].status == selectors.NOT_STARTED


def test_work_before_the_opening_date_does_not_count(cohort, members, pocket_case):
    ana = members[0]
    finish_case(ana, pocket_case)
    now = timezone.now()
    services.create_assignment(
        cohort=cohort,
        kind="case",
        target=pocket_case,
        opens_at=now + timedelta(seconds=1),
        due_at=now + timedelta(days=2),
        mode="assessment",
    )
    cell = selectors.progress_grid(cohort).rows[0].cells[0]
    assert cell.status == selectors.NOT_STARTED


def test_late_work_is_accepted_and_marked_late(cohort, members, pocket_case):
    ana = members[0]
    now = timezone.now()
    assignment = services.create_assignment(
        cohort=cohort,
        kind="case",
        target=pocket_case,
        opens_at=now - timedelta(days=2),
        due_at=now - timedelta(days=1),
        mode="assessment",
    )
    finish_case(ana, pocket_case)
    cells = {row.member.id: row.cells[0] for row in selectors.progress_grid(cohort).rows}
    assert cells[ana.pk].status == selectors.LATE and cells[ana.pk].score == 1.0
    assert cells[members[1].pk].overdue
    services.delete_assignment(assignment=assignment)
    assert Attempt.objects.filter(user=ana).count() == 1  # deleting never deletes work


def test_the_attempts_limit_refuses_a_further_start(cohort, members, pocket_case):
    ana = members[0]
    now = timezone.now()
    assignment = services.create_assignment(
        cohort=cohort,
        kind="case",
        target=pocket_case,
        opens_at=now - timedelta(hours=1),
        due_at=now + timedelta(days=1),
        attempts_limit=1,
        mode="assessment",
    )
    attempt = services.start_assignment(assignment=assignment, learner=ana)
    assert attempt.mode == "assessment"
    from tests.cases.conftest import commit, play

    play(attempt, commit())
    with pytest.raises(services.CohortError, match="used the 1 attempt"):
        services.start_assignment(assignment=assignment, learner=ana)


def test_an_assignment_for_chosen_learners_is_not_set_for_the_others(cohort, members, pocket_case):
    ana, ben, _ = members
    now = timezone.now()
    services.create_assignment(
        cohort=cohort,
        kind="case",
        target=pocket_case,
        due_at=now + timedelta(days=1),
        learners=[ana],
    )
    cells = {row.member.id: row.cells[0] for row in selectors.progress_grid(cohort).rows}
    assert cells[ana.pk] is not None and cells[ben.pk] is None
    assert [m.assignment.title for m in selectors.learner_assignments(ana)] == [pocket_case.title]
    assert selectors.learner_assignments(ben) == []


def test_a_stranger_cannot_be_chosen_for_an_assignment(cohort, members, pocket_case):
    with pytest.raises(services.CohortError, match="Only learners in this cohort"):
        services.create_assignment(
            cohort=cohort,
            kind="case",
            target=pocket_case,
            due_at=timezone.now() + timedelta(days=1),
            learners=[LearnerFactory()],
        )


def test_finishing_a_case_records_missed_critical_and_harmful_actions(learner, pocket_case):
    attempt = finish_case(learner, pocket_case)
    attempt.refresh_from_db()
    assert attempt.missed_critical == ["fvc"]
    assert attempt.harmful_taken == ["steroid-burst"]


def test_one_case_set_twice_is_matched_to_each_assignment_by_its_own_dates(
    cohort, members, pocket_case
):
    ana = members[0]
    now = timezone.now()
    early = services.create_assignment(
        cohort=cohort,
        kind="case",
        target=pocket_case,
        opens_at=now - timedelta(days=3),
        due_at=now - timedelta(days=1),
        mode="assessment",
    )
    services.create_assignment(
        cohort=cohort,
        kind="case",
        target=pocket_case,
        opens_at=now - timedelta(hours=1),
        due_at=now + timedelta(days=1),
        mode="assessment",
    )
    finish_case(ana, pocket_case)
    row = next(r for r in selectors.progress_grid(cohort).rows if r.member.id == ana.pk)
    assert [cell.status for cell in row.cells] == [selectors.LATE, selectors.DONE]
    assert early.due_at < now
