"""Recognizers: from a Document to a Report, exactly as the document prints it."""

from __future__ import annotations

import re

from jixiao.accounts.recognize import extract_accounts
from jixiao.document import Document, Paragraph, Table
from jixiao.extract.context import Context, entity_of, year_of
from jixiao.extract.narrative import narrative_figures
from jixiao.extract.ocr import attach, flattened_self_eval, headerless_grid
from jixiao.extract.tables import recognize
from jixiao.extract.text import compact
from jixiao.model import Evaluation, Report, department_wide

GRID_FORMATS = {"docx", "xlsx", "html", "pdf"}
_DEFAULT_TITLE = {
    "project_self": "项目支出绩效自评表",
    "department_self": "部门整体支出绩效评价评分表",
    "project_review": "项目支出绩效评分表",
    "expert_panel": "专家评分表",
}

__all__ = ["extract"]


def extract(doc: Document) -> Report:
    ctx = Context(doc)
    grid_known = doc.format in GRID_FORMATS
    found: list[tuple[int, Evaluation]] = []
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            flat = flattened_self_eval(block) if doc.format == "markdown" else None
            if flat is not None:
                found.append((index, flat))
            continue
        result = recognize(block, grid_known)
        if result is None:
            _continue_previous(block, index, doc, found)
            continue
        ev = result.evaluation
        _complete(ev, index, ctx, found)
        found.append((index, ev))
    evaluations = [ev for _, ev in found]
    entity = entity_of(doc, [ev.competent_dept for ev in evaluations if ev.competent_dept])
    for ev in evaluations:
        if ev.subject is None and (ev.kind == "department_self" or department_wide(ev)):
            ev.subject = entity  # a 部门整体 sheet is about the department itself
    report = Report(
        source=doc.source,
        entity=entity,
        year=year_of(doc),
        evaluations=evaluations,
        format=doc.format,
        warnings=list(doc.warnings),
        figures=narrative_figures(doc),
    )
    if _mentions_final_accounts(doc):
        report.accounts = extract_accounts(doc)
        if report.accounts is not None:
            # the 决算's headings name the department and year where the text layer scattered
            # them out of the sentences the report-level readers look at
            report.year = report.year or report.accounts.year
            report.entity = report.entity or report.accounts.entity
    return report


_ACCOUNTS_TITLE = re.compile(r"决算(总)?表")


def _mentions_final_accounts(doc: Document) -> bool:
    """A cheap look for a 决算表 title before the (slower) recognizer of the nine tables."""
    for block in doc.blocks:
        texts = (
            [block.text]
            if isinstance(block, Paragraph)
            else [c.text for row in block.rows[:3] for c in row]
        )
        if any(_ACCOUNTS_TITLE.search(compact(t)) for t in texts):
            return True
    return False


def _continue_previous(
    table: Table, index: int, doc: Document, found: list[tuple[int, Evaluation]]
) -> None:
    """A headerless table right after a self-evaluation table continues it (OCR splits)."""
    if not found or found[-1][1].kind != "project_self" or doc.format != "markdown":
        return
    if any(isinstance(b, Table) for b in doc.blocks[found[-1][0] + 1 : index]):
        return
    grid = headerless_grid(table)
    if grid is not None:
        attach(found[-1][1], grid)


def _complete(
    ev: Evaluation, index: int, ctx: Context, found: list[tuple[int, Evaluation]]
) -> None:
    """Fill what the table leaves to its surroundings: title, subject, cover fields, grade."""
    if not ev.title:
        same_form = next(
            (e.title for _, e in reversed(found) if e.kind == ev.kind and e.uncertain), None
        )
        ev.title = (
            ctx.title_before(index)
            or (same_form if ev.uncertain else None)
            or _DEFAULT_TITLE[ev.kind]
        )
    if ev.kind in ("project_review", "department_self"):
        ev.kind = "department_self" if "部门" in ev.title and "整体" in ev.title else ev.kind
        if "项目" in ev.title and ev.kind == "department_self" and "部门整体" not in ev.title:
            ev.kind = "project_review"
    if ev.kind == "project_self":
        for field, value in ctx.fields_before(index).items():
            if getattr(ev, field) is None:
                setattr(ev, field, value)
    elif ev.kind in ("project_review", "expert_panel") and ev.subject is None:
        projects = [(i, e.subject) for i, e in found if e.kind == "project_self" and e.subject]
        ev.subject = ctx.subject_before(index, projects)
    if ev.grade is None and ev.kind in ("expert_panel", "project_review", "department_self"):
        ev.grade = ctx.grade_after(index)
