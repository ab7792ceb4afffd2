"""Item statistics against values worked out by hand in the comments beside each assertion."""

import math

import pytest

from edu.statistics import items
from edu.statistics.items import Flag, Moments, OptionShare, Response, Sitting

OPTIONS = ("a", "b", "c", "d")  # "a" is the key of every item below


def sitting(sid: int, *answers: str) -> Sitting:
    """A sitting of items Q1..Qn given the option chosen for each ("a" is right)."""
    return Sitting(
        sid,
        tuple(
            Response(item=f"Q{i}", option=option, correct=option == "a")
            for i, option in enumerate(answers, start=1)
        ),
    )


# Quiz A, four items, six sittings (1 = right):
#        Q1 Q2 Q3 Q4 | total
#   S1    1  1  1  0 |  3    (Q4: chose b)
#   S2    1  1  1  0 |  3    (Q4: chose b)
#   S3    1  1  0  0 |  2    (Q3: b, Q4: c)
#   S4    1  0  0  1 |  2    (Q2: b, Q3: c)
#   S5    1  0  0  1 |  2    (Q2: b, Q3: d)
#   S6    0  0  0  1 |  1    (Q1: d, Q2: c, Q3: b)
# Q4 is right only for the weaker sittings: it discriminates negatively.
QUIZ_A = [
    sitting(1, "a", "a", "a", "b"),
    sitting(2, "a", "a", "a", "b"),
    sitting(3, "a", "a", "b", "c"),
    sitting(4, "a", "b", "c", "a"),
    sitting(5, "a", "b", "d", "a"),
    sitting(6, "d", "c", "b", "a"),
]


@pytest.fixture
def quiz_a():
    tallies = items.tally_sittings(QUIZ_A)
    return {
        item: items.item_statistics(item, tally, options=OPTIONS, key="a")
        for item, tally in tallies.items()
    }


def test_group_size_is_27_percent_rounded_half_up():
    # 0.27 * 6 = 1.62 -> 2; 0.27 * 10 = 2.7 -> 3; 0.27 * 150 = 40.5 -> 41 (not banker's 40)
    assert [items.group_size(n) for n in (1, 2, 3, 6, 10, 150)] == [0, 1, 1, 2, 3, 41]


def test_upper_and_lower_groups_break_ties_by_sitting():
    # sorted by total then id: S1 S2 (3), S3 S4 S5 (2), S6 (1); groups of 2
    upper, lower = items.ranked_groups({s.id: s.total for s in QUIZ_A})
    assert upper == {1, 2}
    assert lower == {5, 6}


def test_facility_is_the_share_right(quiz_a):
    # Q1 5/6, Q2 3/6, Q3 2/6, Q4 3/6
    assert quiz_a["Q1"].facility == pytest.approx(5 / 6)
    assert quiz_a["Q2"].facility == pytest.approx(0.5)
    assert quiz_a["Q3"].facility == pytest.approx(1 / 3)
    assert quiz_a["Q4"].facility == pytest.approx(0.5)


def test_discrimination_index_is_upper_minus_lower(quiz_a):
    # upper {S1, S2}, lower {S5, S6}. Q1: 2/2 - 1/2; Q2 and Q3: 2/2 - 0/2; Q4: 0/2 - 2/2
    assert quiz_a["Q1"].discrimination_index == pytest.approx(0.5)
    assert quiz_a["Q2"].discrimination_index == pytest.approx(1.0)
    assert quiz_a["Q3"].discrimination_index == pytest.approx(1.0)
    assert quiz_a["Q4"].discrimination_index == pytest.approx(-1.0)


def test_discrimination_coefficient_correlates_the_item_with_the_rest(quiz_a):
    # Q1: x = 1 1 1 1 1 0, rest = T - x = 2 2 1 1 1 1.
    #   Sdxdy = 1/6 * (2/3 + 2/3 - 1/3 - 1/3 - 1/3) + (-5/6)(-1/3) = 1/18 + 5/18 = 1/3
    #   Sdx2 = 5/6, Sdy2 = 4/3, r = (1/3) / sqrt(10/9) = 1 / sqrt(10)
    assert quiz_a["Q1"].discrimination_coefficient == pytest.approx(1 / math.sqrt(10))
    # Q4: x = 0 0 0 1 1 1, rest = 3 3 2 1 1 0, mean rest 5/3.
    #   Sdxdy = -1/2 * (4/3 + 4/3 + 1/3) + 1/2 * (-2/3 - 2/3 - 5/3) = -3
    #   Sdx2 = 3/2, Sdy2 = 66/9, r = -3 / sqrt(11)
    assert quiz_a["Q4"].discrimination_coefficient == pytest.approx(-3 / math.sqrt(11))


