"""Spaced review: one FSRS card per learner and question, advanced by each answer they give.

The `fsrs` package (v6) does the arithmetic; this module keeps our rules in one place:
a wrong answer rates `Again` and a right one `Good` (never `Hard` for a miss, which would teach
the model the wrong forgetting curve), every datetime is timezone-aware UTC, and the card id
is our ReviewCard primary key so a card can be traced back to its row.

Quiz questions are not flashcards drilled minutes apart, so the scheduler runs without
learning steps: a first right answer comes back in a couple of days, a miss the next day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=())


@dataclass(frozen=True)
class ScheduledCard:
    """A card after a review: the JSON we store and the moment it is next due."""

    state: dict
    due: datetime
    last_review: datetime


def as_utc(moment: datetime) -> datetime:
    """The same instant with the `timezone.utc` tzinfo fsrs insists on (databases may hand back
    other UTC objects, such as zoneinfo's)."""
    if moment.tzinfo is None:
        raise ValueError("review times must be timezone-aware")
    return moment.astimezone(UTC)


def rating_for(*, correct: bool) -> Rating:
    return Rating.Good if correct else Rating.Again


def review(*, card_id: int, state: dict | None, correct: bool, at: datetime) -> ScheduledCard:
    """Advance a card (a new one when `state` is empty) by one answer given at `at`."""
    at = as_utc(at)
    card = Card.from_dict(state) if state else Card(card_id=card_id, due=at)
    card.card_id = card_id
    card, _log = SCHEDULER.review_card(card, rating_for(correct=correct), review_datetime=at)
    return ScheduledCard(state=card.to_dict(), due=as_utc(card.due), last_review=at)
