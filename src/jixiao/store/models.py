"""The database: what was uploaded, what jixiao read from it, and what the reviewers decided.

SQLAlchemy 2 declarative models. One uploaded file is one ``Document`` (unique by sha256: the
same bytes uploaded twice are the same document); jixiao's reading of it is one ``Report``
with its ``Evaluation`` tables, their ``FundRow`` and ``Indicator`` rows, and the ``Finding``
list of the audit. A finding carries its review (open / accepted / rejected, comment, who,
when); every change of it is also kept in ``Review``. ``Entity`` (部门/单位, with region and
level) and ``Year`` are shared by the reports.

The schema is created and changed only by the Alembic migrations in
``jixiao/store/migrations``; ``tests/web/test_store.py`` checks that they match these models.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

REVIEW_STATUSES = ("open", "accepted", "rejected")
SEVERITIES = ("error", "warning", "info")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in UTC: stored without zone (SQLite has none), always read back aware."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)
        dict[str, Any]: JSON,
        list[Any]: JSON,
        datetime: UTCDateTime,
    }


class Year(Base):
    __tablename__ = "years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class Entity(Base):
    """A 部门/单位 as the reports name it; region and level may be unknown until set."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    region: Mapped[str | None] = mapped_column(String(100), index=True)
    level: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    reports: Mapped[list[Report]] = relationship(back_populates="entity")


class Document(Base):
    """An uploaded file, kept as sent (under its content hash, see ``jixiao.store.files``)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    format: Mapped[str] = mapped_column(String(20))  # by content: pdf | docx | xlsx | text
    filename: Mapped[str] = mapped_column(String(255))  # as the client named it: display only
    storage_key: Mapped[str] = mapped_column(String(200))  # relative path chosen by jixiao
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    uploader: Mapped[str | None] = mapped_column(String(100))

    report: Mapped[Report | None] = relationship(
        back_populates="document", uselist=False, cascade="all, delete-orphan"
    )


class Report(Base):
    """What jixiao read from one document: the interchange JSON and the tables to draw."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), unique=True
    )
    entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"), index=True
    )
    year: Mapped[int | None] = mapped_column(ForeignKey("years.year"), index=True)
    source: Mapped[str] = mapped_column(String(255))
    reader_format: Mapped[str | None] = mapped_column(String(20))  # text_cells, markdown, pdf…
    kinds: Mapped[str] = mapped_column(String(200), default="")  # evaluation kinds, comma list
    has_accounts: Mapped[bool] = mapped_column(Boolean, default=False)
    n_evaluations: Mapped[int] = mapped_column(Integer, default=0)
    n_errors: Mapped[int] = mapped_column(Integer, default=0)  # as checked, before review
    n_warnings: Mapped[int] = mapped_column(Integer, default=0)
    n_info: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    # big: loaded only when asked for (lists never read them)
    data: Mapped[dict[str, Any]] = mapped_column(deferred=True)  # Report.to_json()
    tables: Mapped[list[Any]] = mapped_column(default=list, deferred=True)  # to draw again
    # stored after the big columns: reading them means reading through ``data`` and ``tables``
    # (SQLite keeps a row in one piece), and no page shows them, so they are loaded on demand
    jixiao_version: Mapped[str] = mapped_column(String(20), deferred=True)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow, deferred=True)

    document: Mapped[Document] = relationship(back_populates="report")
    entity: Mapped[Entity | None] = relationship(back_populates="reports")
    evaluations: Mapped[list[Evaluation]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Evaluation.position"
    )
    findings: Mapped[list[Finding]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Finding.position"
    )


