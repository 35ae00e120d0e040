"""Text readers: Word-as-text cells, OCR markdown, TSV with HTML, encodings, sniffing."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.document import Paragraph, Table
from jixiao.errors import ReadError
from jixiao.readers import read, read_text
from jixiao.readers.textfile import sniff_text_format

WORD_TEXT = (
    "项目支出绩效自评表\n\n（2023年度）\n"
    "\t项目名称\n\t示例项目\n\n"
    "\t一级\n\n指标\n\t二级指标\n\t分值\n\t得分\n\n"
    "\t产出\n\n指标\n\n(50分）\n\t数量指标\n\t20\n\t18\n\n"
    "\t\n\t质量指标\n\t30\n\t30\n\n\n"
    "后续段落。\n"
)


def test_word_text_cells_rows_continuations_and_paragraphs():
    doc = read_text(WORD_TEXT, "a.txt")
    assert doc.format == "text_cells"
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Paragraph", "Table", "Paragraph"]
    table = doc.tables()[0]
    assert table.texts() == [
        ["项目名称", "示例项目"],
        ["一级 指标", "二级指标", "分值", "得分"],
        ["产出 指标 (50分）", "数量指标", "20", "18"],
        ["", "质量指标", "30", "30"],
    ]
    # every cell knows its lines: the multi-line cell spans 5 lines
    cell = table.rows[2][0]
    lines = WORD_TEXT.split("\n")
    assert (cell.loc.line, cell.loc.line_end) == (
        lines.index("\t产出") + 1,
        lines.index("(50分）") + 1,
    )
    assert doc.blocks[-1].loc.line == WORD_TEXT.split("\n").index("后续段落。") + 1


def test_word_text_trailing_empty_paragraph_does_not_split_a_row():
    # "决策（8分）" ends with empty paragraphs: the next TAB line after two blank lines is still
    # the same row, because together the two pieces make the table's usual width.
    text = (
        "\t一级\n\t二级\n\t三级\n\t分值\n\n"
        "\t决策\n\n（8分）\n\n\n\t项目立项\n\t立项依据\n\t1\n\n"
        "\t\n\t\n\t立项程序\n\t1\n\n"
        "\t\n\t\n\t绩效目标\n\t2\n\n\n正文\n"
    )
    table = read_text(text, "b.txt").tables()[0]
    assert [len(r) for r in table.rows] == [4, 4, 4, 4]
    assert table.rows[1][0].value == "决策 （8分）"


def test_word_text_repeated_header_after_page_break_is_dropped():
    head = "\t一级指标\n\t三级指标\n\t分值\n\t得分\n\n"
    text = head + "\t产出\n\t甲\n\t5\n\t5\n\n\n" + head + "\t\n\t乙\n\t5\n\t4\n\n\n说明\n"
    doc = read_text(text, "c.txt")
    assert len(doc.tables()) == 1
    assert [r[1] for r in doc.tables()[0].texts()] == ["三级指标", "甲", "乙"]


def test_single_cell_table_becomes_paragraphs():
    doc = read_text("标题\n\t五、综述\n第一段。\n\n第二段。\n\n\n尾\n", "d.txt")
    assert not doc.tables()
    assert [p.value for p in doc.paragraphs()] == ["标题", "五、综述", "第一段。", "第二段。", "尾"]


def test_markdown_pipe_tables_br_noise_and_garbled_marks():
    text = (
        "| 财政项目支出绩效自评表 | | |\n|---|---|---|\n"
        "| Ξ | 项目资金<br>(元) | 21,252,800.00 |\n"
        "| ***** | 数量指标 | 20 |\n\n"
        "## 财政项目支出绩效自评表 (2021 年度) 标题被拍平\n"
    )
    doc = read_text(text, "e.md")
    assert doc.format == "markdown"
    table = doc.tables()[0]
    assert table.rows[1][1].text == "项目资金\n(元)"
    assert table.rows[1][0].uncertain  # Greek letter: OCR misread
    assert table.rows[2][0].text == "" and table.rows[2][0].uncertain  # pure noise emptied
    assert isinstance(doc.blocks[-1], Paragraph)
    assert doc.blocks[-1].value.startswith("财政项目支出绩效自评表")


def test_tsv_html_cells_and_page_tables_joined():
    header = "评价指标\t\t分值\t得分\n一级指标\t三级指标\t\t\n"
    text = (
        "附件\n\n"
        + header
        + "决策\t预算编制<p>合理性</p>\t5\t5\n\n"
        + header
        + "\t<ol><li>1. 甲</li><li>2. 乙</li></ol>\t3\t2\n"
    )
    doc = read_text(text, "f.txt")
    assert doc.format == "tsv_html"
    assert len(doc.tables()) == 1
    rows = doc.tables()[0].texts()
    assert rows[2] == ["决策", "预算编制 合理性", "5", "5"]
    assert doc.tables()[0].rows[3][1].text == "1. 甲\n2. 乙"
    assert len(rows) == 4


def test_tsv_html_comparison_signs_are_text_not_tags():
    from jixiao.readers.tsv_html import html_cell_text

    rule = "1. 比率<5%的，得1分； 2. 5%≤比率≤10%的，得0.5分； 3. 比率>10%的，得0分。"
    assert html_cell_text(f"<p>{rule}</p>") == rule
    assert html_cell_text('<ol style="x"><li>甲</li></ol>&lt;b&gt;<!-- 注 -->') == "甲\n<b>"


@pytest.mark.parametrize(
    "encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b"")]
)
def test_encodings(tmp_path: Path, encoding: str, bom: bytes):
    path = tmp_path / "r.txt"
    path.write_bytes(bom + WORD_TEXT.encode(encoding))
    doc = read(path)
    assert doc.tables()[0].rows[0][1].value == "示例项目"
    assert doc.paragraphs()[0].value == "项目支出绩效自评表"


def test_sniffing_is_by_content_not_suffix(tmp_path: Path):
    path = tmp_path / "misnamed.docx"
    path.write_text(WORD_TEXT, encoding="utf-8")
    assert read(path).format == "text_cells"
    assert (
        sniff_text_format("<html><body><table><tr><td>1</td></tr></table></body></html>") == "html"
    )
    assert sniff_text_format("只有一行文字") == "text"


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "文件是空的"),
        (b"PK\x03\x04garbage", "ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Office"),
        (b"\x00\x01\x02binary", "二进制"),
    ],
)
def test_bad_files_raise_one_clear_error(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError) as info:
        read(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path: Path):
    with pytest.raises(ReadError, match="文件不存在"):
        read(tmp_path / "nope.txt")


def test_table_grid_spreads_colspan():
    doc = read_text("\t甲\n\t乙\n\n\t丙\n\t丁\n\n\n", "g.txt")
    table: Table = doc.tables()[0]
    table.rows[0][0].colspan = 1
    assert [[c.value if c else None for c in r] for r in table.grid()] == [
        ["甲", "乙"],
        ["丙", "丁"],
    ]
