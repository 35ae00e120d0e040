"""Reading the database: the lists (with their filters), one document, the dashboard figures.

The web pages and the JSON API ask the same questions through these functions, so a list
on screen, its CSV/XLSX export and its API answer always agree. A finding the reviewers
rejected (a false alarm) is not counted as a problem anywhere; it stays visible, struck out,
on its document.

A list page is read in two steps: the ids of the page, sorted and filtered on narrow columns
(the covering index ``ix_findings_report_counts`` for the findings), then the full rows of
those ids only. Sorting whole joined rows would carry every column of every matching row
through the sort. The dashboard's finding figures are counted on that index too. The web
app keeps the pages' ids and the dashboard's figures until the next write
(``jixiao.store.cache``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from typing import Any

from sqlalchemy import Select, bindparam, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from jixiao.store import models as m
from jixiao.store.cache import DataCache

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

_IN_CHUNK = 500  # ids per IN (...) when fetching the rows of a long page (exports)
# one bound list, not a parameter built per id: ``column.in_(IDS)``, then ``{"ids": [...]}``
IDS = bindparam("ids", expanding=True)
CACHED_PAGE = 1000  # longer pages (exports) are not cached


def _page_ids(
    s: Session,
    cache: DataCache | None,
    key: tuple[Any, ...],
    count: Select[Any],
    ids: Select[Any],
    limit: int,
) -> tuple[int, Sequence[int]]:
    """The total and the ids of one page: kept in ``cache`` (when given) until the next
    write, so that paging and reloading a list only reads the rows it shows."""

    def compute() -> tuple[int, tuple[int, ...]]:
        return s.scalar(count) or 0, tuple(s.scalars(ids).all())

    if cache is None or limit > CACHED_PAGE:
        return compute()
    return cache.get(s, key, compute)


def _rows_in_order(s: Session, ids: Sequence[int], query: Select[Any]) -> list[Any]:
    """The rows of ``query`` (which selects ``… IN IDS``, its first entity or column being
    the id) for ``ids``, fetched in chunks, in the order of ``ids``."""
    found: dict[int, Any] = {}
    for k in range(0, len(ids), _IN_CHUNK):
        for row in s.execute(query, {"ids": list(ids[k : k + _IN_CHUNK])}).all():
            first = row[0]
            found[first if isinstance(first, int) else first.id] = row
    return [found[i] for i in ids if i in found]


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _contains(q: str, *columns: Any) -> list[Any]:
    """One case-insensitive "contains ``q``" condition per column (LIKE wildcards escaped)."""
    pattern = _like(q.strip())
    return [column.ilike(pattern, escape="\\") for column in columns]


def _active_filters(self: Any) -> dict[str, Any]:
    """A filter's fields that are set (what a page's links and the cache key carry)."""
    return {
        f.name: getattr(self, f.name)
        for f in fields(self)
        if getattr(self, f.name) not in (None, "")
    }


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

    active = _active_filters


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

    active = _active_filters


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
    ev = aliased(m.Evaluation)  # also when the outer query reads the evaluations
    if f.kind == "accounts":
        cond.append(m.Report.has_accounts.is_(True))
    elif f.kind:
        cond.append(exists().where(ev.report_id == m.Report.id, ev.kind == f.kind))
    if f.has_errors is True:
        cond.append(_problem(m.Report.id, "error"))
    elif f.has_errors is False:
        cond.append(~_problem(m.Report.id, "error"))
    if f.pending is True:
        cond.append(exists().where(m.Finding.report_id == m.Report.id, m.Finding.status == "open"))
    elif f.pending is False:
        cond.append(~exists().where(m.Finding.report_id == m.Report.id, m.Finding.status == "open"))
    if f.q and f.q.strip():
        hits = _contains(f.q, m.Document.filename, m.Entity.name, ev.subject)
        subject = hits.pop()
        cond.append(or_(*hits, exists().where(ev.report_id == m.Report.id, subject)))
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
    s: Session,
    f: DocFilter,
    *,
    sort: str = "uploaded",
    limit: int = 50,
    offset: int = 0,
    cache: DataCache | None = None,
) -> tuple[int, list[DocRow]]:
    sort = sort if sort in DOC_SORTS else "uploaded"
    cond = _doc_conditions(f)
    total, ids = _page_ids(
        s,
        cache,
        ("documents", *astuple(f), sort, limit, offset),
        _docs_select(func.count(m.Document.id)).where(*cond),
        _docs_select(m.Document.id)
        .where(*cond)
        .order_by(*DOC_SORTS[sort])
        .limit(limit)
        .offset(offset),
        limit,
    )
    found = _rows_in_order(
        s, ids, _docs_select(m.Document, m.Report, m.Entity).where(m.Document.id.in_(IDS))
    )
    rows = [DocRow(d, r, e) for d, r, e in found]
    _fill_counts(s, rows, cache if limit <= CACHED_PAGE else None)
    return total, rows


def _fill_counts(s: Session, rows: list[DocRow], cache: DataCache | None = None) -> None:
    """Each row's findings per severity (not rejected) and per review status."""
    by_report = {row.report.id: row for row in rows}
    if not by_report:
        return
    q = (
        select(m.Finding.report_id, m.Finding.severity, m.Finding.status, func.count())
        .where(m.Finding.report_id.in_(IDS))
        .group_by(m.Finding.report_id, m.Finding.severity, m.Finding.status)
    )
    report_ids = tuple(by_report)

    def fetch() -> list[tuple[Any, ...]]:
        found: list[tuple[Any, ...]] = []
        for k in range(0, len(report_ids), _IN_CHUNK):
            chunk = list(report_ids[k : k + _IN_CHUNK])
            found.extend(tuple(r) for r in s.execute(q, {"ids": chunk}).all())
        return found

    counts = cache.get(s, ("counts", report_ids), fetch) if cache is not None else fetch()
    for report_id, severity, status, n in counts:
        row = by_report[report_id]
        setattr(row, status, getattr(row, status) + n)
        if status != "rejected":
            attr = {"error": "errors", "warning": "warnings"}.get(severity, "info")
            setattr(row, attr, getattr(row, attr) + n)


