"""The cohort pages as an instructor and a learner use them; each pins its query count at 10
and at 300 learners, and asserts what a user would see."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Attempt
from edu.accounts.models import User
from edu.cohorts import services
from edu.cohorts.export import inert
from edu.cohorts.models import Enrolment
from tests.cohorts.conftest import finish_case
from tests.factories import PASSWORD, CohortFactory, LearnerFactory
from tests.querycount import assert_constant_queries
from tests.quizzes.factories import LessonFactory, QuizDefinitionFactory

pytestmark = pytest.mark.django_db


def populate(cohort, case, n: int, start: int = 0) -> None:
    """n more learners in the cohort, each with a finished attempt at `case` (bulk inserts)."""
    users = User.objects.bulk_create(
        User(username=f"bulk{start + i}", first_name=f"Bulk{start + i}", password="x")
        for i in range(n)
    )
    users = list(User.objects.filter(username__in=[u.username for u in users]))
    Enrolment.objects.bulk_create(Enrolment(cohort=cohort, learner=u) for u in users)
    version = case.current_version
    now = timezone.now()
    Attempt.objects.bulk_create(
        Attempt(
            user=u,
            case=case,
            case_version=version,
            mode="training",
            status="finished",
            finished_at=now,
            chosen_level="muscle" if i % 3 else case.level,
            correct_level=case.level,
            missed_critical=["fvc"] if i % 2 else [],
            harmful_taken=[],
            **{
                f: 0.5
                for f in (
                    "score_localization",
                    "score_thoroughness",
                    "score_efficiency",
                    "score_safety",
                    "score_diagnosis",
                    "score_overall",
                )
            },
        )
        for i, u in enumerate(users)
    )


@pytest.fixture
def busy_cohort(instructor, pocket_case):
    cohort = CohortFactory(name="Busy", instructors=[instructor])
    first = LearnerFactory(first_name="Aaron")
    services.join_cohort(cohort=cohort, learner=first)
    attempt = finish_case(first, pocket_case, mode="training", level="muscle")
    lesson = LessonFactory()
    now = timezone.now()
    for kind, target in (
        ("case", attempt.case),
        ("quiz", QuizDefinitionFactory(lesson=lesson)),
        ("lesson", lesson),
    ):
        services.create_assignment(
            cohort=cohort,
            kind=kind,
            target=target,
            opens_at=now - timedelta(days=3),
            due_at=now + timedelta(days=3),
        )
    populate(cohort, attempt.case, 9)
    return cohort, attempt.case


PAGES = [
    ("cohorts:detail", 9),
    ("cohorts:progress", 8),
    ("cohorts:insight", 17),
    ("cohorts:export-gradebook", 8),
    ("cohorts:export-attempts", 11),
]


@pytest.mark.parametrize("name,expected", PAGES, ids=[p[0] for p in PAGES])
def test_instructor_pages_cost_the_same_at_10_and_300_learners(
    instructor_client, busy_cohort, name, expected
):
    cohort, case = busy_cohort
    url = reverse(name, args=[cohort.pk])
    landmark = {
        "cohorts:detail": b"Roster (",
        "cohorts:progress": b"learners \xc3\x97 assignments",
        "cohorts:insight": b"Confusion matrix",
        "cohorts:export-gradebook": b"Learner,Username",
        "cohorts:export-attempts": b"Learner,Username,Assignment",
    }[name]

    def fetch():
        response = instructor_client.get(url)
        assert response.status_code == 200
        assert landmark in response.content

    count = assert_constant_queries(fetch, lambda: populate(cohort, case, 290, start=100))
    assert count == expected, f"{name}: {count}"
    assert Enrolment.objects.filter(cohort=cohort).count() == 300


def test_learner_page_and_attempt_pages_cost_a_fixed_number(instructor_client, busy_cohort):
    cohort, case = busy_cohort
    learner_id = Enrolment.objects.filter(cohort=cohort).order_by("pk").first().learner_id
    url = reverse("cohorts:learner", args=[cohort.pk, learner_id])

    def fetch():
        response = instructor_client.get(url)
        assert response.status_code == 200
        assert b"Case attempts" in response.content

    assert_constant_queries(fetch, lambda: populate(cohort, case, 290, start=100), expected=10)


def test_the_grid_sorts_filters_and_totals(instructor_client, cohort, members, case_assignment):
    ana, ben, cy = members
    finish_case(ben, case_assignment.case, level="muscle")
    finish_case(cy, case_assignment.case)
    url = reverse("cohorts:progress", args=[cohort.pk])
    grid = instructor_client.get(url + f"?sort=a{case_assignment.pk}&dir=desc").context["grid"]
    assert [row.member.name for row in grid.rows] == ["Cy Test", "Ben Test", "Ana Test"]
    assert [row.cells[0].text for row in grid.rows] == ["Done 100%", "Done 50%", "—"]
    assert (grid.columns[0].done, grid.columns[0].assigned) == (2, 3)
    filtered = instructor_client.get(url + "?status=not-started")
    assert [row.member.name for row in filtered.context["grid"].rows] == ["Ana Test"]
    assert b"The table scrolls sideways" in filtered.content


def test_the_instructor_reads_the_learners_debrief_read_only(
    instructor_client, cohort, members, case_assignment
):
    attempt = finish_case(members[0], case_assignment.case)
    response = instructor_client.get(reverse("cohorts:case-attempt", args=[cohort.pk, attempt.pk]))
    assert response.status_code == 200
    assert b"Read-only:" in response.content
    assert case_assignment.case.title.encode() in response.content


def test_insight_shows_the_confusion_and_the_missed_critical_action(
    instructor_client, cohort, members, case_assignment
):
    for learner in members:
        finish_case(learner, case_assignment.case, level="muscle")
    response = instructor_client.get(reverse("cohorts:insight", args=[cohort.pk]))
    insight = response.context["insight"]
    assert insight.levels.pairs[("neuromuscular-junction", "muscle")] == 3
    assert [(a.label, a.count) for a in insight.safety[0].missed][0][1] == 3
    assert b"Most often missed" in response.content


def test_a_dismissed_flag_stays_dismissed(instructor_client, cohort, members, pocket_case):
    now = timezone.now()
    services.create_assignment(
        cohort=cohort,
        kind="case",
        target=pocket_case,
        opens_at=now - timedelta(days=2),
        due_at=now - timedelta(days=1),
    )
    url = reverse("cohorts:insight", args=[cohort.pk])
    flagged = instructor_client.get(url).context["insight"].at_risk
    assert len(flagged) == 3 and flagged[0].reasons[0].text.startswith("Overdue")
    ana = members[0]
    instructor_client.post(
        reverse("cohorts:dismiss-risk", args=[cohort.pk]),
        {"learner": ana.pk, "reason": flagged[0].reasons[0].code},
    )
    after = instructor_client.get(url).context["insight"]
    assert ana.pk not in [f.member.id for f in after.at_risk] and after.dismissed == 1


def test_gradebook_csv_neutralises_formulas_and_keeps_numbers(
    instructor_client, cohort, case_assignment
):
    evil = LearnerFactory(first_name='=HYPERLINK("http://x")', last_name="", username="evil")
    services.join_cohort(cohort=cohort, learner=evil)
    finish_case(evil, case_assignment.case, level="muscle")
    response = instructor_client.get(reverse("cohorts:export-gradebook", args=[cohort.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    row = next(r for r in rows if r[1] == "evil")
    assert row[0].startswith("'=HYPERLINK")
    assert row[2] == "Done" and row[3] == "50.0"
    assert inert("+1") == "'+1" and inert("-x") == "'-x" and inert("@a") == "'@a"
    assert inert("\tx") == "'\tx" and inert("\rx") == "'\rx" and inert(0.5) == 0.5


def test_long_csv_has_one_row_per_attempt(instructor_client, cohort, members, case_assignment):
    finish_case(members[0], case_assignment.case)
    finish_case(members[0], case_assignment.case)
    response = instructor_client.get(reverse("cohorts:export-attempts", args=[cohort.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 3 and rows[1][9] == "yes"


def test_creating_a_cohort_through_the_page(instructor_client):
    response = instructor_client.post(
        reverse("cohorts:create"), {"name": "Rotation 3", "term": "Autumn"}, follow=True
    )
    assert response.status_code == 200
    assert b"Rotation 3" in response.content and b"Join link" in response.content


def test_a_bad_date_range_is_a_friendly_error(instructor_client):
    response = instructor_client.post(
        reverse("cohorts:create"),
        {"name": "X", "starts_on": "2027-02-01", "ends_on": "2027-01-01"},
    )
    assert response.status_code == 200
    assert b"must end on or after" in response.content


def test_sign_up_through_the_join_link_lands_in_the_cohort(client, cohort):
    url = reverse("accounts:sign-up") + f"?join={cohort.code}"
    assert f"join &#x27;{cohort.name}&#x27;".encode() in client.get(url).content
    response = client.post(
        url,
        {
            "username": "newbie",
            "email": "newbie@example.org",
            "first_name": "New",
            "last_name": "Bie",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    assert b"You joined" in response.content
    assert Enrolment.objects.filter(cohort=cohort, learner__username="newbie").exists()


def test_joining_by_code_and_leaving(learner_client, learner, cohort):
    response = learner_client.post(reverse("cohorts:join"), {"code": cohort.code}, follow=True)
    assert b"You joined" in response.content
    response = learner_client.post(reverse("cohorts:join"), {"code": "nope"})
    assert b"No cohort has that code" in response.content
    learner_client.post(reverse("cohorts:leave", args=[cohort.pk]))
    assert not Enrolment.objects.filter(learner=learner, left_at__isnull=True).exists()


def test_a_new_learners_home_says_where_to_start(learner_client, pocket_case):
    response = learner_client.get(reverse("home"))
    assert b"Where to start" in response.content
    assert b"Open the first case" in response.content


def test_a_returning_learner_sees_what_to_continue_and_assignments(
    client, cohort, members, case_assignment
):
    ana = members[0]
    client.force_login(ana)
    response = client.get(reverse("home"))
    assert b"Your assignments" in response.content
    start = reverse("cohorts:start", args=[case_assignment.pk])
    assert start.encode() in response.content
    response = client.post(start, follow=True)
    assert response.status_code == 200
    home = client.get(reverse("home"))
    assert b"Continue your case" in home.content
    assert b"In progress" in home.content


def test_the_home_page_query_count_is_fixed(client, cohort, members, case_assignment):
    ana = members[0]
    finish_case(ana, case_assignment.case)
    client.force_login(ana)

    def fetch():
        response = client.get(reverse("home"))
        assert response.status_code == 200
        assert b"Your assignments" in response.content

    def grow():
        for _ in range(3):
            finish_case(ana, case_assignment.case)

    assert_constant_queries(fetch, grow)


def _quiz_attempt_in(cohort):
    from edu.quizzes.services import answer_item, start_attempt
    from tests.quizzes.factories import QuestionFactory

    lesson = LessonFactory()
    for _ in range(3):
        QuestionFactory(lesson=lesson)
    quiz = QuizDefinitionFactory(lesson=lesson, question_count=3)
    services.create_assignment(
        cohort=cohort, kind="quiz", target=quiz, due_at=timezone.now() + timedelta(days=1)
    )
    learner = Enrolment.objects.filter(cohort=cohort).order_by("pk").first().learner
    attempt = start_attempt(user=learner, definition=quiz, mode="practice")
    for item in attempt.items.all():
        answer_item(attempt=attempt, position=item.position, option_id=item.option_order[1])
    return attempt


def test_the_instructor_sees_each_quiz_answer(instructor_client, busy_cohort):
    cohort, case = busy_cohort
    attempt = _quiz_attempt_in(cohort)
    url = reverse("cohorts:quiz-attempt", args=[cohort.pk, attempt.pk])

    def fetch():
        response = instructor_client.get(url)
        assert response.status_code == 200
        assert b"Read-only:" in response.content
        assert response.content.count(b"Your answer") == 3

    assert_constant_queries(fetch, lambda: populate(cohort, case, 290, start=100), expected=5)


@pytest.mark.parametrize(
    "name,args,landmark,expected",
    [
        ("cohorts:case-attempt", "attempt", b"Read-only:", 5),
        ("cohorts:edit", "cohort", b"Co-instructors", 4),
        ("cohorts:assignment-create", "cohort", b"Assign a lesson, quiz or case", 6),
        ("cohorts:index", "none", b"New cohort", 2),
    ],
)
def test_more_instructor_pages_have_a_fixed_cost(
    instructor_client, busy_cohort, name, args, landmark, expected
):
    cohort, case = busy_cohort
    attempt = Attempt.objects.filter(status="finished", event_count__gt=0).first()
    url = reverse(
        name,
        args={"attempt": [cohort.pk, attempt.pk], "cohort": [cohort.pk], "none": []}[args],
    )

    def fetch():
        response = instructor_client.get(url)
        assert response.status_code == 200
        assert landmark in response.content

    assert_constant_queries(
        fetch, lambda: populate(cohort, case, 290, start=100), expected=expected
    )


@pytest.mark.parametrize("name", ["cohorts:join", "cohorts:join-link"])
def test_the_join_pages_have_a_fixed_cost(learner_client, learner, cohort, name):
    url = reverse(name, args=[cohort.code] if name == "cohorts:join-link" else [])

    def fetch():
        response = learner_client.get(url)
        assert response.status_code == 200
        assert b"Join" in response.content

    def grow():
        for i in range(5):
            other = services.create_cohort(name=f"Other {i}", created_by=cohort.instructors.first())
            services.join_cohort(cohort=other, learner=learner)

    assert_constant_queries(fetch, grow)


def test_sorting_with_htmx_swaps_only_the_grid(instructor_client, cohort, members, case_assignment):
    url = reverse("cohorts:progress", args=[cohort.pk]) + "?sort=learner&dir=desc"
    response = instructor_client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.lstrip().startswith(b'<div id="grid">')
    assert b"<html" not in response.content
    html = response.content.decode()
    assert html.index("Cy Test") < html.index("Ben Test") < html.index("Ana Test")


def test_a_returning_learner_with_due_review_is_pointed_at_it(learner_client, learner):
    from edu.quizzes.services import record_review
    from tests.quizzes.factories import QuestionFactory

    question = QuestionFactory()
    record_review(
        user_id=learner.pk,
        question_id=question.pk,
        correct=False,
        at=timezone.now() - timedelta(days=3),
    )
    response = learner_client.get(reverse("home"))
    assert b"Pick up where you left off" in response.content
    assert b"Review 1 due" in response.content
