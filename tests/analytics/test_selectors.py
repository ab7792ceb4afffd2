"""The figures the analytics pages show, computed in the database, against what happened."""

import datetime as dt
import math

import pytest
from django.utils import timezone

from edu.analytics import selectors
from edu.analytics.filters import Scope
from edu.analytics.models import CaseAttemptSummary
from edu.statistics.items import Flag
from tests.analytics.conftest import sit

pytestmark = pytest.mark.django_db


def everything(**kwargs) -> Scope:
    today = timezone.now().date()
    return Scope(start=today - dt.timedelta(days=30), end=today, **kwargs)


def by_id(analysis):
    return {row.question.external_id: row.stats for row in analysis.items}


def test_item_analysis_in_the_database_matches_the_hand_worked_quiz(quiz_a):
    analysis = selectors.item_analysis(everything(), quiz_a["quiz"])
    stats = by_id(analysis)
    assert analysis.group_size == 2
    assert [round(stats[q].facility, 4) for q in ("q1", "q2", "q3", "q4")] == [
        round(5 / 6, 4),
        0.5,
        round(1 / 3, 4),
        0.5,
    ]
    assert stats["q4"].discrimination_index == pytest.approx(-1.0)
    assert stats["q1"].discrimination_coefficient == pytest.approx(1 / math.sqrt(10))
    assert stats["q4"].discrimination_coefficient == pytest.approx(-3 / math.sqrt(11))
    assert Flag.NEGATIVE_DISCRIMINATION in stats["q4"].flags
    assert Flag.DISTRACTOR_BEATS_KEY in stats["q4"].flags
    assert analysis.quiz_stats.alpha == pytest.approx(-56 / 51)
    assert analysis.quiz_stats.mean == pytest.approx(13 / 6)


def test_only_first_sittings_count_unless_all_are_asked_for(quiz_a):
    # The strongest learner sits again and gets everything right.
    sit(quiz_a["quiz"], quiz_a["learners"][0], "aaaa", quiz_a["questions"])
    first = selectors.item_analysis(everything(), quiz_a["quiz"])
    every = selectors.item_analysis(everything(all_attempts=True), quiz_a["quiz"])
    assert first.quiz_stats.sittings == 6
    assert every.quiz_stats.sittings == 7
    assert by_id(every)["q4"].facility == pytest.approx(4 / 7)


def test_spaced_review_answers_never_count(quiz_a):
    learner = quiz_a["learners"][5]  # got Q1 wrong in the quiz
    from edu.quizzes import services

    session = services.start_review(user=learner, now=timezone.now() + dt.timedelta(days=60))
    for item in session.items.select_related("question"):
        right = item.question.options.get(is_correct=True)
        services.answer_item(attempt=session, position=item.position, option_id=right.pk)
    stats = by_id(selectors.item_analysis(everything(all_attempts=True), quiz_a["quiz"]))
    assert stats["q1"].responses == 6
    assert stats["q1"].facility == pytest.approx(5 / 6)


def test_the_cohort_filter_keeps_to_its_learners(quiz_a, cohorts):
    beta = cohorts[1]
    analysis = selectors.item_analysis(everything(cohort=beta), quiz_a["quiz"])
    assert analysis.quiz_stats.sittings == 0
    assert analysis.items == ()


def test_the_date_range_selects_attempts_by_start(quiz_a):
    long_ago = timezone.now().date() - dt.timedelta(days=400)
    scope = Scope(start=long_ago, end=long_ago + dt.timedelta(days=7))
    assert selectors.item_analysis(scope, quiz_a["quiz"]).quiz_stats.sittings == 0


def test_a_finished_attempt_gets_its_summary_with_the_engine_figures(program):
    harmful = CaseAttemptSummary.objects.get(user=program["learners"][3])
    assert harmful.harmful_taken == 1
    assert harmful.critical_missed == 1  # FVC was never measured
    assert harmful.opening == (
        "High-dose prednisolone at once → Creatine kinase → Ask when the weakness is worst"
    )
    assert CaseAttemptSummary.objects.count() == 4  # the open attempt has none


def test_overview_counts_by_week_and_by_cohort(program):
    o = selectors.overview(everything())
    assert (o.learners, o.started, o.finished) == (4, 5, 4)
    assert sum(w.started for w in o.weeks) == 5
    rows = {row.name: row for row in o.cohorts}
    assert rows["Alpha rotation"].started == 4 and rows["Alpha rotation"].finished == 3
    assert rows["Beta rotation"].learners == 1


