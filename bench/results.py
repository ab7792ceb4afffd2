"""Reading wrk's output and turning runs into the benchmark's table (no Django, no I/O).

Each wrk run prints wrk's own summary and, from bench/wrk/report.lua, one line
`BENCH_RESULT {json}`: requests, duration, bytes, latency percentiles in microseconds, socket
errors and how many answers were 2xx. A page's figures are the medians over its rounds, and
its ratio is the median real requests/s over the median bare requests/s of the same run.
"""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass, field

RESULT_LINE = re.compile(r"^BENCH_RESULT (\{.*\})\s*$", re.M)
WALK_LINE = re.compile(r"^BENCH_WALK (\d+) (-?\d+) ([01])\s*$", re.M)
WRK_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)\s*$", re.M)
README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


class WrkOutputError(ValueError):
    """wrk's output lacks what the harness needs (the Lua report did not run)."""


@dataclass(frozen=True)
class Run:
    """One wrk run against one URL."""

    requests: int
    seconds: float
    bytes: int
    p50_ms: float
    p99_ms: float
    socket_errors: int
    non_2xx: int
    exhausted: int = 0
    server_cpu_s: float | None = None
    failed: str = ""  # why wrk gave no figures for this run (left out of medians and ratios)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def bytes_per_answer(self) -> float:
        return self.bytes / self.requests if self.requests else 0.0

    @property
    def cpu_ms_per_request(self) -> float | None:
        if self.server_cpu_s is None or not self.requests:
            return None
        return 1000 * self.server_cpu_s / self.requests


def failed_run(reason: str) -> Run:
    """A run wrk gave no figures for: kept in its round, so the rounds stay paired."""
    return Run(0, 0.0, 0, 0.0, 0.0, 0, 0, failed=reason)


def parse_wrk(output: str, server_cpu_s: float | None = None) -> Run:
    """The run wrk's output describes; its Requests/sec line must agree with the Lua report."""
    found = RESULT_LINE.search(output)
    if not found:
        raise WrkOutputError("no BENCH_RESULT line in wrk's output:\n" + output[-2000:])
    data = json.loads(found.group(1))
    run = Run(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        bytes=data["bytes"],
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        socket_errors=sum(
            data[f"errors_{kind}"] for kind in ("connect", "read", "write", "timeout")
        ),
        non_2xx=data["non_2xx"],
        exhausted=data["exhausted"],
        server_cpu_s=server_cpu_s,
    )
    if data["ok_2xx"] + data["non_2xx"] != run.requests:
        raise WrkOutputError(
            f"{data['ok_2xx']} 2xx + {data['non_2xx']} other answers != {run.requests} requests"
        )
    rate = WRK_RATE.search(output)
    if rate and run.requests and abs(float(rate.group(1)) - run.rps) > 0.02 * run.rps + 1:
        raise WrkOutputError(f"wrk says {rate.group(1)} requests/s, the report {run.rps:.1f}")
    return run


def parse_walk(output: str) -> dict[int, tuple[int | None, bool]]:
    """From a case-action run: each attempt's seq after its last 2xx answer (None if it had
    none), and whether a request for it was still unanswered when wrk stopped."""
    walked = {}
    for attempt, seq, inflight in WALK_LINE.findall(output):
        walked[int(attempt)] = (None if seq == "-1" else int(seq), inflight == "1")
    return walked


def expected_seqs(
    planned: dict[int, int], walked: dict[int, tuple[int | None, bool]]
) -> dict[int, tuple[int, bool]]:
    """Where each planned attempt must stand in the database after the run: its planned seq,
    moved on by every 2xx answer; one more is allowed where a request was still in flight."""
    expected = {}
    for attempt, seq in planned.items():
        after, inflight = walked.get(attempt, (None, False))
        expected[attempt] = (seq if after is None else after, inflight)
    return expected


def read_plan(text: str) -> dict[int, int]:
    """attempt -> seq from a plan file ("connection attempt seq session" lines)."""
    planned = {}
    for line in text.splitlines():
        if line.strip():
            _, attempt, seq, _ = line.split()
            planned[int(attempt)] = int(seq)
    return planned


