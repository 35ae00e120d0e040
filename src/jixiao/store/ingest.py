"""One upload, stored once and for all.

``Store.ingest(data, filename)``:

1. refuse what is too large (413) or not a report format (415: ``jixiao.store.sniff``);
2. sha256 of the bytes: a file already stored is answered with its existing document;
3. the bytes are written under their hash (``jixiao.store.files``), then read, extracted,
   scored and checked (``check_document``): a file jixiao cannot read is refused (422) and
   its bytes removed;
4. document, report, evaluations, fund rows, indicators and findings are inserted in one
   transaction. A concurrent upload of the same bytes loses the race on the unique sha256
   and gets the winner's document; a failure leaves nothing behind.

An upload that was answered is committed (SQLite ``synchronous=FULL``) and its file synced.
Every write also raises the data version (``jixiao.store.cache``), which invalidates the
cached dashboard figures, filter choices and list pages in every server process.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from jixiao import __version__
from jixiao.errors import JixiaoError
from jixiao.render.table_html import table_to_json
from jixiao.store import models as m
from jixiao.store.cache import DataCache, bump_version
from jixiao.store.engine import Database
from jixiao.store.files import FileStore
from jixiao.store.regions import guess_region
from jixiao.store.sniff import Unreadable, Unsupported, sniff_upload

log = logging.getLogger("jixiao.store")

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


class UploadRefused(JixiaoError):
    """An upload that is not stored; ``status`` is the HTTP status to answer with."""

    def __init__(self, path: str | None, message: str, status: int):
        super().__init__(path, message)
        self.status = status


@dataclass
class IngestResult:
    document_id: int
    created: bool  # False: the same bytes were already stored
    filename: str
    sha256: str
    entity: str | None = None
    year: int | None = None
    evaluations: int = 0
    findings: dict[str, int] = field(default_factory=dict)  # severity -> count


def clean_filename(name: str | None) -> str:
    """The last part of a client's file name, printable, at most 200 characters; for
    display only (it never names a file on disk)."""
    name = (name or "").replace("\\", "/")
    name = PurePosixPath(name).name if name else ""
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:200]
    return name or "未命名文件"


class Store:
    """The database and the file store together: what the web app and the loaders use."""

    def __init__(self, db: Database, files: FileStore, max_bytes: int = DEFAULT_MAX_BYTES):
        self.db = db
        self.files = files
        self.max_bytes = max_bytes
        # what is computed from the data, kept until the next write: list pages and filter
        # choices (small), and the dashboard's figures (up to a few MB each: fewer)
        self.cache = DataCache(max_entries=256)
        self.dashboard_cache = DataCache(max_entries=16)
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # -- upload -------------------------------------------------------------------------

    def ingest(
        self,
        data: bytes,
        filename: str | None,
        *,
        uploader: str | None = None,
        region: str | None = None,
    ) -> IngestResult:
        name = clean_filename(filename)
        if len(data) > self.max_bytes:
            raise UploadRefused(
                name, f"文件过大（{_mb(len(data))}），上限为 {_mb(self.max_bytes)}", 413
            )
        try:
            sniffed = sniff_upload(data, name)
        except Unsupported as e:
            raise UploadRefused(name, e.message, 415) from None
        except Unreadable as e:
            raise UploadRefused(name, f"无法读取：{e.message}", 422) from None
        sha = hashlib.sha256(data).hexdigest()
        with self._lock_for(sha):
            existing = self._existing(sha, name)
            if existing is not None:
                return existing
            key = FileStore.key_for(sha, sniffed.format)
            path = self.files.put(key, data)
            try:
                rows = self._check(path, name)
                result = self._insert(
                    rows,
                    sha=sha,
                    size=len(data),
                    fmt=sniffed.format,
                    name=name,
                    key=key,
                    uploader=_clip(uploader, 100),
                    region=_clip(region, 100),
                )
            except BaseException:
                self._discard(sha, key)
                raise
            if result.created and not self.files.exists(key):  # removed under our feet
                self.files.put(key, data)
            return result

    def _lock_for(self, sha: str) -> threading.Lock:
        with self._locks_guard:
            if len(self._locks) > 1024:
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            return self._locks.setdefault(sha, threading.Lock())

    def _existing(self, sha: str, name: str) -> IngestResult | None:
        with self.db.read() as s:
            doc = s.scalar(select(m.Document).where(m.Document.sha256 == sha))
            return _result(s, doc, created=False) if doc is not None else None

    def _discard(self, sha: str, key: str) -> None:
        """Remove the stored bytes of a failed upload, unless a document holds them."""
        try:
            with self.db.read() as s:
                held = s.scalar(select(m.Document.id).where(m.Document.sha256 == sha))
            if held is None:
                self.files.remove(key)
        except Exception:  # the failure that brought us here is what the caller must see
            log.exception("could not clean up %s", key)

    def _check(self, path: Path, name: str) -> _Rows:
        from jixiao.checks.runner import check_document

        try:
            checked = check_document(path, keep_document=True)
        except JixiaoError as e:
            raise UploadRefused(name, f"无法读取：{e.message}", 422) from None
        except Exception as e:  # an extractor's bug must not look like a server crash
            log.exception("checking %s failed", name)
            raise UploadRefused(
                name, f"读取时出错（{type(e).__name__}），请把文件反馈给维护者", 422
            ) from None
        return _Rows.of(checked, stored_name=path.name, display_name=name)

    def _insert(
        self,
        rows: _Rows,
        *,
        sha: str,
        size: int,
        fmt: str,
        name: str,
        key: str,
        uploader: str | None,
        region: str | None,
    ) -> IngestResult:
        now = datetime.now(UTC)
        with self.db.write() as s:
            ins = _insert_for(s)
            doc_id = s.scalar(
                ins(m.Document)
                .values(
                    sha256=sha,
                    size=size,
                    format=fmt,
                    filename=name,
                    storage_key=key,
                    uploaded_at=now,
                    uploader=uploader,
                )
                .on_conflict_do_nothing(index_elements=["sha256"])
                .returning(m.Document.id)
            )
            if doc_id is None:  # the same bytes were stored meanwhile (another process)
                doc = s.scalar(select(m.Document).where(m.Document.sha256 == sha))
                return _result(s, doc, created=False)
            report = rows.report
            if report.year is not None:
                s.execute(ins(m.Year).values(year=report.year).on_conflict_do_nothing())
            entity_id = _entity(s, ins, report.entity, region)
            rep = rows.build(doc_id, entity_id, now)
            s.add(rep)
            s.flush()
            bump_version(s)
            counts = rows.counts()
            return IngestResult(
                document_id=doc_id,
                created=True,
                filename=name,
                sha256=sha,
                entity=report.entity,
                year=report.year,
                evaluations=len(report.evaluations),
                findings=counts,
            )

    # -- review and entities --------------------------------------------------------------

    def set_review(
        self,
        finding_id: int,
        status: str,
        *,
        comment: str | None = None,
        reviewer: str | None = None,
    ) -> m.Finding | None:
        """Record a reviewer's decision on one finding (and keep it in its history)."""
        if status not in m.REVIEW_STATUSES:
            raise ValueError(f"unknown review status {status!r}")
        comment = _clip(comment, 2000)
        reviewer = _clip(reviewer, 100)
        now = datetime.now(UTC)
        with self.db.write() as s:
            finding = s.get(m.Finding, finding_id)
            if finding is None:
                return None
            finding.status = status
            finding.comment = comment
            finding.reviewed_by = reviewer if status != "open" or comment else None
            finding.reviewed_at = now if status != "open" or comment else None
            s.add(
                m.Review(
                    finding_id=finding_id, status=status, comment=comment, reviewer=reviewer, at=now
                )
            )
            s.flush()
            bump_version(s)
            s.refresh(finding)
            return finding

    def update_entity(
        self, entity_id: int, *, region: str | None, level: str | None
    ) -> m.Entity | None:
        with self.db.write() as s:
            entity = s.get(m.Entity, entity_id)
            if entity is None:
                return None
            entity.region = _clip(region, 100)
            entity.level = _clip(level, 20)
            s.flush()
            bump_version(s)
            return entity

    def delete_document(self, document_id: int) -> bool:
        """Remove a document with everything read from it, and its file."""
        with self.db.write() as s:
            doc = s.get(m.Document, document_id)
            if doc is None:
                return False
            key = doc.storage_key
            s.delete(doc)
            s.flush()
            bump_version(s)
        self.files.remove(key)
        return True

    def file_path(self, doc: m.Document) -> Path:
        return self.files.path(doc.storage_key)


