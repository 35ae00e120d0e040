"""One writer per format; every writer prints the same blocks from ``layout.blocks``.

Writers are deterministic: the office formats get fixed core-property dates and fixed ZIP
entry times, the PDF is written with reportlab's ``invariant`` mode.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.run import Run
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from jixiao.synth.content import SampleReport
from jixiao.synth.fmt import parse_num
from jixiao.synth.layout import GCell, Grid, Para, blocks

ALL_FORMATS: tuple[str, ...] = ("txt", "md", "tsv", "docx", "xlsx", "pdf", "html")
SUFFIXES = {"tsv": ".tsv.txt"}
FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)
FONT = "SimSun"  # western name of 宋体; the east-asian slot gets 宋体 itself


def suffix(fmt: str) -> str:
    return SUFFIXES.get(fmt, f".{fmt}")


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def _anchor(cell: GCell, r: int, c: int) -> bool:
    return (cell.row, cell.col) == (r, c)


# -- txt: Word's "save as plain text" ---------------------------------------------------------


def _txt_row(grid: Grid, owner: dict[tuple[int, int], GCell], r: int) -> list[str]:
    """One row: each physical cell opens with a TAB line; a horizontal merge prints once,
    a position under a vertical merge prints as an empty cell."""
    lines: list[str] = []
    for c in range(grid.ncols):
        cell = owner[(r, c)]
        if cell.col != c:
            continue
        text = cell.text if cell.row == r else ""
        first, *rest = text.split("\n")
        lines.append("\t" + first)
        lines.extend(rest)
    return lines


def write_txt(report: SampleReport, path: Path) -> None:
    chunks: list[str] = []
    for block in blocks(report):
        if isinstance(block, Para):
            chunks.append(block.text + "\n\n")  # a paragraph, then a blank line
            continue
        owner = block.owner()
        rows = ["\n".join(_txt_row(block, owner, r)) + "\n" for r in range(block.nrows)]
        chunks.append("\n".join(rows) + "\n\n")  # one blank line between rows, two after
    _write_text(path, "".join(chunks))


# -- md: what an OCR tool emits ------------------------------------------------------------------


def write_md(report: SampleReport, path: Path) -> None:
    out: list[str] = []
    for block in blocks(report):
        if isinstance(block, Para):
            out += [block.text, ""]
            continue
        rows = [[t.replace("\n", "<br>") for t in row] for row in block.rows()]
        out.append("| " + " | ".join(rows[0]) + " |")
        out.append("|" + "---|" * block.ncols)
        out += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        out.append("")
    _write_text(path, "\n".join(out))


# -- tsv: TAB rows with HTML inside cells ---------------------------------------------------------


def _tsv_cell(text: str) -> str:
    lines = text.split("\n")
    return text if len(lines) == 1 else "".join(f"<p>{line}</p>" for line in lines)


def write_tsv(report: SampleReport, path: Path) -> None:
    out: list[str] = []
    for block in blocks(report):
        if isinstance(block, Para):
            out.append(block.text)
            continue
        out.append("")
        out += ["\t".join(_tsv_cell(t) for t in row) for row in block.rows()]
        out.append("")
    _write_text(path, "\n".join(out) + "\n")


# -- html -----------------------------------------------------------------------------------------


def write_html(report: SampleReport, path: Path) -> None:
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        '<head><meta charset="utf-8">',
        f"<title>{html.escape(report.entity)}{report.year}年度</title></head>",
        "<body>",
    ]
    for block in blocks(report):
        if isinstance(block, Para):
            out.append(f"<p>{html.escape(block.text)}</p>")
            continue
        out.append('<table border="1">')
        owner = block.owner()
        for r in range(block.nrows):
            cells = []
            for c in range(block.ncols):
                cell = owner[(r, c)]
                if not _anchor(cell, r, c):
                    continue
                tag = "th" if cell.header else "td"
                span = "".join(
                    f' {name}="{n}"'
                    for name, n in (("rowspan", cell.rowspan), ("colspan", cell.colspan))
                    if n > 1
                )
                text = "<br>".join(html.escape(line) for line in cell.text.split("\n"))
                cells.append(f"<{tag}{span}>{text}</{tag}>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table>")
    out += ["</body>", "</html>", ""]
    _write_text(path, "\n".join(out))


# -- docx -----------------------------------------------------------------------------------------


def _east_asian(run: Run, size: float | None = None, bold: bool = False) -> None:
    """SimSun for western text, 宋体 in the east-asian slot (w:eastAsia) for the Chinese."""
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    if size:
        run.font.size = Pt(size)
    run.font.bold = bold or None


def docx_grid(doc: DocxDocument, grid: Grid, size: float = 9) -> None:
    """A Grid as a Word table: merges through gridSpan / vMerge, one run per line."""
    table = doc.add_table(rows=grid.nrows, cols=grid.ncols)
    table.style = "Table Grid"
    usable = 16.0  # cm of an A4 page between default margins
    for c, w in enumerate(grid.widths):
        table.columns[c].width = Cm(usable * w / sum(grid.widths))
    snapshot = table._cells  # one snapshot: table.cell() rebuilds the whole grid at every call
    width = grid.ncols
    for cell in grid.cells:
        target = snapshot[cell.row * width + cell.col]
        if cell.rowspan > 1 or cell.colspan > 1:  # python-docx writes gridSpan / vMerge
            last_row, last_col = cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1
            target = target.merge(snapshot[last_row * width + last_col])
        for extra in target.paragraphs[1:]:  # merging leaves the covered cells' paragraphs
            extra._element.getparent().remove(extra._element)
        for k, line in enumerate(cell.text.split("\n")):
            para = target.paragraphs[0] if k == 0 else target.add_paragraph()
            if cell.header:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if line:
                _east_asian(para.add_run(line), size, bold=cell.header)


def new_docx(title: str) -> DocxDocument:
    """A Word document with 宋体 as its font and fixed core properties (same bytes each run)."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    props = doc.core_properties
    props.title = title
    props.author = props.last_modified_by = "jixiao synth"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    return doc