def test_overview_counts_a_learner_in_each_of_their_cohorts_and_everyone_in_the_total(program):
    from cases.models import Attempt
    from tests.analytics.conftest import GOOD, play_case
    from tests.factories import EnrolmentFactory, LearnerFactory

    # The harmful Beta learner also joins Alpha; a newcomer in no cohort finishes one case.
    EnrolmentFactory(cohort=program["alpha"], learner=program["learners"][3])
    play_case(program["case"], LearnerFactory(), *GOOD)
    o = selectors.overview(everything())
    assert (o.learners, o.started, o.finished) == (5, 6, 5)
    finished = Attempt.objects.filter(status="finished")
    assert o.accuracy == pytest.approx(
        sum(a.score_localization for a in finished) / finished.count()
    )
    rows = {row.name: row for row in o.cohorts}
    alpha = rows["Alpha rotation"]
    assert (alpha.learners, alpha.started, alpha.finished) == (4, 5, 4)
    in_alpha = finished.filter(user__in=program["learners"])
    assert alpha.accuracy == pytest.approx(
        sum(a.score_localization for a in in_alpha) / in_alpha.count()
    )
    assert (rows["Beta rotation"].learners, rows["Beta rotation"].started) == (1, 1)
    assert [row.name for row in o.cohorts] == ["Alpha rotation", "Beta rotation"]


def test_the_week_by_week_union_counts_what_one_grouping_counts(program):
    # Two learners more, one in each half of this week, so a week has several learners.
    from tests.analytics.conftest import GOOD, play_case
    from tests.factories import LearnerFactory

    for _ in range(2):
        play_case(program["case"], LearnerFactory(), *GOOD)
    for scope in (everything(), everything(cohort=program["alpha"])):
        by_branch = selectors._case_weeks(scope)
        grouped = selectors._case_weeks_grouped(scope)
        assert by_branch and by_branch.keys() == grouped.keys()
        for week, row in by_branch.items():
            assert row == {**grouped[week], "accuracy": pytest.approx(grouped[week]["accuracy"])}
        assert sum(w["started"] for w in by_branch.values()) == selectors.overview(scope).started


def test_overview_for_one_cohort(program):
    o = selectors.overview(everything(cohort=program["beta"]))
    assert (o.learners, o.started) == (1, 1)
    assert [row.name for row in o.cohorts] == ["Beta rotation"]


def test_case_report_counts_levels_safety_and_calibration(program):
    report = selectors.case_report(everything(), program["case"])
    assert report.figures.attempts == 5 and report.figures.finished == 4
    assert report.chosen_counts == {"neuromuscular-junction": 3, "muscle": 1}
    assert report.figures.exact == pytest.approx(0.75)
    assert report.figures.harmful_taken == pytest.approx(0.25)
    calibration = {c.confidence: c for c in report.calibration}
    assert calibration["high"].attempts == 3 and calibration["high"].exact == pytest.approx(2 / 3)
    assert calibration["low"].exact == 1.0
    assert report.openings[0] == (
        "Ask when the weakness is worst → Sustained upgaze → Forced vital capacity",
        2,
    )
    assert report.median_clock_minutes is not None
    assert [v.number for v in report.versions] == [1]


def test_case_report_for_a_missing_version_is_empty(program):
    report = selectors.case_report(everything(), program["case"], version_number=9)
    assert report.figures.attempts == 0


def test_median_from_counts():
    assert selectors.median_from_counts({1: 1, 2: 1, 10: 1}) == 2
    assert selectors.median_from_counts({1: 2, 3: 2}) == 2
    assert selectors.median_from_counts({}) is None


def test_levels_come_from_the_shared_statistics_over_the_range(program):
    report = selectors.level_report(everything())
    pairs = report.statistics.pairs
    assert pairs[("neuromuscular-junction", "neuromuscular-junction")] == 3
    assert pairs[("neuromuscular-junction", "muscle")] == 1
    nmj = next(a for a in report.statistics.accuracy if a.level == "neuromuscular-junction")
    assert (nmj.correct, nmj.total, nmj.confused_with) == (3, 4, "muscle")
    # every attempt falls in exactly one period
    assert sum(sum(p.pairs.values()) for p in report.periods) == 4
    assert len(report.periods) == 2


def test_levels_for_one_cohort_and_outside_the_range(program):
    beta = selectors.level_report(everything(cohort=program["beta"]))
    assert sum(beta.statistics.pairs.values()) == 1
    long_ago = timezone.now().date() - dt.timedelta(days=400)
    empty = selectors.level_report(Scope(start=long_ago, end=long_ago + dt.timedelta(days=30)))
    assert not empty.statistics.pairs