@dataclass
class Page:
    """Everything measured for one page: its real runs and its bare runs, round by round."""

    name: str
    title: str
    body_bytes: int = 0
    real: list[Run] = field(default_factory=list)
    bare: list[Run] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def median(self, kind: str, attribute: str) -> float | None:
        values = [getattr(run, attribute) for run in getattr(self, kind) if not run.failed]
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    @property
    def ratio(self) -> float | None:
        real, bare = self.median("real", "rps"), self.median("bare", "rps")
        return real / bare if real is not None and bare else None

    @property
    def cpu_ratio(self) -> float | None:
        """Bare CPU per request over real CPU per request: what the ratio of requests/s would
        be with the cores to gunicorn alone, steadier than req/s when other work shares them."""
        real, bare = (self.median(k, "cpu_ms_per_request") for k in ("real", "bare"))
        return bare / real if real and bare is not None else None

    @property
    def round_ratios(self) -> list[float]:
        return [
            r.rps / b.rps
            for r, b in zip(self.real, self.bare, strict=False)
            if b.rps and not (r.failed or b.failed)
        ]

    @property
    def non_2xx(self) -> int:
        return sum(run.non_2xx for run in self.real + self.bare)

    @property
    def socket_errors(self) -> int:
        return sum(run.socket_errors for run in self.real + self.bare)


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def table(pages: list[Page]) -> str:
    """The Markdown table: each page's median figures beside its bare twin's, and the ratio."""
    lines = [
        "| page | body | answer, real / bare | req/s | p50 ms | p99 ms | bare req/s | bare p50 "
        "| bare p99 | ratio (rounds) | server CPU ms/req (bare) | CPU ratio | non-2xx | checks |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|--:|--:|---|",
    ]
    for page in pages:
        ratios = page.round_ratios
        spread = f" ({min(ratios):.3f}–{max(ratios):.3f})" if len(ratios) > 1 else ""
        cpu, bare_cpu = (page.median(k, "cpu_ms_per_request") for k in ("real", "bare"))
        sizes = (page.median(k, "bytes_per_answer") for k in ("real", "bare"))
        lines.append(
            f"| {page.title} | {page.body_bytes / 1024:.1f} KiB "
            f"| {' / '.join(_num(None if b is None else b / 1024) for b in sizes)} KiB "
            f"| {_num(page.median('real', 'rps'))} | {_num(page.median('real', 'p50_ms'))} "
            f"| {_num(page.median('real', 'p99_ms'))} | {_num(page.median('bare', 'rps'))} "
            f"| {_num(page.median('bare', 'p50_ms'))} | {_num(page.median('bare', 'p99_ms'))} "
            f"| **{_num(page.ratio, 3)}**{spread} | {_num(cpu, 2)} ({_num(bare_cpu, 2)}) "
            f"| {_num(page.cpu_ratio, 3)} | {page.non_2xx} | {'; '.join(page.problems) or 'ok'} |"
        )
    return "\n".join(lines)


def rounds_table(pages: list[Page]) -> str:
    """Every run, round by round, so the medians can be checked."""
    lines = [
        "| page | round | req/s | p50 ms | p99 ms | CPU ms/req | bare req/s | bare p50 | bare p99 "
        "| bare CPU ms/req | ratio |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for page in pages:
        for i, (real, bare) in enumerate(zip(page.real, page.bare, strict=False), 1):
            lines.append(
                f"| {page.title} | {i} | {real.rps:,.1f} | {real.p50_ms:.1f} | {real.p99_ms:.1f} "
                f"| {_num(real.cpu_ms_per_request, 2)} | {bare.rps:,.1f} | {bare.p50_ms:.1f} "
                f"| {bare.p99_ms:.1f} | {_num(bare.cpu_ms_per_request, 2)} "
                f"| {real.rps / bare.rps if bare.rps else 0:.3f} |"
            )
    return "\n".join(lines)


def replace_readme_section(readme: str, section: str) -> str:
    """The README with the text between the bench markers replaced by `section`."""
    start, end = readme.find(README_START), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no {README_START} … {README_END} markers")
    return readme[: start + len(README_START)] + "\n" + section.strip() + "\n" + readme[end:]
