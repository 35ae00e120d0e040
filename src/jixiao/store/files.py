"""Uploaded files, kept byte for byte under their content hash.

A file lives at ``<root>/<h0h1>/<h2h3>/<sha256><ext>``: the name is made by jixiao from the
hash and the format found by content, so nothing a client sends (file name, path) ever
reaches the file system. Writes go through a temporary file in the same folder, are synced
to disk, then renamed into place: a file is either complete or absent.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_KEY = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}\.(?:pdf|docx|xlsx|txt)$")
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx", "text": ".txt"}


class FileStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    @staticmethod
    def key_for(sha256: str, fmt: str) -> str:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError("not a sha256 hex digest")
        return f"{sha256[:2]}/{sha256[2:4]}/{sha256}{EXTENSIONS[fmt]}"

    def path(self, key: str) -> Path:
        """The file of a stored key; refuses anything that is not a key jixiao made."""
        if not _KEY.match(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def put(self, key: str, data: bytes) -> Path:
        """Write ``data`` under ``key`` (atomically, synced); a complete copy is kept as is."""
        path = self.path(key)
        if path.is_file() and path.stat().st_size == len(data):
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".upload-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)
        return path

    def remove(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
