"""Errors that reach people: one clear line naming the file and the problem."""

from __future__ import annotations


class JixiaoError(Exception):
    """Bad input or bad configuration. The CLI prints ``str(err)`` and exits with 2."""

    def __init__(self, path: str | None, message: str):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


class ReadError(JixiaoError):
    """A file that cannot be read as a document (missing, unreadable, corrupt, unsupported)."""
