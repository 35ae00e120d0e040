"""Reading the database: the lists (with their filters), one document, the dashboard figures.

The web pages and the JSON API ask the same questions through these functions, so a list
on screen, its CSV/XLSX export and its API answer always agree. A finding the reviewers
rejected (a false alarm) is not counted as a problem anywhere; it stays visible, struck out,
on its document.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Select, case, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from jixiao.store import models as m

KINDS = ("project_self", "department_self", "project_review", "expert_panel", "accounts")
# 执行率 bands of the dashboard: (label, low inclusive, high exclusive)
RATE_BINS: tuple[tuple[str, float, float], ...] = (
    ("<60%", float("-inf"), 60),
    ("60–80%", 60, 80),
    ("80–90%", 80, 90),
    ("90–95%", 90, 95),
    ("95–100%", 95, 99.995),
    ("100%", 99.995, 100.005),
    (">100%", 100.005, float("inf")),
)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _contains(q: str, *columns: Any) -> list[Any]:
    """One case-insensitive "contains ``q``" condition per column (LIKE wildcards escaped)."""
    pattern = _like(q.strip())
    return [column.ilike(pattern, escape="\\") for column in columns]


@dataclass
class DocFilter:
    """The filters of the documents list (and of the dashboard and the evaluations list)."""

    entity: int | None = None
    region: str | None = None
    year: int | None = None
    kind: str | None = None
    has_errors: bool | None = None
    pending: bool | None = None  # has findings still open
    q: str | None = None

    def active(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) not in (None, "")
        }


@dataclass
class FindingFilter:
    document: int | None = None
    entity: int | None = None
    region: str | None = None
    year: int | None = None
    severity: str | None = None
    family: str | None = None
    check: str | None = None
    status: str | None = None
    q: str | None = None

    def active(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) not in (None, "")
        }


def _problem(report_id: Any, severity: str | None = None) -> Any:
    """EXISTS a finding of the report that is not rejected (of ``severity`` if given)."""
    cond = [m.Finding.report_id == report_id, m.Finding.status != "rejected"]
    if severity:
        cond.append(m.Finding.severity == severity)
    return exists().where(*cond)


def _doc_conditions(f: DocFilter) -> list[Any]:
    cond: list[Any] = []
    if f.entity is not None:
        cond.append(m.Report.entity_id == f.entity)
    if f.region:
        cond.append(m.Entity.region == f.region)
    if f.year is not None:
        cond.append(m.Report.year == f.year)
    if f.kind == "accounts":
        cond.append(m.Report.has_accounts.is_(True))
    elif f.kind:
        cond.append(
            exists().where(m.Evaluation.report_id == m.Report.id, m.Evaluation.kind == f.kind)
        )
    if f.has_errors is True:
        cond.append(_problem(m.Report.id, "error"))
    elif f.has_errors is False:
        cond.append(~_problem(m.Report.id, "error"))
    if f.pending is True:
        cond.append(exists().where(m.Finding.report_id == m.Report.id, m.Finding.status == "open"))
    elif f.pending is False:
        cond.append(~exists().where(m.Finding.report_id == m.Report.id, m.Finding.status == "open"))
    if f.q and f.q.strip():
        hits = _contains(f.q, m.Document.filename, m.Entity.name, m.Evaluation.subject)
        subject = hits.pop()
        cond.append(or_(*hits, exists().where(m.Evaluation.report_id == m.Report.id, subject)))
    return cond


def _docs_select(*columns: Any) -> Select[Any]:
    return (
        select(*columns)
        .select_from(m.Document)
        .join(m.Report, m.Report.document_id == m.Document.id)
        .outerjoin(m.Entity, m.Entity.id == m.Report.entity_id)
    )


DOC_SORTS = {
    "uploaded": (m.Document.uploaded_at.desc(), m.Document.id.desc()),
    "filename": (m.Document.filename.asc(), m.Document.id.asc()),
    "entity": (m.Entity.name.asc(), m.Report.year.desc(), m.Document.id.asc()),
    "year": (m.Report.year.desc(), m.Entity.name.asc(), m.Document.id.asc()),
    "errors": (m.Report.n_errors.desc(), m.Document.id.desc()),
}


@dataclass
class DocRow:
    document: m.Document
    report: m.Report
    entity: m.Entity | None
    errors: int = 0
    warnings: int = 0
    info: int = 0
    open: int = 0
    accepted: int = 0
    rejected: int = 0


def list_documents(
    s: Session, f: DocFilter, *, sort: str = "uploaded", limit: int = 50, offset: int = 0
) -> tuple[int, list[DocRow]]:
    cond = _doc_conditions(f)
    total = s.scalar(_docs_select(func.count(m.Document.id)).where(*cond)) or 0
    q = (
        _docs_select(m.Document, m.Report, m.Entity)
        .where(*cond)
        .order_by(*DOC_SORTS.get(sort, DOC_SORTS["uploaded"]))
        .limit(limit)
        .offset(offset)
    )
    rows = [DocRow(d, r, e) for d, r, e in s.execute(q).all()]
    _fill_counts(s, rows)
    return total, rows


def _fill_counts(s: Session, rows: list[DocRow]) -> None:
    by_report = {row.report.id: row for row in rows}
    if not by_report:
        return
    q = (
        select(m.Finding.report_id, m.Finding.severity, m.Finding.status, func.count())
        .where(m.Finding.report_id.in_(by_report))
        .group_by(m.Finding.report_id, m.Finding.severity, m.Finding.status)
    )
    for report_id, severity, status, n in s.execute(q).all():
        row = by_report[report_id]
        setattr(row, status, getattr(row, status) + n)
        if status != "rejected":
            attr = {"error": "errors", "warning": "warnings"}.get(severity, "info")
            setattr(row, attr, getattr(row, attr) + n)


def get_document(s: Session, document_id: int) -> DocRow | None:
    doc = s.get(
        m.Document,
        document_id,
        options=[
            selectinload(m.Document.report).selectinload(m.Report.evaluations),
            selectinload(m.Document.report).selectinload(m.Report.findings),
            selectinload(m.Document.report).selectinload(m.Report.entity),
        ],
    )
    if doc is None or doc.report is None:
        return None
    row = DocRow(doc, doc.report, doc.report.entity)
    for finding in doc.report.findings:
        setattr(row, finding.status, getattr(row, finding.status) + 1)
        if finding.status != "rejected":
            attr = {"error": "errors", "warning": "warnings"}.get(finding.severity, "info")
            setattr(row, attr, getattr(row, attr) + 1)
    return row


def document_by_sha(s: Session, sha256: str) -> m.Document | None:
    return s.scalar(select(m.Document).where(m.Document.sha256 == sha256))


# -- findings ---------------------------------------------------------------------------------


def _finding_conditions(f: FindingFilter) -> list[Any]:
    cond: list[Any] = []
    if f.document is not None:
        cond.append(m.Report.document_id == f.document)
    if f.entity is not None:
        cond.append(m.Report.entity_id == f.entity)
    if f.region:
        cond.append(m.Entity.region == f.region)
    if f.year is not None:
        cond.append(m.Report.year == f.year)
    if f.severity:
        cond.append(m.Finding.severity == f.severity)
    if f.family:
        cond.append(m.Finding.family == f.family)
    if f.check:
        cond.append(m.Finding.check_id == f.check)
    if f.status:
        cond.append(m.Finding.status == f.status)
    if f.q and f.q.strip():
        columns = (m.Finding.message, m.Finding.evidence, m.Document.filename, m.Entity.name)
        cond.append(or_(*_contains(f.q, *columns)))
    return cond


def _findings_select(*columns: Any) -> Select[Any]:
    return (
        select(*columns)
        .select_from(m.Finding)
        .join(m.Report, m.Report.id == m.Finding.report_id)
        .join(m.Document, m.Document.id == m.Report.document_id)
        .outerjoin(m.Entity, m.Entity.id == m.Report.entity_id)
    )


@dataclass
class FindingRow:
    finding: m.Finding
    document: m.Document
    report: m.Report
    entity: m.Entity | None


def list_findings(
    s: Session, f: FindingFilter, *, limit: int = 100, offset: int = 0
) -> tuple[int, list[FindingRow]]:
    cond = _finding_conditions(f)
    total = s.scalar(_findings_select(func.count(m.Finding.id)).where(*cond)) or 0
    severity_rank = case({"error": 0, "warning": 1}, value=m.Finding.severity, else_=2)
    q = (
        _findings_select(m.Finding, m.Document, m.Report, m.Entity)
        .where(*cond)
        .order_by(m.Document.uploaded_at.desc(), m.Document.id.desc(), m.Finding.position)
        .limit(limit)
        .offset(offset)
    )
    if f.document is None:
        q = q.order_by(None).order_by(
            severity_rank, m.Document.uploaded_at.desc(), m.Document.id.desc(), m.Finding.position
        )
    return total, [FindingRow(*row) for row in s.execute(q).all()]


def get_finding(s: Session, finding_id: int) -> FindingRow | None:
    row = s.execute(
        _findings_select(m.Finding, m.Document, m.Report, m.Entity).where(
            m.Finding.id == finding_id
        )
    ).first()
    return FindingRow(*row) if row is not None else None


# -- evaluations -----------------------------------------------------------------------------


@dataclass
class EvaluationRow:
    evaluation: m.Evaluation
    document: m.Document
    report: m.Report
    entity: m.Entity | None

    @property
    def inflation(self) -> float | None:
        ev = self.evaluation
        if ev.total_score is None or ev.recomputed_total is None:
            return None
        return round(ev.total_score - ev.recomputed_total, 4)


def list_evaluations(
    s: Session, f: DocFilter, *, limit: int = 100, offset: int = 0
) -> tuple[int, list[EvaluationRow]]:
    cond = _doc_conditions(DocFilter(**{**f.active(), "kind": None}))
    if f.kind and f.kind != "accounts":
        cond.append(m.Evaluation.kind == f.kind)
    base = _docs_select(m.Evaluation, m.Document, m.Report, m.Entity).join(
        m.Evaluation, m.Evaluation.report_id == m.Report.id
    )
    count = _docs_select(func.count(m.Evaluation.id)).join(
        m.Evaluation, m.Evaluation.report_id == m.Report.id
    )
    total = s.scalar(count.where(*cond)) or 0
    inflation = func.coalesce(m.Evaluation.total_score - m.Evaluation.recomputed_total, -1000)
    q = (
        base.where(*cond)
        .order_by(inflation.desc(), m.Document.id.desc(), m.Evaluation.position)
        .limit(limit)
        .offset(offset)
    )
    return total, [EvaluationRow(*row) for row in s.execute(q).all()]


# -- entities --------------------------------------------------------------------------------


@dataclass
class EntityRow:
    entity: m.Entity
    documents: int = 0
    errors: int = 0
    warnings: int = 0
    open: int = 0


def list_entities(
    s: Session, *, region: str | None = None, q: str | None = None
) -> list[EntityRow]:
    query = select(m.Entity).order_by(m.Entity.region.is_(None), m.Entity.region, m.Entity.name)
    if region:
        query = query.where(m.Entity.region == region)
    if q and q.strip():
        query = query.where(*_contains(q, m.Entity.name))
    rows = {e.id: EntityRow(e) for e in s.scalars(query).all()}
    if not rows:
        return []
    docs = s.execute(
        select(m.Report.entity_id, func.count())
        .where(m.Report.entity_id.in_(rows))
        .group_by(m.Report.entity_id)
    ).all()
    for entity_id, n in docs:
        rows[entity_id].documents = n
    counts = s.execute(
        select(m.Report.entity_id, m.Finding.severity, m.Finding.status, func.count())
        .join(m.Finding, m.Finding.report_id == m.Report.id)
        .where(m.Report.entity_id.in_(rows), m.Finding.status != "rejected")
        .group_by(m.Report.entity_id, m.Finding.severity, m.Finding.status)
    ).all()
    for entity_id, severity, status, n in counts:
        row = rows[entity_id]
        if severity == "error":
            row.errors += n
        elif severity == "warning":
            row.warnings += n
        if status == "open":
            row.open += n
    return list(rows.values())


# -- filter choices --------------------------------------------------------------------------


@dataclass
class Choices:
    entities: list[tuple[int, str]]
    regions: list[str]
    years: list[int]
    checks: list[str]


def choices(s: Session) -> Choices:
    return Choices(
        entities=[
            (i, n) for i, n in s.execute(select(m.Entity.id, m.Entity.name).order_by(m.Entity.name))
        ],
        regions=[
            r
            for (r,) in s.execute(
                select(m.Entity.region)
                .where(m.Entity.region.is_not(None))
                .distinct()
                .order_by(m.Entity.region)
            )
        ],
        years=[y for (y,) in s.execute(select(m.Year.year).order_by(m.Year.year.desc()))],
        checks=[
            c
            for (c,) in s.execute(
                select(m.Finding.check_id).distinct().order_by(m.Finding.check_id)
            )
        ],
    )


# -- dashboard -------------------------------------------------------------------------------


def stats(s: Session, f: DocFilter) -> dict[str, Any]:
    """Everything the dashboard draws, for the documents ``f`` selects."""
    cond = _doc_conditions(f)
    reports = _docs_select(m.Report.id).where(*cond).subquery()
    in_scope = m.Report.id.in_(select(reports.c.id))

    n_docs = s.scalar(select(func.count()).select_from(reports)) or 0
    n_entities = (
        s.scalar(select(func.count(func.distinct(m.Report.entity_id))).where(in_scope)) or 0
    )
    ev_rows = s.execute(
        select(
            m.Evaluation.total_score,
            m.Evaluation.recomputed_total,
            m.Evaluation.rate,
            m.Evaluation.rate_computed,
            m.Evaluation.subject,
            m.Evaluation.kind,
            m.Report.document_id,
            m.Entity.name,
            m.Report.year,
        )
        .join(m.Report, m.Report.id == m.Evaluation.report_id)
        .outerjoin(m.Entity, m.Entity.id == m.Report.entity_id)
        .where(in_scope)
        .order_by(m.Evaluation.id)
    ).all()
    scatter = [
        {
            "printed": printed,
            "recomputed": round(recomputed, 2),
            "subject": subject,
            "kind": kind,
            "document": doc_id,
            "entity": entity,
            "year": year,
        }
        for printed, recomputed, _r, _rc, subject, kind, doc_id, entity, year in ev_rows
        if printed is not None and recomputed is not None
    ][:5000]
    rates = [
        (r if r is not None else rc)
        for _p, _c, r, rc, *_ in ev_rows
        if (r if r is not None else rc) is not None
    ]
    inflations = [p["printed"] - p["recomputed"] for p in scatter]

    status_sev = s.execute(
        select(m.Finding.severity, m.Finding.status, func.count())
        .where(m.Finding.report_id.in_(select(reports.c.id)))
        .group_by(m.Finding.severity, m.Finding.status)
    ).all()
    by_severity: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    for severity, status, n in status_sev:
        by_status[status] += n
        if status != "rejected":
            by_severity[severity] += n

    family_rows = s.execute(
        select(m.Finding.family, m.Finding.severity, func.count())
        .where(m.Finding.report_id.in_(select(reports.c.id)), m.Finding.status != "rejected")
        .group_by(m.Finding.family, m.Finding.severity)
    ).all()
    by_family: dict[str, dict[str, int]] = defaultdict(dict)
    for family, severity, n in family_rows:
        by_family[family][severity] = n

    ry_rows = s.execute(
        select(m.Entity.region, m.Report.year, func.count(m.Finding.id))
        .select_from(m.Finding)
        .join(m.Report, m.Report.id == m.Finding.report_id)
        .outerjoin(m.Entity, m.Entity.id == m.Report.entity_id)
        .where(in_scope, m.Finding.status != "rejected")
        .group_by(m.Entity.region, m.Report.year)
    ).all()
    by_region_year = [
        {"region": region, "year": year, "findings": n} for region, year, n in ry_rows
    ]
    by_region_year.sort(key=lambda r: (r["region"] is None, r["region"] or "", r["year"] or 0))

    top_rows = s.execute(
        select(
            m.Entity.id,
            m.Entity.name,
            m.Entity.region,
            func.count(m.Finding.id),
            func.count(func.distinct(m.Report.id)),
        )
        .select_from(m.Finding)
        .join(m.Report, m.Report.id == m.Finding.report_id)
        .join(m.Entity, m.Entity.id == m.Report.entity_id)
        .where(in_scope, m.Finding.status != "rejected", m.Finding.severity == "error")
        .group_by(m.Entity.id, m.Entity.name, m.Entity.region)
        .order_by(func.count(m.Finding.id).desc(), m.Entity.name)
        .limit(10)
    ).all()
    top_entities = [
        {"entity": eid, "name": name, "region": region, "errors": n, "documents": d}
        for eid, name, region, n, d in top_rows
    ]
    return {
        "documents": n_docs,
        "entities": n_entities,
        "evaluations": len(ev_rows),
        "findings": dict(by_severity),
        "review": {k: by_status.get(k, 0) for k in m.REVIEW_STATUSES},
        "scatter": scatter,
        "inflated": sum(1 for x in inflations if x > 0.005),
        "mean_inflation": round(sum(inflations) / len(inflations), 2) if inflations else None,
        "rate_bins": rate_histogram(rates),
        "rates": len(rates),
        "by_family": {k: dict(v) for k, v in sorted(by_family.items())},
        "by_region_year": by_region_year,
        "top_entities": top_entities,
    }


def rate_histogram(rates: list[float]) -> list[dict[str, Any]]:
    return [
        {"label": label, "count": sum(1 for r in rates if low <= r < high)}
        for label, low, high in RATE_BINS
    ]


def evaluation_kinds_present(s: Session) -> list[str]:
    kinds = {k for (k,) in s.execute(select(m.Evaluation.kind).distinct())}
    if s.scalar(select(exists().where(m.Report.has_accounts.is_(True)))):
        kinds.add("accounts")
    return [k for k in KINDS if k in kinds]


__all__ = [
    "KINDS",
    "Choices",
    "DocFilter",
    "DocRow",
    "EntityRow",
    "EvaluationRow",
    "FindingFilter",
    "FindingRow",
    "choices",
    "get_document",
    "get_finding",
    "list_documents",
    "list_entities",
    "list_evaluations",
    "list_findings",
    "stats",
]
