"""The FSRS wrapper: right answers push a question further out than wrong ones, in UTC."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edu.quizzes import scheduling

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_a_miss_comes_back_sooner_than_a_right_answer():
    missed = scheduling.review(card_id=1, state=None, correct=False, at=NOON)
    right = scheduling.review(card_id=2, state=None, correct=True, at=NOON)
    assert NOON < missed.due < right.due
    assert missed.due - NOON >= timedelta(days=1)  # no minute-long learning steps


def test_the_card_carries_our_id_and_its_state_round_trips():
    first = scheduling.review(card_id=42, state=None, correct=True, at=NOON)
    assert first.state["card_id"] == 42
    later = first.due + timedelta(hours=1)
    second = scheduling.review(card_id=42, state=first.state, correct=True, at=later)
    assert second.due - later > first.due - NOON  # the interval grows with each success


def test_answers_in_another_time_zone_are_accepted_as_utc():
    paris = NOON.astimezone(ZoneInfo("Europe/Paris"))
    scheduled = scheduling.review(card_id=1, state=None, correct=True, at=paris)
    assert scheduled.last_review == NOON and scheduled.due.tzinfo is UTC


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        scheduling.review(card_id=1, state=None, correct=True, at=datetime(2026, 1, 1))


@given(st.lists(st.booleans(), min_size=1, max_size=12))
def test_a_miss_never_pushes_a_question_further_out_than_before(results):
    state, at, interval = None, NOON, None
    for correct in results:
        scheduled = scheduling.review(card_id=7, state=state, correct=correct, at=at)
        new_interval = scheduled.due - at
        assert new_interval >= timedelta(days=1)
        if interval is not None and not correct:
            assert new_interval <= interval
        state, at, interval = scheduled.state, scheduled.due, new_interval
