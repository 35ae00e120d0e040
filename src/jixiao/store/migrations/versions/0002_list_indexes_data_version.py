"""Faster lists and dashboard: a covering index of the findings for their counts and the
findings list, and the ``data_version`` row that caches of computed figures are keyed on.

- ``ix_findings_report_counts`` (report_id, severity, status, family, check_id, position)
  replaces ``ix_findings_report_severity_status`` (its first three columns): the counts per
  document, the dashboard's figures and the findings list's scan read the index alone;
- ``data_version``: one row (id 1), its ``version`` raised by every write.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_findings_report_counts"),
        "findings",
        ["report_id", "severity", "status", "family", "check_id", "position"],
    )
    op.drop_index(op.f("ix_findings_report_severity_status"), table_name="findings")

    version = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(version, [{"id": 1, "version": 0}])


def downgrade() -> None:
    op.drop_table("data_version")
    op.create_index(
        op.f("ix_findings_report_severity_status"), "findings", ["report_id", "severity", "status"]
    )
    op.drop_index(op.f("ix_findings_report_counts"), table_name="findings")
