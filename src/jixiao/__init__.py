"""jixiao (绩效): read, re-score and audit Chinese budget performance evaluation reports.

>>> from jixiao import read, extract
>>> report = extract(read("report.docx"))
>>> scored = score(report)            # recomputed scores under the matching framework
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.extract import extract
from jixiao.readers import read

if TYPE_CHECKING:
    from jixiao.frameworks.loader import Framework
    from jixiao.model import Report
    from jixiao.scoring import ScoredReport

__version__ = "0.1.0"
__all__ = ["__version__", "extract", "read", "score"]


def score(report: Report, framework: str | Framework | None = None) -> ScoredReport:
    """Recompute every score of ``report`` (see :mod:`jixiao.scoring`); loaded on first use."""
    from jixiao.scoring import score as _score

    return _score(report, framework)
