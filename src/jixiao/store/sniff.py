"""What an uploaded file is, by its bytes (never by its name), and a clear refusal otherwise.

``sniff_upload`` returns ``pdf``, ``docx``, ``xlsx`` or ``text`` (text, Markdown, HTML, the
converters' TAB layouts: the readers tell these apart later), or raises ``Unsupported`` with
one Chinese sentence naming what the file is and what to send instead.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from jixiao.errors import JixiaoError
from jixiao.readers.textfile import decode_text

ACCEPTED = "DOCX、XLSX、PDF、HTML、Markdown 或纯文本"

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text": "text/plain; charset=utf-8",
}

# magic bytes of files people send by mistake, with what to call them
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"\x1f\x8b", "GZIP 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"Rar!\x1a\x07", "RAR 压缩包"),
    (b"BZh", "BZIP2 压缩包"),
    (b"\xfd7zXZ\x00", "XZ 压缩包"),
    (b"\x7fELF", "可执行程序"),
    (b"MZ", "可执行程序"),
    (b"%!PS", "PostScript 文件"),
    (b"{\\rtf", "RTF 文档（请在 Word 中另存为 .docx）"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "旧版 Office 文件（.doc/.xls/.wps，请另存为 .docx 或 .xlsx）",
    ),
    (b"ID3", "音频文件"),
    (b"\x00\x00\x00\x18ftyp", "视频文件"),
    (b"\x00\x00\x00\x20ftyp", "视频文件"),
)


class Unsupported(JixiaoError):
    """A file jixiao does not read (HTTP 415)."""


class Unreadable(JixiaoError):
    """A file of a kind jixiao reads, but empty or broken (HTTP 422)."""


@dataclass(frozen=True)
class Sniffed:
    format: str  # pdf | docx | xlsx | text

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]


def sniff_upload(data: bytes, name: str) -> Sniffed:
    if not data.strip():
        raise Unreadable(name, "文件是空的")
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF"):
        return Sniffed("pdf")
    if data.startswith(b"PK\x03\x04"):
        return Sniffed(_zip_kind(data, name))
    if data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        raise _refuse(name, {b"WEBP": "WebP 图片", b"WAVE": "音频文件"}.get(data[8:12], "视频文件"))
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _refuse(name, what)
    try:
        decode_text(data[:65536], name)
    except JixiaoError:
        raise _refuse(name, "二进制文件或无法识别编码的文本") from None
    return Sniffed("text")


def _zip_kind(data: bytes, name: str) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Unreadable(name, "文件已损坏：ZIP 结构无法解析（DOCX/XLSX 即 ZIP）") from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        raise _refuse(name, "PowerPoint 演示文稿")
    if "OFD.xml" in names:
        raise _refuse(name, "OFD 版式文件（请导出为 PDF）")
    if "mimetype" in names or "content.xml" in names:
        raise _refuse(name, "OpenDocument 文件（请另存为 .docx 或 .xlsx）")
    raise _refuse(name, "ZIP 压缩包")


def _refuse(name: str, what: str) -> Unsupported:
    return Unsupported(name, f"不支持的文件类型：{what}。请上传{ACCEPTED}格式的报告")
