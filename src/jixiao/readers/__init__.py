"""Readers: one per input format, each producing a Document.

``read(path)`` decides the format by content, not by the file name: users rename files, and
converters write ``.txt`` files of very different shapes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from jixiao.document import Document
from jixiao.errors import ReadError
from jixiao.readers.textfile import decode_text, sniff_text_format

__all__ = ["FORMATS", "read", "read_text", "sniff"]

FORMATS = ("text_cells", "markdown", "tsv_html", "html", "text", "docx", "xlsx", "pdf")

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes, source: str) -> str:
    """The format of a file's bytes; raises ReadError for what jixiao cannot read."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(_ZIP):
        return _sniff_zip(data, source)
    if data.startswith(_OLE):
        raise ReadError(
            source, "旧版 Office 格式（.doc/.xls）暂不支持，请另存为 .docx 或 .xlsx 后再读取"
        )
    return "text"


def _sniff_zip(data: bytes, source: str) -> str:
    import io

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        raise ReadError(source, "文件已损坏：ZIP 结构无法解析") from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise ReadError(source, "不支持的 ZIP 文件：既不是 DOCX 也不是 XLSX")


def read(path: str | Path) -> Document:
    """Read any supported file into a Document."""
    path = Path(path)
    source = path.name
    if not path.exists():
        raise ReadError(str(path), "文件不存在")
    if path.is_dir():
        raise ReadError(str(path), "这是一个文件夹，不是文件")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReadError(str(path), f"无法读取文件（{err.strerror or err}）") from None
    if not data.strip():
        raise ReadError(str(path), "文件是空的")
    kind = sniff(data, str(path))
    if kind == "text":
        doc = read_text(decode_text(data, str(path)), source)
    else:
        doc = _read_binary(kind, path, source)
    doc.path = str(path)
    return doc


def _read_binary(kind: str, path: Path, source: str) -> Document:
    if kind == "docx":
        from jixiao.readers import docx as reader
    elif kind == "xlsx":
        from jixiao.readers import xlsx as reader
    else:
        from jixiao.readers import pdf as reader
    try:
        return reader.read(path, source)
    except ReadError as err:
        raise ReadError(str(path), err.message) from None
    except Exception as err:  # a library choking on a corrupt file: one clear line, no traceback
        raise ReadError(
            str(path), f"文件已损坏或格式异常，无法作为 {kind.upper()} 读取（{type(err).__name__}）"
        ) from None


def read_text(text: str, source: str) -> Document:
    """Read decoded text, choosing the layout by its content."""
    kind = sniff_text_format(text)
    if kind == "html":
        from jixiao.readers.html import read_text as reader
    elif kind == "markdown":
        from jixiao.readers.markdown import read_text as reader
    elif kind == "tsv_html":
        from jixiao.readers.tsv_html import read_text as reader
    elif kind == "text_cells":
        from jixiao.readers.text_cells import read_text as reader
    else:
        from jixiao.readers.textfile import read_plain as reader
    return reader(text, source)
