"""What the clients were told against what the database holds: the "nothing lost" check.

Each simulated learner writes a journal line for every write it sends (a case event, a quiz
answer), `sent`, then one for what became of it: `acked` when the server's answer said it was
recorded (or, on a resend, that it already had been), `refused` when it said it was not,
`unanswered` when no answer came back (a killed worker or server). A write left at `sent` or
`unanswered` was in flight: when a worker or server died, or when the run ended. After the run
the runner reads every stored event and answer and `compare` says, per kind:

- acknowledged and stored exactly once, with the same content (what must hold for all);
- acknowledged but missing (lost), stored twice (duplicated) or stored differently;
- seq gaps (an attempt's events must be 1, 2, 3… with none missing);
- stored but never acknowledged: allowed only for a request that was in flight (sent or
  unanswered, never answered), since the server may have committed it just before it died or
  the run ended; anything else, a refused write included, is a write no client was told about.

Pure functions on plain data, so the normal test suite checks them without a server.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SENT = "sent"
ACKED = "acked"
REFUSED = "refused"
UNANSWERED = "unanswered"


def case_key(entry: Mapping[str, Any]) -> tuple:
    return (int(entry["attempt"]), int(entry["seq"]))


def quiz_key(entry: Mapping[str, Any]) -> tuple:
    return (int(entry["attempt"]), int(entry["position"]))


def _case_content(entry: Mapping[str, Any]) -> Any:
    return json.dumps(entry["event"], sort_keys=True)


def _quiz_content(entry: Mapping[str, Any]) -> Any:
    return int(entry["option"])


@dataclass
class KindReport:
    """The comparison for one kind of write (case events or quiz answers)."""

    kind: str
    acked: int = 0
    stored: int = 0
    unanswered: int = 0
    stored_once: int = 0
    missing: list = field(default_factory=list)  # acknowledged, not stored
    duplicated: list = field(default_factory=list)  # stored more than once
    different: list = field(default_factory=list)  # stored, but not what the client sent
    gaps: list = field(default_factory=list)  # (attempt, missing seq)
    unannounced: list = field(default_factory=list)  # stored, never acked nor in flight
    in_flight_stored: int = 0  # unanswered requests the server had committed
    in_flight_lost: int = 0  # unanswered requests the server had not committed

    @property
    def ok(self) -> bool:
        return not (
            self.missing or self.duplicated or self.different or self.gaps or self.unannounced
        )

    def lines(self) -> list[str]:
        verdict = "OK" if self.ok else "FAILED"
        out = [
            f"{self.kind}: {verdict}: {self.acked} acknowledged, {self.stored} stored, "
            f"{self.stored_once} acknowledged and stored exactly once",
            f"  acknowledged but missing: {len(self.missing)}; stored twice: "
            f"{len(self.duplicated)}; stored differently: {len(self.different)}; "
            f"seq gaps: {len(self.gaps)}; stored but never acknowledged: {len(self.unannounced)}",
            f"  in flight, never answered (a kill, or the end of the run): {self.unanswered} "
            f"(committed by the server before it died: {self.in_flight_stored}, "
            f"not committed: {self.in_flight_lost})",
        ]
        for name in ("missing", "duplicated", "different", "gaps", "unannounced"):
            for item in getattr(self, name)[:5]:
                out.append(f"    {name}: {item}")
        return out


def _compare(
    kind: str,
    journal: Iterable[Mapping[str, Any]],
    stored: Iterable[Mapping[str, Any]],
    key,
    content,
) -> KindReport:
    report = KindReport(kind)
    acked: dict[tuple, Any] = {}
    last: dict[tuple, str] = {}
    for entry in journal:
        if entry["status"] == ACKED:
            acked[key(entry)] = content(entry)
        else:
            last[key(entry)] = entry["status"]
    # In flight: sent, and never answered (a killed server or worker, or the end of the run).
    # A request resent after it went unanswered and then acknowledged is no longer in doubt;
    # one the server refused must not be stored.
    in_flight = {k for k, status in last.items() if status in (SENT, UNANSWERED)} - set(acked)
    stored = list(stored)
    counts = Counter(key(row) for row in stored)
    stored_content = {key(row): content(row) for row in stored}
    report.acked, report.stored, report.unanswered = len(acked), len(stored), len(in_flight)
    report.duplicated = sorted(k for k, n in counts.items() if n > 1)
    for k, sent in sorted(acked.items()):
        if k not in counts:
            report.missing.append(k)
        elif stored_content[k] != sent:
            report.different.append(k)
        elif counts[k] == 1:
            report.stored_once += 1
    for k in sorted(counts):
        if k in acked:
            continue
        if k in in_flight:
            report.in_flight_stored += 1
        else:
            report.unannounced.append(k)
    report.in_flight_lost = sum(1 for k in in_flight if k not in counts)
    return report


def seq_gaps(stored_events: Iterable[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """(attempt, seq) for every seq missing below an attempt's highest stored one."""
    by_attempt: dict[int, set[int]] = defaultdict(set)
    for row in stored_events:
        by_attempt[int(row["attempt"])].add(int(row["seq"]))
    return [
        (attempt, seq)
        for attempt, seqs in sorted(by_attempt.items())
        for seq in range(1, max(seqs) + 1)
        if seq not in seqs
    ]


