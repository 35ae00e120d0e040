"""Registered checks: a stable id, a severity, a Chinese title and explanation, a function.

A check is ``fn(ctx: Context) -> Iterable[Finding]``. Registration happens when the family
module is imported (``jixiao.checks.families`` imports them all), so adding a check is one
decorated function in one module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from jixiao.model import Finding, Report, Severity

FAMILIES = (
    "funds",
    "scores",
    "rubric",
    "narrative",
    "units",
    "consistency",
    "quality",
    "disclosure",
    "accounts",
)


@dataclass
class Context:
    """What a check may read: the report, and (computed once, on demand) its scores."""

    report: Report
    options: dict[str, object] = field(default_factory=dict)

    @cached_property
    def scored(self):  # jixiao.scoring.ScoredReport; imported late to keep checks light
        from jixiao.scoring import score

        return score(self.report)


CheckFn = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class CheckInfo:
    id: str  # "<family>.<name>", stable: review files and users' scripts key on it
    severity: Severity
    title: str  # Chinese, a few words
    explain: str  # Chinese, what is compared and why it matters (jixiao check --explain ID)
    fn: CheckFn

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


CHECKS: dict[str, CheckInfo] = {}


def check(id: str, severity: Severity, title: str, explain: str) -> Callable[[CheckFn], CheckFn]:
    family = id.split(".", 1)[0]
    if family not in FAMILIES or "." not in id:
        raise ValueError(f"check id {id!r} must be '<family>.<name>' with a family of {FAMILIES}")

    def register(fn: CheckFn) -> CheckFn:
        if id in CHECKS:
            raise ValueError(f"check id {id!r} registered twice")
        CHECKS[id] = CheckInfo(id, severity, title, explain, fn)
        return fn

    return register


# The modules whose checks register: one per family, and the checks across one report
# (``consistency`` ids, kept apart because they read tables and narrative together).
CHECK_MODULES = (*FAMILIES, "crossreport", "crossreport_department")


def load_families() -> None:
    """Import every check module present, so that their checks register."""
    for name in CHECK_MODULES:
        try:
            importlib.import_module(f"jixiao.checks.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"jixiao.checks.{name}":
                raise


def run_checks(report: Report, only: Iterable[str] | None = None) -> list[Finding]:
    """Every registered check (or those whose id or family is in ``only``) on one report."""
    load_families()
    wanted = set(only) if only is not None else None
    ctx = Context(report)
    findings: list[Finding] = []
    for info in CHECKS.values():
        if wanted is not None and info.id not in wanted and info.family not in wanted:
            continue
        for finding in info.fn(ctx):
            findings.append(finding)
    return findings
