"""One number, one finding: when checks of different families blame the same printed value
at the same place, the reader sees the most specific of them only.

``accounts`` findings name the table line a 说明 amount contradicts, which says more than a
narrative check that the same amount is below one of its parts; so the families are ranked,
and the best-ranked finding of each (place, value) is kept. Findings of one family are never
merged: they are separate checks on separate rules.
"""

from __future__ import annotations

import re

from jixiao.model import Finding

# Most specific first: tables named, then the arithmetic of one table, then the narrative.
_RANK = ("accounts", "funds", "scores", "rubric", "narrative", "units", "consistency",
         "quality", "disclosure")  # fmt: skip
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _value(reported: str | None) -> str | None:
    if not reported:
        return None
    m = _NUMBER.search(reported.replace(",", ""))
    return m.group() if m else None


def _key(finding: Finding) -> tuple | None:
    loc, value = finding.loc, _value(finding.reported)
    if not loc or value is None or (loc.get("line") is None and loc.get("table") is not None):
        return None
    # without a line (DOCX paragraphs) the page, or the whole file, is the place
    return (loc.get("file"), loc.get("page"), loc.get("line"), loc.get("line_end"), float(value))


def one_finding_per_number(findings: list[Finding]) -> list[Finding]:
    """``findings`` without those another family already reports for the same value and place."""
    best: dict[tuple, Finding] = {}
    for f in findings:
        key = _key(f)
        if key is None or f.severity == "info":
            continue
        held = best.get(key)
        if held is None or _order(f) < _order(held):
            best[key] = f
    out: list[Finding] = []
    for f in findings:
        key = _key(f)
        held = best.get(key) if key is not None and f.severity != "info" else None
        if held is not None and held is not f and held.check.split(".")[0] != f.check.split(".")[0]:
            continue
        out.append(f)
    return out


def _order(f: Finding) -> tuple[int, int]:
    family = f.check.split(".")[0]
    severity = {"error": 0, "warning": 1}.get(f.severity, 2)
    return (severity, _RANK.index(family) if family in _RANK else len(_RANK))
