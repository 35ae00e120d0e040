"""部门决算: the nine standard tables recognized into a typed model, and their checks.

>>> from jixiao import read
>>> from jixiao.accounts import extract_accounts, check_accounts
>>> accounts = extract_accounts(read("部门决算.pdf"))
>>> findings = check_accounts(accounts)
"""

from __future__ import annotations

from jixiao.accounts.checks import CHECK_INFO, AccountsFinding, check_accounts
from jixiao.accounts.model import (
    TABLE_KINDS,
    TABLE_TITLES,
    AccountsRow,
    AccountsTable,
    FinalAccounts,
)
from jixiao.accounts.recognize import extract_accounts, recognize_table

__all__ = [
    "CHECK_INFO",
    "TABLE_KINDS",
    "TABLE_TITLES",
    "AccountsFinding",
    "AccountsRow",
    "AccountsTable",
    "FinalAccounts",
    "audit_path",
    "check_accounts",
    "extract_accounts",
    "recognize_table",
]


def audit_path(path: str) -> tuple[FinalAccounts | None, list[AccountsFinding]]:
    """Read one file, recognize its 部门决算 tables and check them, the 说明's figures against
    the tables included (None, [] if it has none)."""
    from jixiao.readers import read

    document = read(path)
    accounts = extract_accounts(document)
    if accounts is None:
        return None, []
    from jixiao.extract.narrative import narrative_figures

    return accounts, check_accounts(accounts, narrative_figures(document))
