"""axe-core run in a page, its violations collected across pages and widths.

A violation of serious or critical impact fails the test that collected it; moderate and minor
ones are printed, so that they are seen without blocking. Every page is audited at a desktop
width (1280 px) and a phone width (375 px), since a layout that reflows can hide a label, clip a
control or change a contrast.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

FAILING_IMPACTS = ("critical", "serious")
WIDTHS = {1280: 900, 375: 740}

RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


class AxeFindings(UserWarning):
    """Moderate or minor axe violations: reported, not failing."""


@dataclass(frozen=True)
class Violation:
    page: str
    width: int
    rule: str
    impact: str
    help: str
    nodes: tuple[tuple[str, str], ...]

    def describe(self) -> str:
        where = "\n".join(
            f"      {target}\n        {summary.replace(chr(10), ' / ')}"
            for target, summary in self.nodes[:5]
        )
        more = f"\n      … and {len(self.nodes) - 5} more" if len(self.nodes) > 5 else ""
        head = f"  [{self.impact}] {self.rule} on {self.page} at {self.width} px: {self.help}"
        return f"{head}\n{where}{more}"


@dataclass
class Audit:
    """Every violation seen by one test, reported together at the end."""

    axe: Path
    violations: list[Violation] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def check(self, page, label: str) -> None:
        """Audit the page as it is now, at each width (then back at the desktop width)."""
        self.pages.append(label)
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.add_script_tag(path=str(self.axe))
        for width, height in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            for found in page.evaluate(RUN_AXE):
                self.violations.append(
                    Violation(
                        page=label,
                        width=width,
                        rule=found["rule"],
                        impact=found["impact"] or "minor",
                        help=found["help"],
                        nodes=tuple((n["target"], n["summary"] or "") for n in found["nodes"]),
                    )
                )
        page.set_viewport_size({"width": 1280, "height": 900})

    def failing(self) -> list[Violation]:
        return [v for v in self.violations if v.impact in FAILING_IMPACTS]

    def report(self) -> str:
        others = [v for v in self.violations if v.impact not in FAILING_IMPACTS]
        lines = [f"axe-core on {len(self.pages)} pages at {', '.join(map(str, WIDTHS))} px"]
        if others:
            lines.append(f"{len(others)} moderate or minor (not failing):")
            lines += [v.describe() for v in others]
        return "\n".join(lines)

    def assert_clean(self) -> None:
        """Fail on serious and critical violations; warn (shown in pytest's summary, also
        under xdist) with the moderate and minor ones."""
        if any(v.impact not in FAILING_IMPACTS for v in self.violations):
            warnings.warn(self.report(), AxeFindings, stacklevel=2)
        failing = self.failing()
        assert not failing, f"{len(failing)} serious or critical axe violations:\n" + "\n".join(
            v.describe() for v in failing
        )
