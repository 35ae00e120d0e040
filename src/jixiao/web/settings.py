"""What ``jixiao serve`` is configured by: arguments first, then the environment.

| setting | environment | default |
|---|---|---|
| database | ``JIXIAO_DATABASE_URL`` | ``sqlite:///./jixiao.db`` |
| file store | ``JIXIAO_DATA_DIR`` | beside a SQLite file: ``<name>-files/``; else ``./jixiao-files`` |
| upload limit | ``JIXIAO_MAX_UPLOAD_MB`` | 50 (MB per file) |
| signing key (CSRF) | ``JIXIAO_SECRET_KEY`` | random, kept in ``<file store>/.secret-key`` |
| time zone shown | ``JIXIAO_TIMEZONE`` | ``Asia/Shanghai`` |
| front-end libraries | ``JIXIAO_VENDOR_DIR`` | ``jixiao/web/frontend/node_modules`` |
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from jixiao.store.engine import database_url, sqlite_path

FRONTEND = Path(__file__).with_name("frontend")
MB = 1024 * 1024


@dataclass
class Settings:
    database_url: str = ""
    data_dir: Path | None = None
    max_upload_bytes: int = 0
    secret_key: str = ""
    timezone: str = ""
    vendor_dir: Path | None = None
    page_size: int = 50
    max_files_per_request: int = 20

    def __post_init__(self) -> None:
        env = os.environ
        self.database_url = database_url(self.database_url or None)
        if self.data_dir is None:
            if env.get("JIXIAO_DATA_DIR"):
                self.data_dir = Path(env["JIXIAO_DATA_DIR"])
            else:
                db_file = sqlite_path(self.database_url)
                self.data_dir = (
                    db_file.with_name(db_file.stem + "-files")
                    if db_file is not None
                    else Path("jixiao-files")
                )
        self.data_dir = Path(self.data_dir).expanduser().resolve()
        if not self.max_upload_bytes:
            self.max_upload_bytes = int(float(env.get("JIXIAO_MAX_UPLOAD_MB") or 50) * MB)
        self.timezone = self.timezone or env.get("JIXIAO_TIMEZONE") or "Asia/Shanghai"
        if self.vendor_dir is None:
            self.vendor_dir = Path(env.get("JIXIAO_VENDOR_DIR") or FRONTEND / "node_modules")
        self.secret_key = self.secret_key or env.get("JIXIAO_SECRET_KEY") or ""

    def load_secret(self) -> str:
        """The signing key: given, or kept beside the files (made once, readable only by us)."""
        if self.secret_key:
            return self.secret_key
        assert self.data_dir is not None
        path = self.data_dir / ".secret-key"
        try:
            key = path.read_text(encoding="ascii").strip()
        except OSError:
            key = ""
        if len(key) < 32:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            key = secrets.token_hex(32)
            tmp = path.with_name(f".secret-key.{secrets.token_hex(4)}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(key)
            try:
                os.link(tmp, path)  # the first process to make one wins; others read it
            except FileExistsError:
                key = path.read_text(encoding="ascii").strip()
            finally:
                tmp.unlink(missing_ok=True)
        self.secret_key = key
        return key
