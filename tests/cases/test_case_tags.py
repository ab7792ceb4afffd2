"""The case clock reads like a ward clock, from minutes to the years of a chronic story."""

import pytest

from cases.templatetags.case_tags import clock, percent


@pytest.mark.parametrize(
    "minutes,shown",
    [
        (0, "0 min"),
        (45, "45 min"),
        (125, "2 h 05"),
        (180, "3 h"),
        (3 * 1440 + 240, "3 d 4 h"),
        (40 * 1440, "5 wk 5 d"),
        (4_730_400, "9 y"),
        (9 * 525_600 + 12 * 1440, "9 y 12 d"),
        ("nonsense", ""),
    ],
)
def test_clock(minutes, shown):
    assert clock(minutes) == shown


def test_percent_rounds_and_shows_a_dash_for_no_score():
    assert percent(0.25) == "25%"
    assert percent(1) == "100%"
    assert percent(None) == "—"