def get_document(s: Session, document_id: int, *, indicators: bool = False) -> DocRow | None:
    """One document with its report, evaluations (and their indicators if asked: the page
    shows the rows scored off the rules), findings and entity, in one query per table."""
    evaluations = selectinload(m.Document.report).selectinload(m.Report.evaluations)
    if indicators:
        evaluations = evaluations.selectinload(m.Evaluation.indicators)
    doc = s.get(
        m.Document,
        document_id,
        options=[
            evaluations,
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


def document_exists(s: Session, document_id: int) -> bool:
    """Whether ``get_document`` would find the document (without loading it)."""
    return s.scalar(select(m.Report.id).where(m.Report.document_id == document_id)) is not None


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
    s: Session,
    f: FindingFilter,
    *,
    limit: int = 100,
    offset: int = 0,
    cache: DataCache | None = None,
) -> tuple[int, list[FindingRow]]:
    cond = _finding_conditions(f)
    severity_rank = case({"error": 0, "warning": 1}, value=m.Finding.severity, else_=2)
    order = [m.Document.uploaded_at.desc(), m.Document.id.desc(), m.Finding.position]
    if f.document is None:
        order.insert(0, severity_rank)
    total, ids = _page_ids(
        s,
        cache,
        ("findings", *astuple(f), limit, offset),
        _findings_select(func.count(m.Finding.id)).where(*cond),
        _findings_select(m.Finding.id).where(*cond).order_by(*order).limit(limit).offset(offset),
        limit,
    )
    found = _rows_in_order(
        s,
        ids,
        _findings_select(m.Finding, m.Document, m.Report, m.Entity).where(m.Finding.id.in_(IDS)),
    )
    return total, [FindingRow(*row) for row in found]


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
    s: Session,
    f: DocFilter,
    *,
    limit: int = 100,
    offset: int = 0,
    cache: DataCache | None = None,
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
    inflation = func.coalesce(m.Evaluation.total_score - m.Evaluation.recomputed_total, -1000)
    total, ids = _page_ids(
        s,
        cache,
        ("evaluations", *astuple(f), limit, offset),
        count.where(*cond),
        _docs_select(m.Evaluation.id)
        .join(m.Evaluation, m.Evaluation.report_id == m.Report.id)
        .where(*cond)
        .order_by(inflation.desc(), m.Document.id.desc(), m.Evaluation.position)
        .limit(limit)
        .offset(offset),
        limit,
    )
    found = _rows_in_order(s, ids, base.where(m.Evaluation.id.in_(IDS)))
    return total, [EvaluationRow(*row) for row in found]


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
    # without a filter every report is in scope (each has its document): no IN (…) at all
    scope: list[Any] = []
    finding_scope: list[Any] = []
    if cond:
        reports = _docs_select(m.Report.id).where(*cond).subquery()
        scope = [m.Report.id.in_(select(reports.c.id))]
        finding_scope = [m.Finding.report_id.in_(select(reports.c.id))]
        n_docs = s.scalar(select(func.count()).select_from(reports)) or 0
    else:
        n_docs = s.scalar(_docs_select(func.count(m.Report.id))) or 0
    n_entities = s.scalar(select(func.count(func.distinct(m.Report.entity_id))).where(*scope)) or 0
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
        .where(*scope)
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

    # the findings counted in one pass over the covering index, a few rows summed here
    counts = s.execute(
        select(m.Finding.severity, m.Finding.status, m.Finding.family, func.count())
        .where(*finding_scope)
        .group_by(m.Finding.severity, m.Finding.status, m.Finding.family)
    ).all()
    by_severity: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    family_counts: Counter[tuple[str, str]] = Counter()
    for severity, status, family, n in counts:
        by_status[status] += n
        if status != "rejected":
            by_severity[severity] += n
            family_counts[family, severity] += n
    by_family: dict[str, dict[str, int]] = defaultdict(dict)
    for (family, severity), n in sorted(family_counts.items()):
        by_family[family][severity] = n

    # per document first (in index order, no sort), then per region and year: a document's
    # region and year are read once, not once per finding
    problems = (
        select(m.Finding.report_id, func.count().label("n"))
        .where(*finding_scope, m.Finding.status != "rejected")
        .group_by(m.Finding.report_id)
        .subquery()
    )
    ry_rows = s.execute(
        select(m.Entity.region, m.Report.year, func.sum(problems.c.n))
        .select_from(problems)
        .join(m.Report, m.Report.id == problems.c.report_id)
        .outerjoin(m.Entity, m.Entity.id == m.Report.entity_id)
        .group_by(m.Entity.region, m.Report.year)
    ).all()
    by_region_year = [
        {"region": region, "year": year, "findings": int(n)} for region, year, n in ry_rows
    ]
    by_region_year.sort(key=lambda r: (r["region"] is None, r["region"] or "", r["year"] or 0))

    errors = (
        select(m.Finding.report_id, func.count().label("n"))
        .where(*finding_scope, m.Finding.status != "rejected", m.Finding.severity == "error")
        .group_by(m.Finding.report_id)
        .subquery()
    )
    n_errors = func.sum(errors.c.n)
    top_rows = s.execute(
        select(
            m.Entity.id,
            m.Entity.name,
            m.Entity.region,
            n_errors,
            func.count(errors.c.report_id),
        )
        .select_from(errors)
        .join(m.Report, m.Report.id == errors.c.report_id)
        .join(m.Entity, m.Entity.id == m.Report.entity_id)
        .group_by(m.Entity.id, m.Entity.name, m.Entity.region)
        .order_by(n_errors.desc(), m.Entity.name)
        .limit(10)
    ).all()
    top_entities = [
        {"entity": eid, "name": name, "region": region, "errors": int(n), "documents": d}
        for eid, name, region, n, d in top_rows
    ]
    return {
        "documents": n_docs,
        "entities": n_entities,
        "evaluations": len(ev_rows),
        "findings": dict(sorted(by_severity.items())),
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
    "document_exists",
    "get_document",
    "get_finding",
    "list_documents",
    "list_entities",
    "list_evaluations",
    "list_findings",
    "stats",
]
