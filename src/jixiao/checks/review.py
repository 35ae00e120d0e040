"""Review memory: findings a reviewer has accepted, so that a re-run shows only what is new.

The review file (``.jixiao-review.yaml`` in the current folder, or any file named with
``--review``) lists accepted findings, each keyed by a stable fingerprint::

    <document digest>:<check id>:<location>[#n]

- the document digest is the first 16 hex digits of the sha256 of the file's bytes, so any
  change to the document (a corrected number, a new version) brings its findings back;
- the location is ``t<table>.r<row>.c<col>`` for a finding in a table, otherwise
  ``l<line>`` (or ``p<page>``), ``-`` when the finding has no location;
- ``#n`` (n ≥ 2) tells apart several findings of one check at the same place.

Each entry also carries, for people, the file name, the place, the message, who accepted it
and when; only ``fingerprint`` is read back. Deleting an entry makes its finding show again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from jixiao.errors import JixiaoError
from jixiao.model import Finding

REVIEW_FILE = ".jixiao-review.yaml"

_HEADER = (
    "# jixiao 复核记录：以下问题已经确认（接受），jixiao check 不再显示。\n"
    "# 每条以 fingerprint（文件内容摘要:检查项:位置）为准；文件内容一改，对应问题会重新显示。\n"
    "# 删除一条即恢复显示。其余字段（文件、位置、说明、确认人、日期、备注）供人阅读。\n"
)


class ReviewError(JixiaoError):
    """A review file that cannot be read."""


def digest_bytes(data: bytes) -> str:
    """The document part of a fingerprint: the first 16 hex digits of sha256."""
    return hashlib.sha256(data).hexdigest()[:16]


def digest_file(path: Path) -> str:
    return digest_bytes(path.read_bytes())


def location_key(loc: dict[str, Any] | None) -> str:
    if not loc:
        return "-"
    if loc.get("table") is not None:

        def part(key: str) -> str:
            value = loc.get(key)
            return "-" if value is None else str(value)

        return f"t{part('table')}.r{part('row')}.c{part('col')}"
    if loc.get("line") is not None:
        return f"l{loc['line']}"
    if loc.get("page") is not None:
        return f"p{loc['page']}"
    return "-"


def fingerprints(digest: str, findings: Iterable[Finding]) -> list[str]:
    """One fingerprint per finding, in order; repeats at one place get ``#2``, ``#3`` …"""
    seen: dict[str, int] = {}
    out: list[str] = []
    for finding in findings:
        base = f"{digest}:{finding.check}:{location_key(finding.loc)}"
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return out


@dataclass
class ReviewFile:
    """The accepted findings of one review file (``entries`` keyed by fingerprint)."""

    path: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> ReviewFile:
        """The file's entries; an absent file is an empty review."""
        if not path.exists():
            return cls(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as e:
            raise ReviewError(str(path), f"无法读取复核记录（{e}）") from None
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f"第{mark.line + 1}行" if mark is not None else ""
            raise ReviewError(str(path), f"复核记录不是有效的 YAML{where}") from None
        if data is None:
            return cls(path)
        if not isinstance(data, dict) or not isinstance(data.get("accepted", []), list):
            raise ReviewError(str(path), "复核记录应为含 accepted 列表的 YAML 映射")
        entries: dict[str, dict[str, Any]] = {}
        for k, item in enumerate(data.get("accepted") or [], start=1):
            if isinstance(item, str):
                item = {"fingerprint": item}
            if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
                raise ReviewError(str(path), f"accepted 第{k}条缺少 fingerprint")
            entries[item["fingerprint"]] = item
        return cls(path, entries)

    def __contains__(self, fingerprint: object) -> bool:
        return fingerprint in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def accept(
        self,
        fingerprint: str,
        finding: Finding,
        *,
        file: str,
        where: str,
        by: str | None = None,
        when: date | None = None,
        note: str | None = None,
    ) -> bool:
        """Record one finding as accepted; False when it already was."""
        if fingerprint in self.entries:
            return False
        entry: dict[str, Any] = {
            "fingerprint": fingerprint,
            "file": file,
            "check": finding.check,
            "severity": finding.severity,
            "where": where,
            "message": finding.message,
        }
        if by:
            entry["by"] = by
        entry["date"] = (when or date.today()).isoformat()
        if note:
            entry["note"] = note
        self.entries[fingerprint] = entry
        return True

    def dumps(self) -> str:
        entries = sorted(
            self.entries.values(),
            key=lambda e: (str(e.get("file", "")), str(e["fingerprint"])),
        )
        body = yaml.safe_dump(
            {"version": 1, "accepted": entries},
            allow_unicode=True,
            sort_keys=False,
            width=100,
        )
        return _HEADER + body


def find_review_file(explicit: Path | None = None, cwd: Path | None = None) -> Path:
    """The review file to use: the one named, else ``.jixiao-review.yaml`` in ``cwd``."""
    if explicit is not None:
        return explicit
    return (cwd or Path.cwd()) / REVIEW_FILE