def _insert_for(s: Session) -> Any:
    return pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert


def _entity(s: Session, ins: Any, name: str | None, region: str | None) -> int | None:
    name = _clip(re.sub(r"\s+", "", name or ""), 200)
    if not name:
        return None
    guessed_region, level = guess_region(name)
    s.execute(
        ins(m.Entity)
        .values(name=name, region=region or guessed_region, level=level, created_at=_naive_now())
        .on_conflict_do_nothing(index_elements=["name"])
    )
    entity_id = s.scalar(select(m.Entity.id).where(m.Entity.name == name))
    if region:  # the uploader said where it is: that wins over an earlier guess
        s.execute(update(m.Entity).where(m.Entity.id == entity_id).values(region=region))
    return entity_id


def _naive_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _result(s: Session, doc: m.Document, *, created: bool) -> IngestResult:
    rep = doc.report
    counts: dict[str, int] = {}
    if rep is not None:
        rows = s.execute(
            select(m.Finding.severity, func.count())
            .where(m.Finding.report_id == rep.id)
            .group_by(m.Finding.severity)
        ).all()
        counts = {sev: n for sev, n in rows}
    return IngestResult(
        document_id=doc.id,
        created=created,
        filename=doc.filename,
        sha256=doc.sha256,
        entity=rep.entity.name if rep is not None and rep.entity is not None else None,
        year=rep.year if rep is not None else None,
        evaluations=rep.n_evaluations if rep is not None else 0,
        findings=counts,
    )