def test_correcting_for_the_item_itself_lowers_the_correlation():
    # Against the uncorrected total, Q1 (x = 1 1 1 1 1 0, T = 3 3 2 2 2 1) gives
    # Sdxdy = 1/6 * (5/6 + 5/6 - 1/6 * 3) + (-5/6)(-7/6) = 7/36 + 35/36 = 7/6,
    # Sdx2 = 5/6, SdT2 = 17/6, r = (7/6) / sqrt(85/36) = 7 / sqrt(85) = 0.759 > 0.316.
    pairs = [(1, 3), (1, 3), (1, 2), (1, 2), (1, 2), (0, 1)]
    uncorrected = items.pearson(Moments.of(pairs))
    assert uncorrected == pytest.approx(7 / math.sqrt(85))
    assert items.corrected_point_biserial(pairs) == pytest.approx(1 / math.sqrt(10))


def test_option_distribution_overall_and_by_group(quiz_a):
    q4 = {o.option: o for o in quiz_a["Q4"].options}
    # overall: a 3, b 2, c 1, d 0 of 6; upper (S1, S2) both chose b; lower (S5, S6) both a
    assert [q4[k].chosen for k in OPTIONS] == [3, 2, 1, 0]
    assert q4["b"].share == pytest.approx(2 / 6)
    assert (q4["b"].upper_share, q4["a"].upper_share) == (1.0, 0.0)
    assert (q4["a"].lower_share, q4["b"].lower_share) == (1.0, 0.0)
    assert q4["a"].is_key and not q4["b"].is_key


def test_flags_name_what_an_item_review_should_look_at(quiz_a):
    # Q1: d chosen once, b and c never -> a distractor nobody chooses; D = 0.5 is fine
    assert quiz_a["Q1"].flags == (Flag.UNUSED_DISTRACTOR,)
    # Q3: every distractor used, D = 1, facility 1/3 is not below 0.3
    assert quiz_a["Q3"].flags == ()
    # Q4: negative D and r, d never chosen, the upper group all chose b over the key
    assert quiz_a["Q4"].flags == (
        Flag.NEGATIVE_DISCRIMINATION,
        Flag.UNUSED_DISTRACTOR,
        Flag.DISTRACTOR_BEATS_KEY,
    )


def _shares(*chosen):
    return [
        OptionShare(
            option=i, is_key=i == 0, chosen=n, share=None, upper_share=None, lower_share=None
        )
        for i, n in enumerate(chosen)
    ]


@pytest.mark.parametrize(
    ("p", "d", "expected"),
    [
        (0.95, 0.25, (Flag.TOO_EASY,)),
        (0.2, 0.25, (Flag.TOO_HARD,)),
        (0.6, 0.1, (Flag.POOR_DISCRIMINATION,)),
        (0.6, 0.2, ()),  # 0.2 is the threshold itself: not below it
        (0.6, -0.05, (Flag.NEGATIVE_DISCRIMINATION,)),
    ],
)
def test_facility_and_discrimination_thresholds(p, d, expected):
    flags = items.item_flags(
        facility=p,
        discrimination_index=d,
        discrimination_coefficient=None,
        options=_shares(5, 2, 2, 1),
    )
    assert flags == expected


def test_quiz_a_has_negative_alpha():
    # totals 3 3 2 2 2 1: mean 13/6, median 2, S(x - mean)^2 = 102/36 = 17/6,
    # sample SD = sqrt(17/30); population variance 17/36.
    # KR-20: S p q = 5/36 + 9/36 + 8/36 + 9/36 = 31/36; alpha = 4/3 (1 - 31/17) = -56/51
    stats = items.quiz_statistics(QUIZ_A)
    assert stats.sittings == 6
    assert stats.mean == pytest.approx(13 / 6)
    assert stats.median == 2
    assert stats.standard_deviation == pytest.approx(math.sqrt(17 / 30))
    assert stats.alpha == pytest.approx(-56 / 51)
    # a negative reliability measures nothing: the SEM is the whole SD
    assert stats.sem == pytest.approx(math.sqrt(17 / 30))