def save_docx(doc: DocxDocument, path: Path) -> None:
    buf = io.BytesIO()
    doc.save(buf)
    write_fixed_zip(path, buf.getvalue())


def write_docx(report: SampleReport, path: Path) -> None:
    doc = new_docx(f"{report.entity}{report.year}年度部门决算说明")
    for block in blocks(report):
        if isinstance(block, Grid):
            docx_grid(doc, block)
            continue
        para = doc.add_paragraph()
        if block.role in ("title", "subtitle"):
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        size = {"title": 14, "heading": 12}.get(block.role, 10.5)
        _east_asian(para.add_run(block.text), size, bold=block.role in ("title", "heading"))
    save_docx(doc, path)


# -- xlsx -----------------------------------------------------------------------------------------


def _xlsx_value(cell: GCell, money_unit: str | None) -> tuple[object, str | None]:
    """Plain numbers as numbers: amounts with a money format, rates as fractions in %."""
    value = None if cell.kind == "text" else parse_num(cell.text)
    if value is None:  # text, or an empty / "—" cell
        return cell.text or None, None
    if cell.kind == "amount":
        return value, "#,##0.00" if money_unit == "元" else "0.00"
    if cell.kind == "rate":
        return round(value / 100, 6), "0.00%"
    return (int(value) if value.is_integer() else value), None


def new_workbook() -> Workbook:
    """An empty workbook with fixed properties (same bytes each run)."""
    wb = Workbook()
    wb.properties.creator = wb.properties.lastModifiedBy = "jixiao synth"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    return wb


def save_workbook(wb: Workbook, path: Path) -> None:
    buf = io.BytesIO()
    # ExcelWriter rather than wb.save: save() stamps "modified" with the current time
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    write_fixed_zip(path, buf.getvalue())