def _clip(text: str | None, n: int) -> str | None:
    if text is None:
        return None
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t").strip()
    return text[:n] or None


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return (float(value[0]) + float(value[1])) / 2
    return None


def _bounds(value: Any) -> tuple[float | None, float | None]:
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return float(value[0]), float(value[1])
    if isinstance(value, (int, float)):
        return float(value), float(value)
    return None, None


def _relabel(value: Any, old: str, new: str) -> Any:
    """Locations name the stored file (its hash): give them the uploaded file's name."""
    if isinstance(value, dict):
        return {
            k: (new if k == "file" and v == old else _relabel(v, old, new))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_relabel(v, old, new) for v in value]
    return value


@dataclass
class _Rows:
    """A checked document turned into what the database keeps (computed before the
    transaction, so the transaction only writes)."""

    report: Any  # jixiao.model.Report
    data: dict[str, Any]
    tables: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    evaluations: list[dict[str, Any]]

    @classmethod
    def of(cls, checked: Any, *, stored_name: str, display_name: str) -> _Rows:
        report = checked.report
        report.source = display_name
        data = _relabel(report.to_json(), stored_name, display_name)
        tables = (
            [
                _relabel(table_to_json(t), stored_name, display_name)
                for t in checked.document.tables()
            ]
            if checked.document is not None
            else []
        )
        scored = _score(report)
        evaluations = []
        for k, ev in enumerate(report.evaluations):
            es = scored[k] if k < len(scored) else None
            evaluations.append(_evaluation_row(k, ev, es))
        findings = []
        for k, (f, fp) in enumerate(zip(checked.findings, checked.fingerprints, strict=True)):
            findings.append(
                {
                    "position": k,
                    "evaluation": f.evaluation,
                    "check_id": f.check,
                    "family": f.check.split(".", 1)[0],
                    "severity": f.severity,
                    "message": f.message,
                    "loc": _relabel(f.loc, stored_name, display_name),
                    "evidence": f.evidence,
                    "reported": f.reported,
                    "expected": f.expected,
                    "related": _relabel(list(f.related), stored_name, display_name),
                    "fingerprint": fp,
                }
            )
        return cls(report, data, tables, findings, evaluations)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f["severity"]] = out.get(f["severity"], 0) + 1
        return out

    def build(self, document_id: int, entity_id: int | None, now: datetime) -> m.Report:
        report = self.report
        kinds = sorted({ev.kind for ev in report.evaluations})
        if report.accounts is not None:
            kinds.append("accounts")
        counts = self.counts()
        rep = m.Report(
            document_id=document_id,
            entity_id=entity_id,
            year=report.year,
            source=report.source,
            reader_format=report.format,
            kinds=",".join(kinds),
            has_accounts=report.accounts is not None,
            n_evaluations=len(report.evaluations),
            n_errors=counts.get("error", 0),
            n_warnings=counts.get("warning", 0),
            n_info=counts.get("info", 0),
            warnings=list(report.warnings),
            data=self.data,
            tables=self.tables,
            jixiao_version=__version__,
            checked_at=now,
        )
        evs = []
        for row in self.evaluations:
            ev = m.Evaluation(
                **row["fields"],
                funds=[m.FundRow(**f) for f in row["funds"]],
                indicators=[m.Indicator(**i) for i in row["indicators"]],
            )
            evs.append(ev)
        rep.evaluations = evs
        for f in self.findings:
            fields = {k: v for k, v in f.items() if k != "evaluation"}
            k = f["evaluation"]
            ev = evs[k] if isinstance(k, int) and 0 <= k < len(evs) else None
            rep.findings.append(m.Finding(**fields, evaluation=ev, status="open"))
        return rep


