"""The first schema: documents, reports, evaluations, fund rows, indicators, findings with
their reviews, entities and years.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("uploader", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("sha256", name=op.f("uq_documents_sha256")),
    )
    op.create_index(op.f("ix_documents_uploaded_at"), "documents", ["uploaded_at"])

    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
        sa.UniqueConstraint("name", name=op.f("uq_entities_name")),
    )
    op.create_index(op.f("ix_entities_region"), "entities", ["region"])

    op.create_table(
        "years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_years")),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("reader_format", sa.String(length=20), nullable=True),
        sa.Column("kinds", sa.String(length=200), nullable=False),
        sa.Column("has_accounts", sa.Boolean(), nullable=False),
        sa.Column("n_evaluations", sa.Integer(), nullable=False),
        sa.Column("n_errors", sa.Integer(), nullable=False),
        sa.Column("n_warnings", sa.Integer(), nullable=False),
        sa.Column("n_info", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("tables", sa.JSON(), nullable=False),
        sa.Column("jixiao_version", sa.String(length=20), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_reports_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_reports_entity_id_entities"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["year"], ["years.year"], name=op.f("fk_reports_year_years")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint("document_id", name=op.f("uq_reports_document_id")),
    )
    op.create_index(op.f("ix_reports_entity_id"), "reports", ["entity_id"])
    op.create_index(op.f("ix_reports_year"), "reports", ["year"])

    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("competent_dept", sa.String(length=200), nullable=True),
        sa.Column("implementing_unit", sa.String(length=200), nullable=True),
        sa.Column("money_unit", sa.String(length=10), nullable=True),
        sa.Column("goal", sa.Text(), nullable=True),
        sa.Column("goal_actual", sa.Text(), nullable=True),
        sa.Column("total_weight", sa.Float(), nullable=True),
        sa.Column("total_score", sa.Float(), nullable=True),
        sa.Column("grade", sa.String(length=20), nullable=True),
        sa.Column("framework", sa.String(length=100), nullable=True),
        sa.Column("sum_printed", sa.Float(), nullable=True),
        sa.Column("recomputed_total", sa.Float(), nullable=True),
        sa.Column("recomputed_low", sa.Float(), nullable=True),
        sa.Column("recomputed_high", sa.Float(), nullable=True),
        sa.Column("recomputed_grade", sa.String(length=40), nullable=True),
        sa.Column("annual_budget", sa.Float(), nullable=True),
        sa.Column("executed", sa.Float(), nullable=True),
        sa.Column("rate", sa.Float(), nullable=True),
        sa.Column("rate_computed", sa.Float(), nullable=True),
        sa.Column("table_index", sa.Integer(), nullable=True),
        sa.Column("loc", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_evaluations_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
        sa.UniqueConstraint("report_id", "position", name=op.f("uq_evaluations_report_id")),
    )
    op.create_index(op.f("ix_evaluations_kind"), "evaluations", ["kind"])

    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.String(length=80), nullable=False),
        sa.Column("family", sa.String(length=20), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("loc", sa.JSON(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("reported", sa.Text(), nullable=True),
        sa.Column("expected", sa.Text(), nullable=True),
        sa.Column("related", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "severity IN ('error', 'warning', 'info')", name=op.f("ck_findings_severity")
        ),
        sa.CheckConstraint(
            "status IN ('open', 'accepted', 'rejected')", name=op.f("ck_findings_status")
        ),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_findings_evaluation_id_evaluations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_findings_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
        sa.UniqueConstraint("report_id", "fingerprint", name=op.f("uq_findings_report_id")),
    )
    op.create_index(op.f("ix_findings_check_id"), "findings", ["check_id"])
    op.create_index(op.f("ix_findings_evaluation_id"), "findings", ["evaluation_id"])
    op.create_index(op.f("ix_findings_family"), "findings", ["family"])
    op.create_index(
        op.f("ix_findings_report_severity_status"), "findings", ["report_id", "severity", "status"]
    )
    op.create_index(op.f("ix_findings_status"), "findings", ["status"])

    op.create_table(
        "fund_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("initial_budget", sa.Float(), nullable=True),
        sa.Column("annual_budget", sa.Float(), nullable=True),
        sa.Column("executed", sa.Float(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("rate", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("loc", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_fund_rows_evaluation_id_evaluations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_rows")),
    )
    op.create_index(op.f("ix_fund_rows_evaluation_id"), "fund_rows", ["evaluation_id"])

    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("level1", sa.String(length=200), nullable=True),
        sa.Column("level2", sa.String(length=200), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("actual", sa.Text(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("recomputed", sa.Float(), nullable=True),
        sa.Column("score_status", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("loc", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_indicators_evaluation_id_evaluations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
    )
    op.create_index(op.f("ix_indicators_evaluation_id"), "indicators", ["evaluation_id"])

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.String(length=100), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'accepted', 'rejected')", name=op.f("ck_reviews_status")
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["findings.id"],
            name=op.f("fk_reviews_finding_id_findings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    op.create_index(op.f("ix_reviews_finding_id"), "reviews", ["finding_id"])


def downgrade() -> None:
    op.drop_table("reviews")
    op.drop_table("indicators")
    op.drop_table("fund_rows")
    op.drop_table("findings")
    op.drop_table("evaluations")
    op.drop_table("reports")
    op.drop_table("years")
    op.drop_table("entities")
    op.drop_table("documents")
