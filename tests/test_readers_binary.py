"""Readers of binary and markup formats: DOCX, XLSX, PDF and HTML.

Every input is built here, in a temporary folder, with the library that writes the format
(python-docx, openpyxl, reportlab), so that the tests say exactly what the file contains.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from jixiao.document import Loc, Paragraph, Table
from jixiao.errors import ReadError
from jixiao.readers import docx as docx_reader
from jixiao.readers import html as html_reader
from jixiao.readers import pdf as pdf_reader
from jixiao.readers import xlsx as xlsx_reader
from jixiao.readers.xlsx import display_value, format_number


def shape(table: Table) -> list[list[tuple[str, int, int, int, bool]]]:
    """(text, col, colspan, rowspan, covered) of every physical cell."""
    return [[(c.value, c.col, c.colspan, c.rowspan, c.covered) for c in row] for row in table.rows]


def kinds(doc) -> list[str]:
    return [type(b).__name__ for b in doc.blocks]


# -- DOCX ---------------------------------------------------------------------------------


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("项目支出绩效自评表")
    d.add_paragraph("   ")  # whitespace only: skipped
    t = d.add_table(rows=4, cols=4)
    t.style = "Table Grid"
    t.cell(0, 1).merge(t.cell(0, 2))  # gridSpan=2
    t.cell(1, 0).merge(t.cell(3, 0))  # vMerge over three rows
    t.cell(0, 0).text = "项目名称"
    t.cell(0, 1).text = "道路维修"
    t.cell(0, 3).text = "（2023年度）"
    t.cell(1, 0).text = "产出指标"
    for r, (name, value) in enumerate([("数量", "17"), ("质量", "合格"), ("时效", "按时")], 1):
        t.cell(r, 1).text = name
        t.cell(r, 2).text = value
    cell = t.cell(1, 3)
    cell.text = "第一段"
    cell.add_paragraph("第二段")
    d.add_paragraph("二、绩效指标")
    t2 = d.add_table(rows=2, cols=2)
    t2.cell(0, 0).text = "指标"
    t2.cell(0, 1).text = "分值"
    t2.cell(1, 0).text = "满意度"
    inner = t2.cell(1, 1).add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "甲", (0, 1): "乙", (1, 0): "丙", (1, 1): "丁"}.items():
        inner.cell(r, c).text = text
    d.add_paragraph("说明：以上数据为年度数据。\n第二行")
    d.save(path)
    return path


def test_docx_blocks_in_document_order(tmp_path: Path) -> None:
    doc = docx_reader.read(make_docx(tmp_path / "自评表.docx"), "自评表.docx")
    assert doc.format == "docx"
    assert kinds(doc) == ["Paragraph", "Table", "Paragraph", "Table", "Paragraph"]
    assert [b.text for b in doc.paragraphs()] == [
        "项目支出绩效自评表",
        "二、绩效指标",
        "说明：以上数据为年度数据。\n第二行",
    ]
    assert [t.index for t in doc.tables()] == [0, 1]
    assert doc.paragraphs()[0].loc.file == "自评表.docx"


def test_docx_horizontal_and_vertical_merges(tmp_path: Path) -> None:
    doc = docx_reader.read(make_docx(tmp_path / "a.docx"), "a.docx")
    table = doc.tables()[0]
    assert shape(table) == [
        [("项目名称", 0, 1, 1, False), ("道路维修", 1, 2, 1, False), ("（2023年度）", 3, 1, 1, False)],
        [("产出指标", 0, 1, 3, False), ("数量", 1, 1, 1, False), ("17", 2, 1, 1, False),
         ("第一段 第二段", 3, 1, 1, False)],
        [("", 0, 1, 1, True), ("质量", 1, 1, 1, False), ("合格", 2, 1, 1, False), ("", 3, 1, 1, False)],
        [("", 0, 1, 1, True), ("时效", 1, 1, 1, False), ("按时", 2, 1, 1, False), ("", 3, 1, 1, False)],
    ]  # fmt: skip
    assert table.rows[1][3].text == "第一段\n第二段"
    assert table.n_cols == 4
    covered = table.rows[2][0]
    assert covered.text == "" and covered.loc.row == 2 and covered.loc.col == 0
    assert table.rows[0][2].loc == table.rows[0][2].loc.at(table=0, row=0, col=3, page=None)
    assert table.grid()[0][2] is table.rows[0][1]  # the merged cell fills both grid columns


def test_docx_nested_table_flattened(tmp_path: Path) -> None:
    doc = docx_reader.read(make_docx(tmp_path / "a.docx"), "a.docx")
    table = doc.tables()[1]
    assert table.rows[1][1].text == "甲\t乙\n丙\t丁"
    assert table.rows[1][1].loc.table == 1
    assert len(doc.tables()) == 2  # the nested table is not a table of its own


def test_docx_grid_before_shifts_columns(tmp_path: Path) -> None:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for c, text in enumerate(["甲", "乙", "丙"]):
        t.cell(0, c).text = text
    t.cell(1, 1).text = "右移"
    tr = t.rows[1]._tr
    tr.remove(tr.tc_lst[0])  # the row starts one grid column in
    tr_pr = tr.get_or_add_trPr()
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    tr_pr.append(before)
    d.save(tmp_path / "g.docx")
    table = docx_reader.read(tmp_path / "g.docx", "g.docx").tables()[0]
    assert [(c.value, c.col) for c in table.rows[1]] == [("右移", 1), ("", 2)]


# -- XLSX ---------------------------------------------------------------------------------


def make_xlsx(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"] = "项目支出绩效自评表"
    ws.merge_cells("A1:E1")  # a full-width title: above the grid, so a paragraph
    ws["A3"] = "项目名称"
    ws["B3"] = "道路维修"
    ws.merge_cells("B3:E3")
    rows = [
        ("年度预算", 21252800, "#,##0.00", "执行率", 0.8315, "0.00%"),
        ("产出指标", 17, "General", "得分", 46.5312, "0.00"),
        (None, 8.315, "General", "完成", 18, "0"),
        (None, 0.1 + 0.2, "General", "日期", dt.datetime(2023, 12, 31), "yyyy-mm-dd"),
    ]
    for r, (a, b, b_fmt, c, d, d_fmt) in enumerate(rows, start=4):
        ws.cell(r, 1, a)
        ws.cell(r, 2, b).number_format = b_fmt
        ws.cell(r, 3, c)
        ws.cell(r, 4, d).number_format = d_fmt
        ws.cell(r, 5, f"备注{r}")
    ws.merge_cells("A5:A7")  # a vertical merge over three rows
    ws["A9"] = "填表人：张三"
    hidden = wb.create_sheet("隐藏")
    hidden["A1"] = "不应读出"
    hidden.sheet_state = "hidden"
    other = wb.create_sheet("附表")
    other.append(["指标", "分值"])
    other.append(["满意度", 10])
    wb.save(path)
    return path


def test_xlsx_title_paragraph_table_and_merges(tmp_path: Path) -> None:
    doc = xlsx_reader.read(make_xlsx(tmp_path / "自评表.xlsx"), "自评表.xlsx")
    assert doc.format == "xlsx"
    assert kinds(doc) == ["Paragraph", "Table", "Paragraph", "Table"]
    title, table, note, annex = doc.blocks
    assert title.text == "项目支出绩效自评表"
    assert title.loc.page == 1 and title.loc.line == 1
    assert note.text == "填表人：张三"
    assert shape(table) == [
        [("项目名称", 0, 1, 1, False), ("道路维修", 1, 4, 1, False)],
        [("年度预算", 0, 1, 1, False), ("21,252,800.00", 1, 1, 1, False), ("执行率", 2, 1, 1, False),
         ("83.15%", 3, 1, 1, False), ("备注4", 4, 1, 1, False)],
        [("产出指标", 0, 1, 3, False), ("17", 1, 1, 1, False), ("得分", 2, 1, 1, False),
         ("46.53", 3, 1, 1, False), ("备注5", 4, 1, 1, False)],
        [("", 0, 1, 1, True), ("8.315", 1, 1, 1, False), ("完成", 2, 1, 1, False),
         ("18", 3, 1, 1, False), ("备注6", 4, 1, 1, False)],
        [("", 0, 1, 1, True), ("0.3", 1, 1, 1, False), ("日期", 2, 1, 1, False),
         ("2023-12-31", 3, 1, 1, False), ("备注7", 4, 1, 1, False)],
    ]  # fmt: skip
    # page: the sheet's position; line: the Excel row; row/col: within the table
    assert table.rows[1][3].loc == Loc("自评表.xlsx", page=1, line=4, table=0, row=1, col=3)
    # the hidden sheet is skipped; the third sheet keeps its position as page number
    assert annex.index == 1 and annex.loc.page == 3
    assert annex.texts() == [["指标", "分值"], ["满意度", "10"]]
    assert "不应读出" not in doc.text()


def test_xlsx_unbordered_caption_rows_peeled_off_bordered_grid(tmp_path: Path) -> None:
    import openpyxl
    from openpyxl.styles import Border, Side

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["填报单位：某局", None, "单位：万元"])  # two cells, but no border: a caption
    ws.append(["指标", "年初预算", "执行数"])
    ws.append(["合计", 100, 83.15])
    thin = Side(style="thin")
    for row in ws.iter_rows(min_row=2, max_row=3):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb.save(tmp_path / "b.xlsx")
    doc = xlsx_reader.read(tmp_path / "b.xlsx", "b.xlsx")
    assert kinds(doc) == ["Paragraph", "Table"]
    assert doc.blocks[0].text == "填报单位：某局\t单位：万元"
    assert doc.tables()[0].texts() == [["指标", "年初预算", "执行数"], ["合计", "100", "83.15"]]


@pytest.mark.parametrize(
    ("fmt", "value", "shown"),
    [
        ("General", 17, "17"),
        ("General", 17.0, "17"),
        ("General", 8.315, "8.315"),
        ("0.00", 46.5312, "46.53"),
        ("0.00", 0.125, "0.13"),  # Excel rounds half away from zero
        ("0.00", 17, "17.00"),
        ("#,##0.00", 21252800, "21,252,800.00"),
        ("#,##0", -1234.5, "-1,235"),
        ("0.00%", 0.8315, "83.15%"),
        ("0%", 1, "100%"),
        ("0.0#", 2.5, "2.5"),
        ('0.00"万元"', 46.5, "46.50万元"),
        ('_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', 1234.5, "1,234.50"),
        ("[$¥-804]#,##0.00", 12.5, "¥12.50"),
        ("@", 3.0, "3"),
    ],
)
def test_xlsx_number_formats(fmt: str, value: float, shown: str) -> None:
    assert format_number(value, fmt) == shown


def test_xlsx_other_values() -> None:
    assert display_value(None) == ""
    assert display_value(True) == "TRUE"
    assert display_value(dt.date(2023, 1, 2)) == "2023-01-02"
    assert display_value(dt.datetime(2023, 1, 2, 8, 30)) == "2023-01-02 08:30:00"
    assert display_value("第一行\r\n第二行") == "第一行\n第二行"


# -- PDF ----------------------------------------------------------------------------------


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _table(data, spans=(), repeat_rows: int = 0, widths=None, style=()):
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    base = [("FONT", (0, 0), (-1, -1), _font()), ("GRID", (0, 0), (-1, -1), 0.5, "black")]
    base += [("SPAN", a, b) for a, b in spans]
    table = RLTable(data, colWidths=widths, repeatRows=repeat_rows)
    table.setStyle(TableStyle([*base, *style]))
    return table


def _cell(text: str):
    """A cell paragraph that wraps Chinese text at the cell width (``<br/>``: a line break)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as RLParagraph

    style = ParagraphStyle("cell", fontName=_font(), fontSize=8, leading=10.5, wordWrap="CJK")
    return RLParagraph(text, style)


