"""The audit: checks that find every number contradicting another number or a rule.

One module per family of DESIGN.md (funds, scores, rubric, narrative, units, consistency,
quality, disclosure). Each check is a small function registered with :func:`check`; the
runner calls every registered check on a report (and its scores) and collects Findings.
"""

from jixiao.checks.registry import CHECKS, CheckInfo, Context, check, run_checks

__all__ = ["CHECKS", "CheckInfo", "Context", "check", "run_checks"]
