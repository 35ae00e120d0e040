"""Checks shared by the Office Open XML readers (DOCX, XLSX) before a library opens a file."""

from __future__ import annotations

import zipfile
from pathlib import Path

from jixiao.errors import ReadError

_OLE = b"\xd0\xcf\x11\xe0"


def check_package(path: Path, source: str, kind: str, legacy: str) -> None:
    """Raise a clear ReadError for an unreadable file, an OLE container or a broken ZIP.

    An OLE container is either the legacy binary format (``legacy``, e.g. ``.doc``) or an
    encrypted OOXML package: neither can be read as ``kind``.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as err:
        raise ReadError(source, f"无法读取文件（{err.strerror or err}）") from None
    if head.startswith(_OLE):
        raise ReadError(source, f"文件是旧版 {legacy} 或已加密的 {kind}，无法作为 {kind} 读取")
    if not zipfile.is_zipfile(path):
        raise ReadError(source, f"文件已损坏，无法作为 {kind} 读取")
