"""Text files: decoding (UTF-8 with or without BOM, GB18030) and layout sniffing."""

from __future__ import annotations

import re

from jixiao.document import Document, Loc, Paragraph
from jixiao.errors import ReadError

_HTML_DOC = re.compile(r"<(?:html|table|body)\b", re.I)
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$", re.M)
_TAB_THEN_TAB = re.compile(r"\n\t[^\t\n]*\t")  # a line starting with a TAB, and another
_TSV_LINE = re.compile(r"\t[^\t\n]*\t[^\n]*")  # from a line's first TAB to its end


def decode_text(data: bytes, source: str) -> str:
    """Decode a text file: BOM first, then strict UTF-8, then GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_utf16(data, source)
    if b"\x00" in data[:4096]:
        raise ReadError(source, "不是可识别的文档：内容是二进制数据")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise ReadError(source, "无法识别的文本编码（既不是 UTF-8 也不是 GB18030）")


def _decode_utf16(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-16").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        raise ReadError(source, "UTF-16 文本解码失败") from None


def sniff_text_format(text: str) -> str:
    """html | markdown | tsv_html | text_cells | text."""
    head = text[:20000]
    if _HTML_DOC.search(head):
        return "html"
    pipes, cells, tsv = _count_layout_lines(text)
    best = max(pipes, cells, tsv)
    if best < 2:
        return "text"
    if best == pipes:
        return "markdown"
    if best == tsv:
        return "tsv_html"
    return "text_cells"


def _count_layout_lines(text: str) -> tuple[int, int, int]:
    """Lines of each layout: pipe rows, Word cells (a TAB, then no other TAB), TSV rows (two
    TABs or more). A layout's pattern only runs when the text holds its character at all, and
    the TAB patterns start with one (the engine jumps from TAB to TAB: a pattern starting at
    every line tries every position of the text)."""
    pipes = len(_PIPE_ROW.findall(text)) if "|" in text else 0
    if "\t" not in text:
        return pipes, 0, 0
    first = text.partition("\n")[0]
    # lines after the first that start with a TAB, less those with a second TAB
    cells = text.count("\n\t") - len(_TAB_THEN_TAB.findall(text))
    cells += first[:1] == "\t" and first.count("\t") == 1
    return pipes, cells, len(_TSV_LINE.findall(text))


def read_plain(text: str, source: str) -> Document:
    """Plain text: one Paragraph per non-empty line."""
    doc = Document(source=source, format="text")
    for i, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            doc.blocks.append(Paragraph(line.strip(), Loc(source, line=i, line_end=i)))
    return doc