def _build_pdf(path: Path, flowables, page_numbers: bool = False, running: str = "") -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    def footer(canvas, doc) -> None:
        canvas.setFont(_font(), 9)
        if page_numbers:
            canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")
        if running:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 40, running)

    SimpleDocTemplate(str(path), pagesize=A4).build(
        flowables, onFirstPage=footer, onLaterPages=footer
    )
    return path


def _para(text: str):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as RLParagraph

    style = ParagraphStyle("body", fontName=_font(), fontSize=11, leading=16, firstLineIndent=22)
    return RLParagraph(text, style)


def test_pdf_chinese_text_and_spanned_table(tmp_path: Path) -> None:
    data = [
        ["项目名称", "道路维修", "", ""],
        ["产出指标", "数量", "17", "46.53"],
        ["", "质量", "合格", "83.15%"],
        ["效益指标", "满意度", "95%", "90"],
    ]
    table = _table(data, spans=[((1, 0), (3, 0)), ((0, 1), (0, 2))])
    long = (
        "本项目年度绩效目标为完成城区主干道路维修改造工程，保障市民出行安全，"
        "提升道路通行能力和城市形象，全年计划维修道路十二条，总面积约三万平方米。"
    )
    path = _build_pdf(tmp_path / "自评表.pdf", [_para("项目支出绩效自评表"), table, _para(long)])
    doc = pdf_reader.read(path, "自评表.pdf")
    assert doc.format == "pdf"
    assert kinds(doc) == ["Paragraph", "Table", "Paragraph"]
    assert doc.blocks[0].text == "项目支出绩效自评表"
    assert doc.blocks[0].loc.page == 1 and doc.blocks[0].loc.line == 1
    assert shape(doc.tables()[0]) == [
        [("项目名称", 0, 1, 1, False), ("道路维修", 1, 3, 1, False)],
        [("产出指标", 0, 1, 2, False), ("数量", 1, 1, 1, False), ("17", 2, 1, 1, False),
         ("46.53", 3, 1, 1, False)],
        [("", 0, 1, 1, True), ("质量", 1, 1, 1, False), ("合格", 2, 1, 1, False),
         ("83.15%", 3, 1, 1, False)],
        [("效益指标", 0, 1, 1, False), ("满意度", 1, 1, 1, False), ("95%", 2, 1, 1, False),
         ("90", 3, 1, 1, False)],
    ]  # fmt: skip
    cell = doc.tables()[0].rows[1][3]
    assert (cell.loc.page, cell.loc.table, cell.loc.row, cell.loc.col) == (1, 0, 1, 3)
    # the paragraph wrapped over two lines is one Paragraph, the wrap joined without a space
    wrapped = doc.blocks[2]
    assert wrapped.text == long
    assert (wrapped.loc.line, wrapped.loc.line_end) == (2, 3)


