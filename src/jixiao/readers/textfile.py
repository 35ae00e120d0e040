"""Text files: decoding (UTF-8 with or without BOM, GB18030) and layout sniffing."""

from __future__ import annotations

import re

from jixiao.document import Document, Loc, Paragraph
from jixiao.errors import ReadError

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$", re.M)
_CELL_LINE = re.compile(r"^\t[^\t]*$", re.M)
_TSV_LINE = re.compile(r"^[^\n]*\t[^\n]*\t[^\n]*$", re.M)
_HTML_DOC = re.compile(r"<(?:html|table|body)\b", re.I)


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
    pipes = len(_PIPE_ROW.findall(text))
    cells = len(_CELL_LINE.findall(text))
    tsv = len(_TSV_LINE.findall(text))
    best = max(pipes, cells, tsv)
    if best < 2:
        return "text"
    if best == pipes:
        return "markdown"
    if best == tsv:
        return "tsv_html"
    return "text_cells"


def read_plain(text: str, source: str) -> Document:
    """Plain text: one Paragraph per non-empty line."""
    doc = Document(source=source, format="text")
    for i, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            doc.blocks.append(Paragraph(line.strip(), Loc(source, line=i, line_end=i)))
    return doc