class Evaluation(Base):
    """One scored table, with the printed and the recomputed totals (score inflation)."""

    __tablename__ = "evaluations"
    __table_args__ = (UniqueConstraint("report_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # index in report.evaluations
    kind: Mapped[str] = mapped_column(String(30), index=True)
    title: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str | None] = mapped_column(String(300))
    competent_dept: Mapped[str | None] = mapped_column(String(200))
    implementing_unit: Mapped[str | None] = mapped_column(String(200))
    money_unit: Mapped[str | None] = mapped_column(String(10))
    goal: Mapped[str | None] = mapped_column(Text)
    goal_actual: Mapped[str | None] = mapped_column(Text)
    total_weight: Mapped[float | None] = mapped_column(Float)
    total_score: Mapped[float | None] = mapped_column(Float)  # as printed
    grade: Mapped[str | None] = mapped_column(String(20))  # as printed
    framework: Mapped[str | None] = mapped_column(String(100))
    sum_printed: Mapped[float | None] = mapped_column(Float)
    recomputed_total: Mapped[float | None] = mapped_column(Float)
    recomputed_low: Mapped[float | None] = mapped_column(Float)
    recomputed_high: Mapped[float | None] = mapped_column(Float)
    recomputed_grade: Mapped[str | None] = mapped_column(String(40))
    annual_budget: Mapped[float | None] = mapped_column(Float)  # the 年度资金总额 row
    executed: Mapped[float | None] = mapped_column(Float)
    rate: Mapped[float | None] = mapped_column(Float)  # 执行率 as printed, percent
    rate_computed: Mapped[float | None] = mapped_column(Float)  # executed ÷ annual_budget
    table_index: Mapped[int | None] = mapped_column(Integer)
    loc: Mapped[dict[str, Any] | None] = mapped_column()

    report: Mapped[Report] = relationship(back_populates="evaluations")
    funds: Mapped[list[FundRow]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", order_by="FundRow.position"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", order_by="Indicator.position"
    )


class FundRow(Base):
    __tablename__ = "fund_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20))  # total | fiscal | carryover | other
    initial_budget: Mapped[float | None] = mapped_column(Float)
    annual_budget: Mapped[float | None] = mapped_column(Float)
    executed: Mapped[float | None] = mapped_column(Float)
    weight: Mapped[float | None] = mapped_column(Float)
    rate: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)
    loc: Mapped[dict[str, Any] | None] = mapped_column()

    evaluation: Mapped[Evaluation] = relationship(back_populates="funds")


class Indicator(Base):
    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    level1: Mapped[str | None] = mapped_column(String(200))
    level2: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(Text)
    target: Mapped[str | None] = mapped_column(Text)
    actual: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)  # as printed
    recomputed: Mapped[float | None] = mapped_column(
        Float
    )  # a point score, when the rule gives one
    score_status: Mapped[str | None] = mapped_column(String(20))  # jixiao.scoring statuses
    note: Mapped[str | None] = mapped_column(Text)
    loc: Mapped[dict[str, Any] | None] = mapped_column()

    evaluation: Mapped[Evaluation] = relationship(back_populates="indicators")


class Finding(Base):
    """One problem the audit found, and what the reviewer made of it."""

    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("report_id", "fingerprint"),
        CheckConstraint("status IN ('open', 'accepted', 'rejected')", name="status"),
        CheckConstraint("severity IN ('error', 'warning', 'info')", name="severity"),
        # covers the counts per document and the dashboard's figures (no table access), and
        # the findings list's scan in document order (migration 0002)
        Index(
            "ix_findings_report_counts",
            "report_id",
            "severity",
            "status",
            "family",
            "check_id",
            "position",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    evaluation_id: Mapped[int | None] = mapped_column(
        ForeignKey("evaluations.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # reading order in the document
    check_id: Mapped[str] = mapped_column(String(80), index=True)
    family: Mapped[str] = mapped_column(String(20), index=True)
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    loc: Mapped[dict[str, Any] | None] = mapped_column()
    evidence: Mapped[str | None] = mapped_column(Text)
    reported: Mapped[str | None] = mapped_column(Text)
    expected: Mapped[str | None] = mapped_column(Text)
    related: Mapped[list[Any]] = mapped_column(default=list)
    fingerprint: Mapped[str] = mapped_column(String(200))  # jixiao.checks.review
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    comment: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None] = mapped_column()

    report: Mapped[Report] = relationship(back_populates="findings")
    evaluation: Mapped[Evaluation | None] = relationship()
    reviews: Mapped[list[Review]] = relationship(
        back_populates="finding", cascade="all, delete-orphan", order_by="Review.id"
    )


class Review(Base):
    """The history of a finding's review: one row per change."""

    __tablename__ = "reviews"
    __table_args__ = (CheckConstraint("status IN ('open', 'accepted', 'rejected')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    finding: Mapped[Finding] = relationship(back_populates="reviews")


class DataVersion(Base):
    """One row whose ``version`` every write adds one to (an upload, a review, an entity's
    region, a deletion), in the writing transaction: figures computed from the data are
    cached under the version they were computed at (``jixiao.store.cache``), so that a write
    by any server process invalidates them everywhere."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