def xlsx_grid(
    ws: Worksheet, top: int, grid: Grid, value_of: Callable[[GCell], tuple[object, str | None]]
) -> None:
    """A Grid from row ``top``: values (with their number format), merged ranges, borders."""
    font = Font(name="宋体", size=10)
    bold = Font(name="宋体", size=10, bold=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in grid.cells:
        value, number_format = value_of(cell)
        target = ws.cell(top + cell.row, 1 + cell.col, value)
        target.font = bold if cell.header else font
        target.alignment = Alignment(wrap_text=True, vertical="center")
        if number_format:
            target.number_format = number_format
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(
                start_row=top + cell.row,
                start_column=1 + cell.col,
                end_row=top + cell.row + cell.rowspan - 1,
                end_column=cell.col + cell.colspan,
            )
    for r in range(grid.nrows):
        for c in range(grid.ncols):
            ws.cell(top + r, 1 + c).border = border


def write_xlsx(report: SampleReport, path: Path) -> None:
    wb = new_workbook()
    ws = wb.active
    ws.title = report.stem[:31]
    ws.column_dimensions["A"].width = 14
    row = 1
    items = blocks(report)
    for k, block in enumerate(items):
        if isinstance(block, Para):
            ws.cell(row, 1, block.text).font = Font(name="宋体", size=11, bold=block.role != "body")
            row += 2 if k + 1 < len(items) and isinstance(items[k + 1], Grid) else 1
            continue
        xlsx_grid(ws, row, block, lambda cell, unit=block.money_unit: _xlsx_value(cell, unit))
        for c in range(1, block.ncols):
            letter = get_column_letter(1 + c)
            ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, 12)
        row += block.nrows + 1  # a blank row after each table
    save_workbook(wb, path)


def write_fixed_zip(path: Path, data: bytes) -> None:
    """Rewrite a ZIP package with fixed entry times so the same content gives the same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    path.write_bytes(out.getvalue())


# -- pdf ------------------------------------------------------------------------------------------


def write_pdf(report: SampleReport, path: Path) -> None:
    # reportlab is a dev extra: imported only when a PDF is asked for
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font = "STSong-Light"
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    styles = {
        "body": body,
        "heading": ParagraphStyle("heading", body, fontSize=12, leading=18, spaceBefore=4),
        "title": ParagraphStyle("title", body, fontSize=14, leading=20, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", body, alignment=TA_CENTER),
    }
    cell_style = ParagraphStyle("cell", body, fontSize=8, leading=10.5)
    head_style = ParagraphStyle("head", cell_style, alignment=TA_CENTER)
    margin = 2 * cm
    usable = A4[0] - 2 * margin
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=margin, title=f"{report.entity}{report.year}年度部门决算说明",
        author="jixiao synth", creator="jixiao synth", invariant=1,
    )  # fmt: skip
    story: list[object] = []
    for block in blocks(report):
        if isinstance(block, Para):
            story.append(Paragraph(escape(block.text), styles[block.role]))
            continue
        story += [pdf_table(block, usable, cell_style, head_style), Spacer(1, 8)]
    doc.build(story)


def pdf_table(grid: Grid, usable: float, cell_style: object, head_style: object) -> object:
    """A Grid as a ruled reportlab Table across ``usable`` points, merges as SPANs."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    data: list[list[object]] = [[""] * grid.ncols for _ in range(grid.nrows)]
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for cell in grid.cells:
        text = "<br/>".join(escape(line) for line in cell.text.split("\n"))
        data[cell.row][cell.col] = Paragraph(text, head_style if cell.header else cell_style)
        if cell.rowspan > 1 or cell.colspan > 1:
            end = (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1)
            commands.append(("SPAN", (cell.col, cell.row), end))
    widths = [usable * w / sum(grid.widths) for w in grid.widths]
    return Table(data, colWidths=widths, style=TableStyle(commands))


WRITERS: dict[str, Callable[[SampleReport, Path], None]] = {
    "txt": write_txt,
    "md": write_md,
    "tsv": write_tsv,
    "docx": write_docx,
    "xlsx": write_xlsx,
    "pdf": write_pdf,
    "html": write_html,
}


def write_all(
    report: SampleReport, out_dir: Path, formats: Iterable[str] = ALL_FORMATS
) -> list[Path]:
    """Write ``report`` in each format as ``<out_dir>/<stem><suffix>``; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = out_dir / f"{report.stem}{suffix(fmt)}"
        WRITERS[fmt](report, path)
        paths.append(path)
    return paths
