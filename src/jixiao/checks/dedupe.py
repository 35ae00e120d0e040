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
    keys = [_key(f) if f.severity != "info" else None for f in findings]
    best: dict[tuple, Finding] = {}
    for f, key in zip(findings, keys, strict=True):
        if key is not None and (key not in best or _order(f) < _order(best[key])):
            best[key] = f
    return [
        f
        for f, key in zip(findings, keys, strict=True)
        if key is None or _family(best[key]) == _family(f)
    ]


def _family(f: Finding) -> str:
    return f.check.split(".")[0]


def _order(f: Finding) -> tuple[int, int]:
    family = _family(f)
    severity = {"error": 0, "warning": 1}.get(f.severity, 2)
    return (severity, _RANK.index(family) if family in _RANK else len(_RANK))
