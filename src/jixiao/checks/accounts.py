"""The ``accounts`` family: the nine 部门决算 tables close and agree with each other.

The checks themselves live with the tables' model in :mod:`jixiao.accounts.checks` (they
speak in row codes and column meanings); this module registers each of them with the audit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from jixiao.accounts.checks import CHECK_INFO, AccountsFinding, check_accounts
from jixiao.checks.registry import Context, check
from jixiao.model import Finding


def _all(ctx: Context) -> list[AccountsFinding]:
    """All accounts findings of the report, computed once and shared by the registered ids."""
    if "accounts" not in ctx.options:
        accounts = ctx.report.accounts
        ctx.options["accounts"] = (
            check_accounts(accounts, ctx.report.figures) if accounts is not None else []
        )
    return ctx.options["accounts"]  # type: ignore[return-value]


def _one(check_id: str) -> Callable[[Context], Iterator[Finding]]:
    def run(ctx: Context) -> Iterator[Finding]:
        for f in _all(ctx):
            if f.id == check_id:
                yield Finding(
                    check=f.id,
                    severity=f.severity,
                    message=f.message,
                    loc=f.locs[0] if f.locs else None,
                    reported=f.reported,
                    expected=f.expected,
                    related=list(f.locs[1:]),
                )

    return run


for _id, (_severity, _title, _explain) in CHECK_INFO.items():
    check(_id, _severity, _title, _explain)(_one(_id))