@pytest.mark.parametrize(("repeat_rows", "page_numbers"), [(1, False), (0, False), (1, True)])
def test_pdf_table_split_over_pages_is_joined(
    tmp_path: Path, repeat_rows: int, page_numbers: bool
) -> None:
    data = [["序号", "指标名称", "指标值"]]
    data += [[str(i), f"指标{i}", f"{i * 1.5:.2f}"] for i in range(1, 71)]
    path = _build_pdf(
        tmp_path / "long.pdf",
        [_para("二、绩效指标"), _table(data, repeat_rows=repeat_rows), _para("说明：完")],
        page_numbers=page_numbers,
    )
    doc = pdf_reader.read(path, "long.pdf")
    if page_numbers:  # printed page numbers stay paragraphs but do not split the table
        numbers = [p for p in doc.paragraphs() if p.text.startswith("- ")]
        assert [p.text for p in numbers[:2]] == ["- 1 -", "- 2 -"]
        doc.blocks = [b for b in doc.blocks if b not in numbers]
    assert kinds(doc) == ["Paragraph", "Table", "Paragraph"]
    table = doc.tables()[0]
    assert table.texts() == data  # one table, the repeated headers dropped
    pages = {c.loc.page for c in table.cells()}
    assert len(pages) >= 2
    assert [c.row for c in table.rows[-1]] == [70, 70, 70]
    assert {c.loc.table for c in table.cells()} == {0}
    assert doc.blocks[-1].loc.page == max(pages)


