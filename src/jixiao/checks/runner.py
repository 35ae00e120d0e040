"""One file through the whole audit: read, extract, check (scores are computed by the checks
that need them), with what the renderers and the review memory need to keep.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.checks.dedupe import one_finding_per_number
from jixiao.checks.registry import CHECKS, FAMILIES, load_families, run_checks
from jixiao.checks.review import ReviewFile, digest_bytes, fingerprints
from jixiao.document import Document
from jixiao.extract import extract
from jixiao.model import Finding, Report, Severity
from jixiao.readers import read

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK: dict[str, int] = {s: k for k, s in enumerate(SEVERITIES)}
SEVERITY_NAMES: dict[str, str] = {"error": "错误", "warning": "疑似", "info": "提示"}


@dataclass
class CheckedDocument:
    """One document's findings: ``findings`` are shown, ``accepted`` were hidden by review."""

    path: Path
    report: Report
    digest: str
    findings: list[Finding] = field(default_factory=list)
    fingerprints: list[str] = field(default_factory=list)
    accepted: list[Finding] = field(default_factory=list)
    document: Document | None = None  # kept only when a renderer needs the tables

    @property
    def source(self) -> str:
        return self.report.source

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    def select(self, min_severity: str = "info", review: ReviewFile | None = None) -> None:
        """Keep the findings at ``min_severity`` or above; move accepted ones to ``accepted``."""
        bar = SEVERITY_RANK[min_severity]
        shown: list[Finding] = []
        prints: list[str] = []
        for finding, fp in zip(self.findings, self.fingerprints, strict=True):
            if SEVERITY_RANK.get(finding.severity, 9) > bar:
                continue
            if review is not None and fp in review:
                self.accepted.append(finding)
                continue
            shown.append(finding)
            prints.append(fp)
        self.findings, self.fingerprints = shown, prints


def position_key(finding: Finding) -> tuple[Any, ...]:
    """Reading order of a finding in its document, then severity, then check id."""
    loc = finding.loc or {}

    def num(key: str) -> int:
        value = loc.get(key)
        return value if isinstance(value, int) else -1

    return (
        num("page"),
        num("line"),
        num("table"),
        num("row"),
        num("col"),
        SEVERITY_RANK.get(finding.severity, 9),
        finding.check,
    )


def check_document(
    path: Path,
    only: Iterable[str] | None = None,
    *,
    keep_document: bool = False,
) -> CheckedDocument:
    """Read, extract and check one file (``JixiaoError`` on bad input).

    Findings come in reading order; their fingerprints are computed from the file's bytes
    (see :mod:`jixiao.checks.review`).
    """
    document = read(path)  # first: it turns every bad input into one clear ReadError
    data = path.read_bytes()
    report = extract(document)
    findings = one_finding_per_number(sorted(run_checks(report, only), key=position_key))
    if report.accounts is not None and report.accounts.is_template:
        # a blank template is said in one line, not as hundreds of empty-table findings
        findings = [f for f in findings if f.check == "accounts.template"] or findings
    digest = digest_bytes(data)
    return CheckedDocument(
        path=path,
        report=report,
        digest=digest,
        findings=findings,
        fingerprints=fingerprints(digest, findings),
        document=document if keep_document else None,
    )


def unknown_selectors(only: Iterable[str]) -> list[str]:
    """The ``--only`` values that are neither a registered check id nor a family."""
    load_families()
    return [s for s in only if s not in CHECKS and s not in FAMILIES]
