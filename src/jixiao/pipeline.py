"""File-level steps shared by the CLI, the benchmarks and (later) the web app."""

from __future__ import annotations

from pathlib import Path

from jixiao.errors import ReadError
from jixiao.extract import extract
from jixiao.model import Report
from jixiao.readers import read

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".xlsx", ".pdf", ".html", ".htm")


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, folders walked (sorted) for files with a supported suffix.

    Inside folders the suffix filters out what is surely not a report (images, JSON we
    wrote), and README files are documentation, not reports; a file named explicitly is
    always read and judged by its content.
    """
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not p.name.startswith(".")
                and p.stem.upper() != "README"
            )
        elif path.exists():
            out.append(path)
        else:
            raise ReadError(str(path), "文件不存在")
    return out


def extract_file(path: Path) -> Report:
    return extract(read(path))