def _score(report: Any) -> list[Any]:
    from jixiao.scoring import score

    try:
        return score(report).evaluations
    except Exception:  # scores are an addition: a document is stored without them
        log.exception("scoring %s failed", report.source)
        return []


def _evaluation_row(k: int, ev: Any, es: Any) -> dict[str, Any]:
    total = next((f for f in ev.funds if f.source == "total"), ev.funds[0] if ev.funds else None)
    rate_computed = None
    if total is not None and total.executed is not None and total.annual_budget:
        rate_computed = round(total.executed / total.annual_budget * 100, 4)
    low, high = _bounds(es.recomputed_range if es is not None else None)
    grade = es.recomputed_grade if es is not None else None
    if isinstance(grade, list):
        grade = "/".join(grade)
    fields = {
        "position": k,
        "kind": ev.kind,
        "title": (ev.title or "")[:300],
        "subject": _clip(ev.subject, 300),
        "competent_dept": _clip(ev.competent_dept, 200),
        "implementing_unit": _clip(ev.implementing_unit, 200),
        "money_unit": ev.money_unit,
        "goal": ev.goal,
        "goal_actual": ev.goal_actual,
        "total_weight": ev.total_weight,
        "total_score": ev.total_score,
        "grade": _clip(ev.grade, 20),
        "framework": es.framework if es is not None else None,
        "sum_printed": es.sum_printed if es is not None else None,
        "recomputed_total": _number(es.recomputed_total) if es is not None else None,
        "recomputed_low": low,
        "recomputed_high": high,
        "recomputed_grade": _clip(grade, 40),
        "annual_budget": total.annual_budget if total is not None else None,
        "executed": total.executed if total is not None else None,
        "rate": total.rate if total is not None else None,
        "rate_computed": rate_computed,
        "table_index": (ev.loc or {}).get("table"),
        "loc": ev.loc,
    }
    funds = [
        {
            "position": j,
            "source": f.source,
            "initial_budget": f.initial_budget,
            "annual_budget": f.annual_budget,
            "executed": f.executed,
            "weight": f.weight,
            "rate": f.rate,
            "score": f.score,
            "loc": f.loc,
        }
        for j, f in enumerate(ev.funds)
    ]
    score_rows = es.rows if es is not None else []
    offset = len(score_rows) - len(ev.indicators)
    indicators = []
    for j, ind in enumerate(ev.indicators):
        row = score_rows[offset + j] if offset >= 0 and offset + j < len(score_rows) else None
        indicators.append(
            {
                "position": j,
                "level1": _clip(ind.level1, 200),
                "level2": _clip(ind.level2, 200),
                "name": ind.name,
                "target": ind.target,
                "actual": ind.actual,
                "weight": ind.weight,
                "score": ind.score,
                "recomputed": row.recomputed
                if row is not None and isinstance(row.recomputed, (int, float))
                else None,
                "score_status": row.status if row is not None else None,
                "note": ind.note,
                "loc": ind.loc,
            }
        )
    return {"fields": fields, "funds": funds, "indicators": indicators}
