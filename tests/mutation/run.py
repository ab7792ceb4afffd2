"""`make mutate`: mutation testing with mutmut, one group of modules at a time.

Each group in `[tool.motor-unit.mutation.groups]` of pyproject.toml names the code to mutate and
the tests that speak for it. For each group this script copies the project's files (those git
knows, committed or not) into build/mutation/<group>/, writes mutmut's settings there (the
shared `[tool.mutmut]` plus the group's `only_mutate` and test selection), runs `mutmut run`,
and prints the score and every surviving mutant with its diff. Mutants listed under
`[tool.motor-unit.mutation.equivalent]` (a change no test can observe, with the reason) are
reported apart and left out of the score's denominator.

One group at a time keeps the load to what mutmut's `--max-children` allows (default 1 here:
the machine is shared), and each group runs only its own tests: mutmut then picks, per mutant,
the tests that reach the mutated function. Nothing here is part of `make test` or CI.

    python tests/mutation/run.py                 # every group
    python tests/mutation/run.py engine access   # some groups
    MUTATE_JOBS=2 python tests/mutation/run.py   # two mutants at once
    python tests/mutation/run.py engine --keep             # resume a stopped run
    python tests/mutation/run.py engine --keep --retest    # re-test the survivors
    python tests/mutation/run.py engine --mutate cases/engine/validation.py  # one file first
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "mutation"

# mutmut's exit codes per mutant (mutmut/stats.py), grouped as this report counts them.
KILLED = {1, 3, 37}  # a test failed
TIMEOUT = {-24, 24, 152, 255, 36}  # the tests ran out of time: an endless loop, or a slow machine
SURVIVED = {0}
NO_TESTS = {5, 33}
SKIPPED = {34}


@dataclass
class GroupResult:
    name: str
    statuses: Counter = field(default_factory=Counter)
    by_file: dict[str, Counter] = field(default_factory=dict)
    survivors: list[str] = field(default_factory=list)
    equivalent: list[str] = field(default_factory=list)
    no_tests: list[str] = field(default_factory=list)
    skipped_reason: str = ""

    timeouts: list[str] = field(default_factory=list)

    @property
    def killed(self) -> int:
        """Mutants some test noticed: a failing test, or tests that never finished."""
        return self.statuses["killed"] + self.statuses["timeout"]

    @property
    def scored(self) -> int:
        """Mutants the score counts: killed, timed out, surviving and untested, less the
        equivalent."""
        return self.killed + self.statuses["survived"] + self.statuses["no tests"]

    @property
    def score(self) -> float:
        return self.killed / self.scored if self.scored else 1.0


def project_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    return [Path(name.decode()) for name in listed if name and (ROOT / name.decode()).is_file()]


def prepare_copy(
    copy_name: str, mutate: list[str], tests: list[str], shared: dict, *, keep: bool
) -> Path:
    """A copy of the project for one group, with that group's mutmut settings. With `keep`,
    an earlier copy and its results stay (mutmut resumes where it stopped) and only the files
    are refreshed; otherwise the copy starts afresh."""
    where = BUILD / copy_name
    if where.exists() and not keep:
        shutil.rmtree(where)
    for relative in project_files():
        target = where / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, target)
    pyproject = tomllib.loads((where / "pyproject.toml").read_text("utf-8"))
    settings = dict(shared)
    settings["only_mutate"] = mutate
    settings["pytest_add_cli_args_test_selection"] = tests
    pyproject.setdefault("tool", {})["mutmut"] = settings
    (where / "pyproject.toml").write_text(tomli_w.dumps(pyproject), "utf-8")
    return where


def mutmut_command() -> list[str]:
    found = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or shutil.which("mutmut")
    if found is None:
        raise SystemExit("mutmut is not installed: pip install 'mutmut>=3.8,<4' (see docs)")
    return [found]


def run_group(where: Path, jobs: int, log: Path, names: list[str] = ()) -> int:
    """`mutmut run` in the group's copy; with `names`, only those mutants, tested again."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    with log.open("a" if names else "w", encoding="utf-8") as out:
        return subprocess.run(
            [*mutmut_command(), "run", "--max-children", str(jobs), *names],
            cwd=where,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        ).returncode


def read_results(where: Path, name: str, equivalent: dict[str, str]) -> GroupResult:
    result = GroupResult(name)
    for meta_path in sorted((where / "mutants").rglob("*.py.meta")):
        source = str(meta_path.relative_to(where / "mutants")).removesuffix(".meta")
        meta = json.loads(meta_path.read_text("utf-8"))
        counts = result.by_file.setdefault(source, Counter())
        for mutant, code in sorted(meta["exit_code_by_key"].items()):
            if code in SURVIVED and mutant in equivalent:
                status = "equivalent"
                result.equivalent.append(mutant)
            elif code in KILLED:
                status = "killed"
            elif code in TIMEOUT:
                status = "timeout"
                result.timeouts.append(mutant)
            elif code in SURVIVED:
                status = "survived"
                result.survivors.append(mutant)
            elif code in NO_TESTS:
                status = "no tests"
                result.no_tests.append(mutant)
            elif code in SKIPPED:
                status = "skipped"
            elif code is None:
                status = "not checked"
            else:
                status = "suspicious"
            counts[status] += 1
            result.statuses[status] += 1
    return result