# Quiz B, a perfect ladder: each sitting gets one more item right than the next.
#   S1 1 1 1 (3), S2 1 1 0 (2), S3 1 0 0 (1), S4 0 0 0 (0)
QUIZ_B = [
    sitting(1, "a", "a", "a"),
    sitting(2, "a", "a", "b"),
    sitting(3, "a", "b", "b"),
    sitting(4, "b", "b", "b"),
]


def test_quiz_b_alpha_and_sem():
    # p = 3/4, 1/2, 1/4 -> S p q = 3/16 + 4/16 + 3/16 = 10/16; totals 3 2 1 0, mean 1.5,
    # population variance 5/4 = 20/16; alpha = 3/2 (1 - 10/20) = 0.75.
    # sample SD = sqrt(5/3); SEM = sqrt(5/3) * sqrt(0.25)
    stats = items.quiz_statistics(QUIZ_B)
    assert stats.mean == 1.5
    assert stats.median == 1.5
    assert stats.alpha == pytest.approx(0.75)
    assert stats.sem == pytest.approx(math.sqrt(5 / 3) / 2)


def test_cronbach_alpha_with_full_coverage_is_the_textbook_formula():
    # item variances 0.25, 0.25, total variance 0.75: 2/1 * (1 - 0.5/0.75) = 2/3
    assert items.cronbach_alpha([0.25, 0.25], 0.75) == pytest.approx(2 / 3)
    assert items.cronbach_alpha([0.25, 0.25], 0.75, coverage=[1, 1]) == pytest.approx(2 / 3)


def test_alpha_over_a_bank_weights_items_by_how_often_they_were_drawn():
    # 4 items each seen by half the sittings: k = 2, S c v = 0.5 * 4 * 0.25 = 0.5
    alpha = items.cronbach_alpha([0.25] * 4, 0.75, coverage=[0.5] * 4)
    assert alpha == pytest.approx(2 / 3)


def test_no_spread_means_no_figure():
    assert items.cronbach_alpha([0.0, 0.0], 0.0) is None
    assert items.corrected_point_biserial([(1, 2), (1, 2)]) is None
    assert items.facility(0, 0) is None
    assert items.discrimination_index(1, 0, 0, 0) is None
    assert items.median([]) is None


def test_the_groups_are_ranked_by_total_not_by_sitting_id():
    # Totals out of id order: upper = the three highest (15: 5, 11: 4, 18: 4), lower = the
    # three lowest (12: 0, then 10 and 17 with 1); ten sittings give groups of three.
    totals = {10: 1, 11: 4, 12: 0, 13: 3, 14: 2, 15: 5, 16: 2, 17: 1, 18: 4, 19: 3}
    assert items.ranked_groups(totals) == (frozenset({11, 15, 18}), frozenset({10, 12, 17}))
    # Three sittings: groups of one, the best and the worst.
    assert items.ranked_groups({7: 1.0, 3: 0.0, 5: 2.0}) == (frozenset({5}), frozenset({3}))


def test_an_item_skipped_in_some_sittings_counts_with_its_coverage():
    # Quiz B with Q3 left out of sittings 3 and 4: Q3 covers half the sittings.
    partial = [
        QUIZ_B[0],
        QUIZ_B[1],
        Sitting(3, QUIZ_B[2].responses[:2]),
        Sitting(4, QUIZ_B[3].responses[:2]),
    ]
    stats = items.quiz_statistics(partial)
    totals = [s.total for s in partial]  # 3 2 1 0
    facilities = [3 / 4, 1 / 2, 1 / 2]  # Q3: one right of its two answers
    population = items.variance(totals)
    assert stats.alpha == pytest.approx(
        items.kr20(facilities, population, coverage=[1.0, 1.0, 0.5])
    )
    assert stats.alpha != pytest.approx(items.kr20(facilities, population))
