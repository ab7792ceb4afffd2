"""Item analysis of quizzes by classical test theory, the figures an exam board reviews.

Plain functions over plain numbers, no Django: the analytics selectors aggregate in the
database and hand the sums in here, and the tests feed small hand-worked examples. The
definitions follow the ones Moodle's quiz statistics report uses where the two overlap:

* facility: the share of responses that were right;
* discrimination index (D): the share right in the upper 27 % of sittings (by total score)
  minus the share right in the lower 27 % (Kelley's groups);
* discrimination coefficient: the Pearson correlation of the item score with the score on
  the REST of the quiz (total minus this item), i.e. the corrected point-biserial. Moodle
  calls this figure its "discrimination index";
* the quiz's mean, median and standard deviation of total scores, Cronbach's alpha (KR-20
  for right/wrong items) and the standard error of measurement.

A sitting is one quiz attempt; its total is its number of right answers.
"""

from __future__ import annotations

import enum
import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

GROUP_SHARE = 0.27
TOO_EASY = 0.9
TOO_HARD = 0.3
POOR_DISCRIMINATION = 0.2


# --- Scalar formulas -------------------------------------------------------------------------


def facility(correct: int, responses: int) -> float | None:
    """Facility p = correct / responses: the share of responses that were right (None if none)."""
    return correct / responses if responses else None