def test_pdf_text_between_pages_keeps_tables_apart(tmp_path: Path) -> None:
    from reportlab.platypus import PageBreak

    first = _table([["指标", "分值"], ["数量", "10"]])
    second = _table([["指标", "分值"], ["质量", "20"]])
    path = _build_pdf(tmp_path / "two.pdf", [first, PageBreak(), _para("三、其他"), second])
    doc = pdf_reader.read(path, "two.pdf")
    assert kinds(doc) == ["Table", "Paragraph", "Table"]
    assert [t.index for t in doc.tables()] == [0, 1]
    assert doc.tables()[1].loc.page == 2


def test_pdf_wrapped_cell_text_is_joined_and_line_breaks_kept(tmp_path: Path) -> None:
    data = [
        [_cell("三级指标"), _cell("偏差原因分析及改进措施"), _cell("项目资金<br/>（万元）")],
        [_cell("财政供养人员控制率"), _cell("Budget execution rate"), _cell("达到96.9%")],
        [_cell("指标"), _cell("1．完成抽检；<br/>2．结果按时公布。"), _cell("")],
    ]
    table = _table(data, widths=[50, 70, 70], style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    doc = pdf_reader.read(_build_pdf(tmp_path / "wrap.pdf", [table]), "wrap.pdf")
    (table,) = doc.tables()
    assert [[c.text for c in row] for row in table.rows] == [
        ["三级指标", "偏差原因分析及改进措施", "项目资金\n（万元）"],
        ["财政供养人员控制率", "Budget execution rate", "达到96.9%"],
        ["指标", "1．完成抽检；\n2．结果按时公布。", ""],
    ]


def test_pdf_vertically_centred_merged_label_is_on_the_anchor(tmp_path: Path) -> None:
    data = [["一级指标", "二级指标", "分值"], ["产出指标", "数量", "10"], ["", "质量", "20"]]
    data += [["", "时效", "30"], ["效益指标", "满意度", "40"]]
    table = _table(data, spans=[((0, 1), (0, 3))], style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    doc = pdf_reader.read(_build_pdf(tmp_path / "mid.pdf", [table]), "mid.pdf")
    assert [row[0] for row in shape(doc.tables()[0])] == [
        ("一级指标", 0, 1, 1, False),
        ("产出指标", 0, 1, 3, False),
        ("", 0, 1, 1, True),
        ("", 0, 1, 1, True),
        ("效益指标", 0, 1, 1, False),
    ]


def test_pdf_split_table_whose_pages_have_different_column_edges(tmp_path: Path) -> None:
    """On the first page every row spans the middle columns: one column edge is missing."""
    data = [["项目名称", "道路维修", "", "备注"]]
    data += [[f"资金{i}", f"{i}.00", "", ""] for i in range(1, 51)]
    data += [[f"指标{i}", "数量", str(i), ""] for i in range(1, 31)]
    spans = [((1, r), (2, r)) for r in range(51)]
    path = _build_pdf(tmp_path / "cols.pdf", [_table(data, spans=spans)])
    doc = pdf_reader.read(path, "cols.pdf")
    assert kinds(doc) == ["Table"]
    table = doc.tables()[0]
    assert table.n_cols == 4 and table.n_rows == 81
    assert len({c.loc.page for c in table.cells()}) >= 2
    assert shape(table)[1] == [("资金1", 0, 1, 1, False), ("1.00", 1, 2, 1, False),
                               ("", 3, 1, 1, False)]  # fmt: skip
    assert shape(table)[-1] == [("指标30", 0, 1, 1, False), ("数量", 1, 1, 1, False),
                                ("30", 2, 1, 1, False), ("", 3, 1, 1, False)]  # fmt: skip


@pytest.mark.parametrize("text_on_second_page", [False, True])
def test_pdf_merged_cell_cut_by_the_page_break(tmp_path: Path, text_on_second_page: bool) -> None:
    """Word draws a merged cell cut by a page break as one box on each page."""
    from reportlab.platypus import PageBreak

    widths = [80, 120, 60]
    top, bottom = ("", "产出指标") if text_on_second_page else ("产出指标", "")
    first = [["一级指标", "三级指标", "分值"], [top, "数量", "10"], ["", "质量", "20"]]
    second = [[bottom, "时效", "30"], ["", "成本", "40"], ["效益指标", "满意度", "50"]]
    path = _build_pdf(
        tmp_path / "cut.pdf",
        [
            _table(first, spans=[((0, 1), (0, 2))], widths=widths),
            PageBreak(),
            _table(second, spans=[((0, 0), (0, 1))], widths=widths),
        ],
    )
    doc = pdf_reader.read(path, "cut.pdf")
    assert kinds(doc) == ["Table"]
    assert [row[0] for row in shape(doc.tables()[0])] == [
        ("一级指标", 0, 1, 1, False),
        ("产出指标", 0, 1, 4, False),
        ("", 0, 1, 1, True),
        ("", 0, 1, 1, True),
        ("", 0, 1, 1, True),
        ("效益指标", 0, 1, 1, False),
    ]
    assert [c.loc.page for c in doc.tables()[0].rows[3]] == [2, 2, 2]


def test_pdf_running_header_does_not_split_a_table(tmp_path: Path) -> None:
    data = [["序号", "指标名称", "指标值"]]
    data += [[str(i), f"指标{i}", f"{i}"] for i in range(1, 151)]
    path = _build_pdf(
        tmp_path / "head.pdf",
        [_table(data, repeat_rows=1), _para("说明：完")],
        running="示例市财政局2023年度部门决算",
    )
    doc = pdf_reader.read(path, "head.pdf")
    heads = [p for p in doc.paragraphs() if p.text == "示例市财政局2023年度部门决算"]
    assert len(heads) >= 3  # kept as paragraphs
    doc.blocks = [b for b in doc.blocks if b not in heads]
    assert kinds(doc) == ["Table", "Paragraph"]
    assert doc.tables()[0].texts() == data


def test_pdf_text_drawn_twice_for_bold_is_read_once(tmp_path: Path) -> None:
    """Some producers fake bold by drawing each glyph twice, a fraction of a point apart."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(tmp_path / "bold.pdf"))
    c.setFont(_font(), 14)
    for dx in (0, 0.3):  # the heading twice
        c.drawString(100 + dx, 700, "部门整体支出绩效自评表")
    c.drawString(100, 670, "预算执行率为98.5%。")  # and a line once
    c.showPage()
    c.save()
    doc = pdf_reader.read(tmp_path / "bold.pdf", "bold.pdf")
    assert [b.text for b in doc.blocks] == ["部门整体支出绩效自评表", "预算执行率为98.5%。"]


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(tmp_path / "scan.pdf"))
    c.rect(100, 100, 200, 300, fill=1)  # stands for a scanned image: no characters
    c.showPage()
    c.save()
    with pytest.raises(ReadError, match="没有文本层") as err:
        pdf_reader.read(tmp_path / "scan.pdf", "scan.pdf")
    assert "scan.pdf" in str(err.value)


def test_pdf_encrypted(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(tmp_path / "lock.pdf"), encrypt=StandardEncryption("secret", "owner"))
    c.drawString(100, 700, "locked")
    c.save()
    with pytest.raises(ReadError, match="已加密"):
        pdf_reader.read(tmp_path / "lock.pdf", "lock.pdf")


# -- corrupt files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "name", "head"),
    [
        (docx_reader, "坏.docx", b""),
        (docx_reader, "truncated.docx", b"PK\x03\x04"),
        (xlsx_reader, "坏.xlsx", b""),
        (xlsx_reader, "old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
        (pdf_reader, "坏.pdf", b""),
        (pdf_reader, "truncated.pdf", b"%PDF-1.4\n"),
    ],
)
def test_corrupt_files_raise_read_error(tmp_path: Path, reader, name: str, head: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(head + random.Random(name).randbytes(4096))
    with pytest.raises(ReadError) as err:
        reader.read(path, name)
    assert str(err.value).startswith(f"{name}: ")


def test_zip_of_the_wrong_kind_is_not_a_docx(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "book.xlsx").rename(tmp_path / "book.docx")
    with pytest.raises(ReadError, match="DOCX"):
        docx_reader.read(path, "book.docx")


# -- HTML ---------------------------------------------------------------------------------

HTML = """<html><head><title>不显示</title><style>td { color: red }</style></head>
<body>
<h1>项目支出绩效自评表</h1>
<p>单位：万元 &amp; 元<br>（2023年度）</p>
<table border="1">
  <tr><th colspan="2">项目名称</th><td>道路&lt;维修&gt;&nbsp;</td></tr>
  <tr><td rowspan="3">产出指标</td><td>数量</td><td>17</td></tr>
  <tr><td>质量</td><td>合格<br/>优秀</td>
  <tr><td>时效</td><td><table><tr><td>甲</td><td>乙</td></tr></table></td></tr>
  <tr><td>合计</td><td colspan="2">100</td></tr>
</table>
<script>document.write("<p>不显示</p>")</script>
<div>说明：
   以上数据</div>
</body></html>
"""


def test_html_blocks_spans_and_text() -> None:
    doc = html_reader.read_text(HTML, "a.html")
    assert doc.format == "html"
    assert kinds(doc) == ["Paragraph", "Paragraph", "Table", "Paragraph"]
    assert [p.text for p in doc.paragraphs()] == [
        "项目支出绩效自评表",
        "单位：万元 & 元\n（2023年度）",
        "说明： 以上数据",
    ]
    assert [p.loc.line for p in doc.paragraphs()] == [3, 4, 13]
    assert doc.paragraphs()[2].loc.line_end == 14
    table = doc.tables()[0]
    assert shape(table) == [
        [("项目名称", 0, 2, 1, False), ("道路<维修>", 2, 1, 1, False)],
        [("产出指标", 0, 1, 3, False), ("数量", 1, 1, 1, False), ("17", 2, 1, 1, False)],
        [("", 0, 1, 1, True), ("质量", 1, 1, 1, False), ("合格 优秀", 2, 1, 1, False)],
        [("", 0, 1, 1, True), ("时效", 1, 1, 1, False), ("甲 乙", 2, 1, 1, False)],
        [("合计", 0, 1, 1, False), ("100", 1, 2, 1, False)],
    ]  # fmt: skip
    assert table.rows[2][2].text == "合格\n优秀"
    assert table.rows[3][2].text == "甲\t乙"
    assert table.rows[1][2].loc == table.rows[1][2].loc.at(table=0, row=1, col=2, line=7)
    assert "不显示" not in doc.text()


def test_html_rowspan_pushes_later_cells_right_and_is_cut_at_table_end() -> None:
    doc = html_reader.read_text(
        "<table><tr><td>甲</td><td rowspan=5>乙</td><td>丙</td></tr>"
        "<tr><td>丁</td><td>戊</td></table>",
        "b.html",
    )
    assert shape(doc.tables()[0]) == [
        [("甲", 0, 1, 1, False), ("乙", 1, 1, 2, False), ("丙", 2, 1, 1, False)],
        [("丁", 0, 1, 1, False), ("", 1, 1, 1, True), ("戊", 2, 1, 1, False)],
    ]


def test_html_read_decodes_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "gbk.html"
    path.write_bytes(
        "<p>绩效自评</p><table><tr><td>得分</td><td>90</td></tr></table>".encode("gb18030")
    )
    doc = html_reader.read(path, "gbk.html")
    assert doc.paragraphs()[0].text == "绩效自评"
    assert doc.tables()[0].texts() == [["得分", "90"]]
    assert doc.path == str(path)


def test_paragraph_blocks_are_paragraph_instances(tmp_path: Path) -> None:
    doc = html_reader.read_text("<p>一</p><p>二</p>", "c.html")
    assert all(isinstance(b, Paragraph) for b in doc.blocks) and len(doc.blocks) == 2
