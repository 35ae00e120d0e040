"""``python -m jixiao.store load [--db DB] FILES_OR_FOLDERS…``: put reports into a database
(``make serve`` loads ``examples/`` this way); ``python -m jixiao.store migrate [--db DB]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jixiao.errors import JixiaoError
from jixiao.gc_tuning import tune_gc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jixiao.store")
    sub = parser.add_subparsers(dest="command", required=True)
    load = sub.add_parser("load", help="上传文件或文件夹中的报告")
    load.add_argument("paths", nargs="+", type=Path)
    load.add_argument("--db", default=None, help="SQLite 文件或 postgresql:// URL")
    load.add_argument("--uploader", default="make serve")
    mig = sub.add_parser("migrate", help="把数据库结构升级到最新")
    mig.add_argument("--db", default=None)
    args = parser.parse_args(argv)
    tune_gc()

    from jixiao.pipeline import expand_paths
    from jixiao.store.engine import Database
    from jixiao.store.files import FileStore
    from jixiao.store.ingest import Store
    from jixiao.web.settings import Settings

    settings = Settings(database_url=args.db or "")
    db = Database(settings.database_url)
    db.migrate()
    if args.command == "migrate":
        print(f"数据库已是最新结构：{db.engine.url.render_as_string(hide_password=True)}")
        return 0
    assert settings.data_dir is not None
    store = Store(db, FileStore(settings.data_dir / "files"), settings.max_upload_bytes)
    try:
        files = expand_paths(args.paths)
    except JixiaoError as e:
        print(f"错误 {e}", file=sys.stderr)
        return 2
    failed = 0
    for path in files:
        try:
            result = store.ingest(path.read_bytes(), path.name, uploader=args.uploader)
        except JixiaoError as e:
            failed += 1
            print(f"未保存 {e}", file=sys.stderr)
            continue
        state = "已保存" if result.created else "已存在"
        print(f"{state} #{result.document_id} {path.name}")
    print(f"共 {len(files)} 个文件，{len(files) - failed} 个已入库")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