def group_size(sittings: int, share: float = GROUP_SHARE) -> int:
    """How many sittings form the upper (and the lower) group: floor(share * n + 0.5).

    Rounded half up (so 150 sittings make groups of 41, not Python's banker's 40), at least
    one sitting once there are two, and never more than half, so the groups cannot overlap.
    """
    if sittings < 2:
        return 0
    return max(1, min(sittings // 2, math.floor(share * sittings + 0.5)))


def discrimination_index(
    upper_correct: int, upper_n: int, lower_correct: int, lower_n: int
) -> float | None:
    """D = upper_correct / upper_n - lower_correct / lower_n, between -1 and 1.

    Positive when the sittings that did best overall got this item right more often than the
    sittings that did worst; negative when the weaker sittings did better on it.
    """
    if not upper_n or not lower_n:
        return None
    return upper_correct / upper_n - lower_correct / lower_n


@dataclass(frozen=True)
class Moments:
    """The sums a correlation needs, which a database can add up in one GROUP BY.

    x is the item score (0 or 1), y the rest score (the sitting's total minus x).
    """

    n: int = 0
    sum_x: float = 0.0
    sum_y: float = 0.0
    sum_xx: float = 0.0
    sum_yy: float = 0.0
    sum_xy: float = 0.0

    def __add__(self, other: Moments) -> Moments:
        return Moments(
            self.n + other.n,
            self.sum_x + other.sum_x,
            self.sum_y + other.sum_y,
            self.sum_xx + other.sum_xx,
            self.sum_yy + other.sum_yy,
            self.sum_xy + other.sum_xy,
        )

    @classmethod
    def of(cls, pairs: Iterable[tuple[float, float]]) -> Moments:
        total = cls()
        for x, y in pairs:
            total = total + cls(1, x, y, x * x, y * y, x * y)
        return total


def pearson(m: Moments) -> float | None:
    """r = (n Sxy - Sx Sy) / sqrt((n Sxx - Sx^2) (n Syy - Sy^2)); None if either side is flat."""
    covariance = m.n * m.sum_xy - m.sum_x * m.sum_y
    spread_x = m.n * m.sum_xx - m.sum_x**2
    spread_y = m.n * m.sum_yy - m.sum_y**2
    if spread_x <= 1e-12 or spread_y <= 1e-12:
        return None
    return covariance / math.sqrt(spread_x * spread_y)


def corrected_point_biserial(item_and_total: Iterable[tuple[float, float]]) -> float | None:
    """The discrimination coefficient: r between the item score x and the rest score T - x.

    Correlating with the rest of the quiz rather than the total keeps the item from
    correlating with itself (which inflates r on short quizzes). For 0/1 items Pearson's r
    is the point-biserial correlation. None when everyone scored the same on either side.
    """
    return pearson(Moments.of((x, total - x) for x, total in item_and_total))


def mean(values: Sequence[float]) -> float | None:
    """The arithmetic mean, sum(x) / n."""
    return sum(values) / len(values) if values else None


def median(values: Sequence[float]) -> float | None:
    """The middle value once sorted; the mean of the two middle ones for an even count."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def variance(values: Sequence[float], *, sample: bool = False) -> float | None:
    """sum((x - mean)^2) / n, or / (n - 1) with `sample` (the n - 1 form Moodle reports)."""
    n = len(values)
    if n == 0 or (sample and n < 2):
        return None
    centre = sum(values) / n
    return sum((x - centre) ** 2 for x in values) / (n - 1 if sample else n)


def standard_deviation(values: Sequence[float]) -> float | None:
    """The sample standard deviation sqrt(sum((x - mean)^2) / (n - 1)), as Moodle reports it."""
    v = variance(values, sample=True)
    return math.sqrt(v) if v is not None else None


def cronbach_alpha(
    item_variances: Sequence[float],
    total_variance: float,
    *,
    coverage: Sequence[float] | None = None,
) -> float | None:
    """alpha = k / (k - 1) * (1 - sum(var_i) / var_T), with var_i and var_T on one footing.

    k is the number of items. When sittings draw different items from a bank, `coverage`
    gives each item's share of sittings that saw it: then k = sum(c_i) (the items a sitting
    holds on average) and the item variances are weighted, sum(c_i * var_i), the expected sum
    over one sitting's items. With every item in every sitting this is the textbook formula.
    None with fewer than two items or no spread of totals. Alpha can be negative.
    """
    weights = list(coverage) if coverage is not None else [1.0] * len(item_variances)
    k = sum(weights)
    if k <= 1 or total_variance <= 1e-12:
        return None
    item_sum = sum(w * v for w, v in zip(weights, item_variances, strict=True))
    return k / (k - 1) * (1 - item_sum / total_variance)


def kr20(
    facilities: Sequence[float],
    total_variance: float,
    *,
    coverage: Sequence[float] | None = None,
) -> float | None:
    """KR-20 = k / (k - 1) * (1 - sum(p_i q_i) / var_T): alpha for right/wrong items.

    p_i is item i's facility and q_i = 1 - p_i, so p_i q_i is the item's variance divided by
    n (not n - 1): pass the total's variance in the same form, variance(totals).
    """
    return cronbach_alpha([p * (1 - p) for p in facilities], total_variance, coverage=coverage)


def standard_error_of_measurement(sd: float | None, reliability: float | None) -> float | None:
    """SEM = SD * sqrt(1 - reliability): how far an observed total typically sits from the
    true score. None without a reliability, and the full SD if reliability is negative."""
    if sd is None or reliability is None:
        return None
    return sd * math.sqrt(1 - min(1.0, max(0.0, reliability)))


# --- Items -----------------------------------------------------------------------------------


class Flag(enum.Enum):
    """What an item review should look at; the value is what the page says."""

    TOO_EASY = "too easy (facility above 0.9)"
    TOO_HARD = "too hard (facility below 0.3)"
    POOR_DISCRIMINATION = "discriminates poorly (D below 0.2)"
    NEGATIVE_DISCRIMINATION = "discriminates negatively (weaker sittings do better)"
    UNUSED_DISTRACTOR = "a distractor nobody chose"
    DISTRACTOR_BEATS_KEY = "the upper group prefers a distractor to the key"


@dataclass
class ItemTally:
    """Everything counted for one item over the sittings analysed.

    `options` counts choices per option id overall, `upper` and `lower` within the two
    groups; `moments` holds the (item, rest) sums for the discrimination coefficient.
    """

    responses: int = 0
    correct: int = 0
    upper_n: int = 0
    upper_correct: int = 0
    lower_n: int = 0
    lower_correct: int = 0
    options: Counter = field(default_factory=Counter)
    upper: Counter = field(default_factory=Counter)
    lower: Counter = field(default_factory=Counter)
    moments: Moments = field(default_factory=Moments)


@dataclass(frozen=True)
class OptionShare:
    option: Hashable
    is_key: bool
    chosen: int
    share: float | None
    upper_share: float | None
    lower_share: float | None


@dataclass(frozen=True)
class ItemStatistics:
    item: Hashable
    responses: int
    facility: float | None
    discrimination_index: float | None
    discrimination_coefficient: float | None
    options: tuple[OptionShare, ...]
    flags: tuple[Flag, ...]


def item_flags(
    *,
    facility: float | None,
    discrimination_index: float | None,
    discrimination_coefficient: float | None,
    options: Sequence[OptionShare],
) -> tuple[Flag, ...]:
    """The review flags: facility > 0.9 or < 0.3; D < 0.2 (poor) or D or r < 0 (negative);
    a distractor chosen by nobody; a distractor the upper group chose more often than the key."""
    flags = []
    if facility is not None and facility > TOO_EASY:
        flags.append(Flag.TOO_EASY)
    if facility is not None and facility < TOO_HARD:
        flags.append(Flag.TOO_HARD)
    negative = (discrimination_index is not None and discrimination_index < 0) or (
        discrimination_coefficient is not None and discrimination_coefficient < 0
    )
    if negative:
        flags.append(Flag.NEGATIVE_DISCRIMINATION)
    elif discrimination_index is not None and discrimination_index < POOR_DISCRIMINATION:
        flags.append(Flag.POOR_DISCRIMINATION)
    distractors = [o for o in options if not o.is_key]
    if any(o.chosen == 0 for o in distractors) and sum(o.chosen for o in options):
        flags.append(Flag.UNUSED_DISTRACTOR)
    key_upper = next((o.upper_share or 0.0 for o in options if o.is_key), 0.0)
    if any((o.upper_share or 0.0) > key_upper for o in distractors):
        flags.append(Flag.DISTRACTOR_BEATS_KEY)
    return tuple(flags)


def item_statistics(
    item: Hashable, tally: ItemTally, *, options: Sequence[Hashable], key: Hashable
) -> ItemStatistics:
    """Facility, D, the corrected point-biserial, the distractor table and flags of one item.

    `options` lists the item's option ids in display order and `key` is the right one.
    """

    def share(count: int, total: int) -> float | None:
        return count / total if total else None

    shares = tuple(
        OptionShare(
            option=option,
            is_key=option == key,
            chosen=tally.options[option],
            share=share(tally.options[option], tally.responses),
            upper_share=share(tally.upper[option], tally.upper_n),
            lower_share=share(tally.lower[option], tally.lower_n),
        )
        for option in options
    )
    p = facility(tally.correct, tally.responses)
    d = discrimination_index(tally.upper_correct, tally.upper_n, tally.lower_correct, tally.lower_n)
    r = pearson(tally.moments)
    return ItemStatistics(
        item=item,
        responses=tally.responses,
        facility=p,
        discrimination_index=d,
        discrimination_coefficient=r,
        options=shares,
        flags=item_flags(
            facility=p, discrimination_index=d, discrimination_coefficient=r, options=shares
        ),
    )


# --- Sittings: the whole pipeline from raw responses, for small data and the tests ----------


@dataclass(frozen=True)
class Response:
    """One answered item in a sitting: which option was chosen and whether it was right."""

    item: Hashable
    option: Hashable
    correct: bool


@dataclass(frozen=True)
class Sitting:
    id: int
    responses: tuple[Response, ...]

    @property
    def total(self) -> int:
        return sum(1 for r in self.responses if r.correct)


def ranked_groups(totals: Mapping[int, float]) -> tuple[frozenset[int], frozenset[int]]:
    """The upper and lower groups: sittings sorted by total (best first, ties by id), the
    first `group_size(n)` are upper and the last `group_size(n)` lower."""
    order = sorted(totals, key=lambda sid: (-totals[sid], sid))
    g = group_size(len(order))
    if g == 0:
        return frozenset(), frozenset()
    return frozenset(order[:g]), frozenset(order[-g:])


def tally_sittings(sittings: Sequence[Sitting]) -> dict[Hashable, ItemTally]:
    """Per item, the counts and sums `item_statistics` needs, from raw sittings."""
    totals = {s.id: s.total for s in sittings}
    upper, lower = ranked_groups(totals)
    tallies: dict[Hashable, ItemTally] = {}
    for sitting in sittings:
        for response in sitting.responses:
            t = tallies.setdefault(response.item, ItemTally())
            x = 1 if response.correct else 0
            t.responses += 1
            t.correct += x
            t.options[response.option] += 1
            t.moments = t.moments + Moments.of([(x, sitting.total - x)])
            if sitting.id in upper:
                t.upper_n += 1
                t.upper_correct += x
                t.upper[response.option] += 1
            if sitting.id in lower:
                t.lower_n += 1
                t.lower_correct += x
                t.lower[response.option] += 1
    return tallies


@dataclass(frozen=True)
class QuizStatistics:
    sittings: int
    mean: float | None
    median: float | None
    standard_deviation: float | None
    alpha: float | None
    sem: float | None


def quiz_statistics_from_totals(
    totals: Sequence[float],
    *,
    facilities: Sequence[float],
    coverage: Sequence[float] | None = None,
) -> QuizStatistics:
    """Mean, median and sample SD of the totals; KR-20 from each item's facility against the
    totals' variance (divided by n, like p q); SEM = SD * sqrt(1 - KR-20)."""
    sd = standard_deviation(totals)
    population = variance(totals)
    alpha = kr20(facilities, population, coverage=coverage) if population is not None else None
    return QuizStatistics(
        sittings=len(totals),
        mean=mean(totals),
        median=median(totals),
        standard_deviation=sd,
        alpha=alpha,
        sem=standard_error_of_measurement(sd, alpha),
    )


def quiz_statistics(sittings: Sequence[Sitting]) -> QuizStatistics:
    """The quiz's figures from raw sittings (each item's coverage is its share of sittings)."""
    tallies = tally_sittings(sittings)
    n = len(sittings)
    items = list(tallies.values())
    return quiz_statistics_from_totals(
        [s.total for s in sittings],
        facilities=[t.correct / t.responses for t in items],
        coverage=[t.responses / n for t in items] if n else None,
    )