def compare(
    journal: Iterable[Mapping[str, Any]],
    stored_events: Iterable[Mapping[str, Any]],
    stored_answers: Iterable[Mapping[str, Any]],
) -> list[KindReport]:
    """Compare the clients' journal with the stored rows; one report per kind of write.

    Journal entries: {"kind": "case", "attempt", "seq", "event", "status"} or
    {"kind": "quiz", "attempt", "position", "option", "status"}. Stored rows: events as
    {"attempt", "seq", "event"}, answers as {"attempt", "position", "option"}.
    """
    journal = list(journal)
    stored_events = list(stored_events)
    cases = _compare(
        "case events",
        (e for e in journal if e["kind"] == "case"),
        stored_events,
        case_key,
        _case_content,
    )
    cases.gaps = seq_gaps(stored_events)
    quizzes = _compare(
        "quiz answers",
        (e for e in journal if e["kind"] == "quiz"),
        stored_answers,
        quiz_key,
        _quiz_content,
    )
    return [cases, quizzes]


def read_journal(path: Path) -> list[dict]:
    """The journal lines; a line cut short by a killed client is left out."""
    entries = []
    if not path.exists():
        return entries
    for line in path.read_text().splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return entries


# Run inside `manage.py shell -c` against the load test's database: every stored case event
# and quiz answer of the load-test learners, as JSON on one line.
STORED_ROWS_SCRIPT = """
import json
from cases.models import AttemptEvent
from edu.quizzes.models import Answer
events = [
    {"attempt": a, "seq": s, "event": e}
    for a, s, e in AttemptEvent.objects.filter(
        attempt__user__username__startswith="load-learner-"
    ).values_list("attempt_id", "seq", "event")
]
answers = [
    {"attempt": a, "position": p, "option": o}
    for a, p, o in Answer.objects.filter(user__username__startswith="load-learner-")
    .values_list("attempt_id", "item__position", "option_id")
]
print("STORED " + json.dumps({"events": events, "answers": answers}))
"""


def servers_seen(journal: Iterable[Mapping[str, Any]]) -> dict[str, Counter]:
    """Per learner, how many acknowledged writes each server answered ("direct" without LB)."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for entry in journal:
        if entry.get("status") == ACKED and entry.get("user"):
            seen[entry["user"]][entry.get("server") or "direct"] += 1
    return dict(seen)


def attempts_on_both(journal: Iterable[Mapping[str, Any]]) -> tuple[int, int]:
    """(attempts whose acknowledged writes came from more than one server, all attempts)."""
    servers: dict[tuple, set] = defaultdict(set)
    for entry in journal:
        if entry.get("status") == ACKED and entry.get("kind") in ("case", "quiz"):
            servers[(entry["kind"], entry["attempt"])].add(entry.get("server") or "direct")
    return sum(1 for s in servers.values() if len(s) > 1), len(servers)


@dataclass
class AfterKill:
    """What each learner's first write after a kill became: the "next click" check."""

    learners: int = 0  # learners who wrote anything after the kill
    acked_first_time: int = 0  # their first write after the kill was acknowledged at once
    acked_on_resend: int = 0  # it went unanswered, and its resend was acknowledged
    never_acked: list = field(default_factory=list)  # neither: these learners were stuck
    servers: Counter = field(default_factory=Counter)  # who acknowledged those first writes

    def lines(self, when: str) -> list[str]:
        return [
            f"after the kill at {when}: {self.learners} learners wrote again; first write "
            f"acknowledged at once: {self.acked_first_time}, after one unanswered try: "
            f"{self.acked_on_resend}, never: {len(self.never_acked)} {self.never_acked[:5]}",
            "  answered by: "
            + (", ".join(f"{s} {n}" for s, n in sorted(self.servers.items())) or "nobody"),
        ]


def after_kill(journal: Iterable[Mapping[str, Any]], killed_at: float) -> AfterKill:
    """Follow each learner's writes from the kill on until one is acknowledged."""
    report = AfterKill()
    tries: dict[str, list] = defaultdict(list)
    for entry in sorted(journal, key=lambda e: e.get("t", 0)):
        # What the server answered (or that it did not); "sent" lines only say a try began.
        answered = entry.get("status") in (ACKED, REFUSED, UNANSWERED)
        if entry.get("kind") in ("case", "quiz") and answered and entry.get("t", 0) >= killed_at:
            tries[entry["user"]].append(entry)
    for user, entries in sorted(tries.items()):
        report.learners += 1
        acked = next((i for i, e in enumerate(entries) if e["status"] == ACKED), None)
        if acked is None:
            report.never_acked.append(user)
            continue
        if acked == 0:
            report.acked_first_time += 1
        else:
            report.acked_on_resend += 1
        report.servers[entries[acked].get("server") or "direct"] += 1
    return report