def diff_of(where: Path, mutant: str) -> str:
    shown = subprocess.run(
        [*mutmut_command(), "show", mutant],
        cwd=where,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    changed = [
        line
        for line in shown.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    return "\n".join(f"        {line}" for line in changed) or "        (no diff shown)"


def report(result: GroupResult, where: Path, equivalent: dict[str, str], diffs: bool) -> None:
    if result.skipped_reason:
        print(f"\n== {result.name}: skipped ({result.skipped_reason})")
        return
    print(
        f"\n== {result.name}: score {result.score:.1%} "
        f"({result.killed} killed of {result.scored}, of which {result.statuses['timeout']} "
        f"by timeout; {result.statuses['survived']} survived, "
        f"{result.statuses['no tests']} without tests, "
        f"{len(result.equivalent)} equivalent left out)"
    )
    for source, counts in result.by_file.items():
        killed = counts["killed"] + counts["timeout"]
        scored = killed + counts["survived"] + counts["no tests"]
        share = killed / scored if scored else 1.0
        unrun = counts["not checked"]
        print(
            f"   {source}: {share:.1%} ({killed}/{scored}, {counts['timeout']} by timeout"
            f", {counts['equivalent']} equivalent"
            + (f", {unrun} not yet run" if unrun else "")
            + ")"
        )
    for mutant in result.survivors + result.no_tests:
        label = "survived" if mutant in result.survivors else "no tests"
        print(f"   {label}: {mutant}")
        if diffs:
            print(diff_of(where, mutant))
    for mutant in result.equivalent:
        print(f"   equivalent: {mutant}: {equivalent[mutant]}")


def main() -> int:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    shared = pyproject["tool"]["mutmut"]
    mutation = pyproject["tool"]["motor-unit"]["mutation"]
    groups: dict[str, dict] = mutation["groups"]
    equivalent: dict[str, str] = mutation.get("equivalent", {})

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", choices=[[], *groups], default=[])
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("MUTATE_JOBS", "1")))
    parser.add_argument("--no-diffs", action="store_true", help="list survivors without diffs")
    parser.add_argument(
        "--keep", action="store_true", help="resume in the earlier copy instead of starting afresh"
    )
    parser.add_argument(
        "--mutate",
        action="append",
        metavar="PATH",
        help="mutate only these of the group's files (a copy of its own: build/mutation/"
        "<group>--<file>); to run a file's mutants fully when the whole group cannot finish",
    )
    parser.add_argument(
        "--retest",
        action="store_true",
        help="with --keep: test the surviving, untested and timed-out mutants again (after "
        "adding tests that kill them)",
    )
    args = parser.parse_args()

    results = []
    for name in args.groups or list(groups):
        group = groups[name]
        mutate = group["mutate"]
        copy_name = name
        if args.mutate:
            mutate = args.mutate
            copy_name = "--".join([name, *(Path(path).stem for path in mutate)])
        if not any(glob.glob(str(ROOT / pattern)) for pattern in mutate):
            results.append(GroupResult(name, skipped_reason=f"no code at {', '.join(mutate)}"))
            report(results[-1], ROOT, equivalent, False)
            continue
        tests = [test for test in group["tests"] if (ROOT / test).exists()]
        missing = sorted(set(group["tests"]) - set(tests))
        if missing:
            print(f"   ({name}: tests not present, left out: {', '.join(missing)})")
        if not tests:
            results.append(GroupResult(name, skipped_reason="none of its tests exist"))
            report(results[-1], ROOT, equivalent, False)
            continue
        print(f"\n-- {name}: mutating {', '.join(mutate)} against {len(tests)} test file(s)…")
        where = prepare_copy(copy_name, mutate, tests, shared, keep=args.keep)
        log = BUILD / f"{copy_name}.log"
        if args.retest and (where / "mutants").exists():
            earlier = read_results(where, name, equivalent)
            again = earlier.survivors + earlier.no_tests + earlier.timeouts
            code = run_group(where, args.jobs, log, again)
        else:
            code = run_group(where, args.jobs, log)
        if code != 0:
            print(f"   mutmut exited with {code}; its output is in {log.relative_to(ROOT)}")
        results.append(read_results(where, name, equivalent))
        report(results[-1], where, equivalent, not args.no_diffs)

    print("\nSummary (killed / mutants scored, equivalent mutants left out):")
    for result in results:
        if result.skipped_reason:
            print(f"   {result.name:<14} skipped: {result.skipped_reason}")
        else:
            print(
                f"   {result.name:<14} {result.score:6.1%}  {result.killed}/{result.scored}"
                f"  (timeout {result.statuses['timeout']})"
                f"  survived {result.statuses['survived']}, no tests {result.statuses['no tests']}"
                f", equivalent {len(result.equivalent)}"
                + (
                    f", not yet run {result.statuses['not checked']}"
                    if result.statuses["not checked"]
                    else ""
                )
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
