"""The JSON API's shapes (they make the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from jixiao.store import models as m
from jixiao.store.queries import DocRow, FindingRow

Status = Literal["open", "accepted", "rejected"]


class Problem(BaseModel):
    detail: str = Field(description="中文说明")


class EntityOut(BaseModel):
    id: int
    name: str
    region: str | None = None
    level: str | None = None

    @classmethod
    def of(cls, e: m.Entity | None) -> EntityOut | None:
        if e is None:
            return None
        return cls(id=e.id, name=e.name, region=e.region, level=e.level)


class EntityStats(EntityOut):
    documents: int = 0
    errors: int = 0
    warnings: int = 0
    open: int = 0


class EntityPatch(BaseModel):
    region: str | None = Field(default=None, max_length=100, description="地区，如 示例市临江区")
    level: str | None = Field(
        default=None, max_length=20, description="层级：省级/市级/区县级/乡镇级"
    )


class Counts(BaseModel):
    error: int = 0
    warning: int = 0
    info: int = 0


class ReviewCounts(BaseModel):
    open: int = 0
    accepted: int = 0
    rejected: int = 0


class DocumentSummary(BaseModel):
    id: int
    filename: str
    sha256: str
    size: int
    format: str = Field(description="按内容识别：pdf | docx | xlsx | text")
    reader_format: str | None = None
    uploaded_at: datetime
    uploader: str | None = None
    entity: EntityOut | None = None
    year: int | None = None
    kinds: list[str] = Field(default_factory=list)
    evaluations: int = 0
    findings: Counts = Field(description="未驳回的问题数，按级别")
    review: ReviewCounts
    url: str

    @classmethod
    def of(cls, row: DocRow) -> DocumentSummary:
        d, r = row.document, row.report
        return cls(
            id=d.id,
            filename=d.filename,
            sha256=d.sha256,
            size=d.size,
            format=d.format,
            reader_format=r.reader_format,
            uploaded_at=d.uploaded_at,
            uploader=d.uploader,
            entity=EntityOut.of(row.entity),
            year=r.year,
            kinds=[k for k in r.kinds.split(",") if k],
            evaluations=r.n_evaluations,
            findings=Counts(error=row.errors, warning=row.warnings, info=row.info),
            review=ReviewCounts(open=row.open, accepted=row.accepted, rejected=row.rejected),
            url=f"/documents/{d.id}",
        )


class UploadOut(BaseModel):
    created: bool = Field(description="false：同一文件（相同 SHA-256）此前已上传，返回原文档")
    message: str
    document: DocumentSummary


class DocumentList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[DocumentSummary]


class EvaluationOut(BaseModel):
    id: int
    position: int
    kind: str
    title: str
    subject: str | None = None
    total_score: float | None = Field(None, description="印刷的总分")
    recomputed_total: float | None = Field(None, description="按规则复算的总分")
    recomputed_range: list[float] | None = Field(None, description="规则允许的总分区间")
    grade: str | None = None
    recomputed_grade: str | None = None
    framework: str | None = None
    money_unit: str | None = None
    annual_budget: float | None = None
    executed: float | None = None
    rate: float | None = Field(None, description="执行率（印刷，%）")
    rate_computed: float | None = Field(None, description="执行数 ÷ 全年预算数（%）")

    @classmethod
    def of(cls, ev: m.Evaluation) -> EvaluationOut:
        rng = (
            [ev.recomputed_low, ev.recomputed_high]
            if ev.recomputed_low is not None and ev.recomputed_high is not None
            else None
        )
        return cls(
            id=ev.id,
            position=ev.position,
            kind=ev.kind,
            title=ev.title,
            subject=ev.subject,
            total_score=ev.total_score,
            recomputed_total=ev.recomputed_total,
            recomputed_range=rng,
            grade=ev.grade,
            recomputed_grade=ev.recomputed_grade,
            framework=ev.framework,
            money_unit=ev.money_unit,
            annual_budget=ev.annual_budget,
            executed=ev.executed,
            rate=ev.rate,
            rate_computed=ev.rate_computed,
        )


class DocumentDetail(DocumentSummary):
    warnings: list[str] = Field(default_factory=list)
    evaluation_details: list[EvaluationOut] = Field(default_factory=list)
    report_url: str = Field(description="交换 JSON（jixiao extract 的输出）")
    findings_url: str
    file_url: str = Field(description="原文件下载")


class FindingOut(BaseModel):
    id: int
    document_id: int
    evaluation_id: int | None = None
    check: str = Field(description="检查项 id，如 funds.rate_mismatch")
    family: str
    severity: Literal["error", "warning", "info"]
    message: str
    loc: dict[str, Any] | None = None
    evidence: str | None = None
    reported: str | None = None
    expected: str | None = None
    related: list[dict[str, Any]] = Field(default_factory=list)
    fingerprint: str
    status: Status
    comment: str | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    url: str

    @classmethod
    def of(cls, f: m.Finding, document_id: int) -> FindingOut:
        return cls(
            id=f.id,
            document_id=document_id,
            evaluation_id=f.evaluation_id,
            check=f.check_id,
            family=f.family,
            severity=f.severity,  # type: ignore[arg-type]
            message=f.message,
            loc=f.loc,
            evidence=f.evidence,
            reported=f.reported,
            expected=f.expected,
            related=list(f.related or []),
            fingerprint=f.fingerprint,
            status=f.status,  # type: ignore[arg-type]
            comment=f.comment,
            reviewed_by=f.reviewed_by,
            reviewed_at=f.reviewed_at,
            url=f"/documents/{document_id}#finding-{f.id}",
        )

    @classmethod
    def of_row(cls, row: FindingRow) -> FindingOut:
        return cls.of(row.finding, row.document.id)


class FindingList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[FindingOut]


class ReviewIn(BaseModel):
    status: Status = Field(
        description="open 待复核 | accepted 已接受（确有问题）| rejected 已驳回（误报）"
    )
    comment: str | None = Field(default=None, max_length=2000, description="复核意见")
    reviewer: str | None = Field(default=None, max_length=100, description="复核人")
