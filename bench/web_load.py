"""Benchmark of the web app under load, against a local server (``jixiao serve``).

    python bench/web_load.py [--uploads 20] [--views 200] [--preload 1000] [--db URL]
                             [--workers N]

1. starts ``jixiao serve`` (``--workers N`` worker processes, default 1) in a subprocess on a
   fresh database (a temporary SQLite file, or ``--db``, which must be empty) and waits for it;
2. ``--preload N``: first puts N documents in the database directly (one report's reading,
   inserted again and again under different hashes, entities and years: fast);
3. uploads ``--uploads`` different generated reports (``jixiao.synth.random_report``, in every
   format) all at once, and checks that every one was stored exactly once;
4. ``--views`` page views (lists, documents, findings, dashboard, API) from 8 clients;
5. the document view alone, 200 times, one client: the p95 to hold under 300 ms.

Prints latency percentiles (ms). Only loopback traffic; bounded in count and time.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "shiyan-jiaoyu-2024.docx"
FORMATS = ("txt", "md", "tsv", "docx", "xlsx", "pdf", "html")


def percentiles(values: list[float]) -> str:
    if not values:
        return "—"
    xs = sorted(values)

    def p(q: float) -> float:
        return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]

    return (
        f"n={len(xs):4d}  p50={p(0.50):7.1f}  p95={p(0.95):7.1f}  p99={p(0.99):7.1f}  "
        f"max={xs[-1]:7.1f}  mean={statistics.fmean(xs):7.1f}"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def generate_reports(n: int, out: Path) -> list[Path]:
    """n different reports, the formats taken in turn."""
    from jixiao.synth import random_report, write_all

    paths = []
    for k in range(n):
        report = random_report(1000 + k, correct=k % 2 == 0)
        paths.extend(write_all(report, out / str(k), [FORMATS[k % len(FORMATS)]]))
    return paths


def preload(url: str, data_dir: Path, n: int) -> float:
    """Insert n documents quickly: one reading, stored n times with other hashes and names."""
    from jixiao.checks.runner import check_document
    from jixiao.store.engine import Database
    from jixiao.store.files import FileStore
    from jixiao.store.ingest import Store, _Rows

    db = Database(url)
    db.migrate()
    store = Store(db, FileStore(data_dir / "files"))
    checked = check_document(EXAMPLE, keep_document=True)
    data = EXAMPLE.read_bytes()
    start = time.perf_counter()
    for i in range(n):
        rows = _Rows.of(checked, stored_name=EXAMPLE.name, display_name=f"preload-{i:04d}.docx")
        rows.report.entity = f"示例市第{i % 12 + 1}区部门{i % 40 + 1}局"
        rows.report.year = 2020 + i % 5
        sha = hashlib.sha256(b"preload-%d" % i + data[:64]).hexdigest()
        key = FileStore.key_for(sha, "docx")
        store._insert(  # the upload's own transaction, minus reading the file again
            rows,
            sha=sha,
            size=len(data),
            fmt="docx",
            name=f"preload-{i:04d}.docx",
            key=key,
            uploader="bench",
            region=None,
        )
    took = time.perf_counter() - start
    db.dispose()
    return took


class Server:
    def __init__(self, url: str, data_dir: Path, workers: int = 1):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, JIXIAO_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
        self.log = open(data_dir / "server.log", "w")  # noqa: SIM115 (closed in stop)
        cmd = [sys.executable, "-m", "jixiao", "serve", "--db", url, "--port", str(self.port)]
        if workers > 1:
            cmd += ["--workers", str(workers)]
        self.proc = subprocess.Popen(
            cmd,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited: see {data_dir / 'server.log'}")
            try:
                if httpx.get(f"{self.base}/api/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit("server did not start in 60 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def timed(client: httpx.Client, method: str, url: str, **kw) -> tuple[float, httpx.Response]:
    t = time.perf_counter()
    r = client.request(method, url, **kw)
    return (time.perf_counter() - t) * 1000, r


def concurrent_uploads(base: str, paths: list[Path]) -> tuple[list[float], list[httpx.Response]]:
    barrier = threading.Barrier(len(paths))

    def one(path: Path) -> tuple[float, httpx.Response]:
        with httpx.Client(base_url=base, timeout=300) as c:
            data = path.read_bytes()
            barrier.wait()
            return timed(c, "POST", "/api/documents", files={"file": (path.name, data)})

    with ThreadPoolExecutor(len(paths)) as pool:
        results = list(pool.map(one, paths))
    return [ms for ms, _ in results], [r for _, r in results]


def page_views(base: str, n: int, doc_ids: list[int], clients: int = 8) -> dict[str, list[float]]:
    rnd = random.Random(7)
    kinds = [
        ("document", lambda: f"/documents/{rnd.choice(doc_ids)}"),
        ("document", lambda: f"/documents/{rnd.choice(doc_ids)}"),
        ("document", lambda: f"/documents/{rnd.choice(doc_ids)}"),
        ("documents", lambda: "/documents"),
        ("documents?q", lambda: "/documents?q=%E6%95%99%E8%82%B2&has_errors=1"),
        ("findings", lambda: "/findings?severity=error"),
        ("evaluations", lambda: "/evaluations"),
        ("dashboard", lambda: "/dashboard"),
        ("api/documents", lambda: "/api/documents?limit=50"),
        ("api/findings", lambda: f"/api/documents/{rnd.choice(doc_ids)}/findings"),
    ]
    plan = [kinds[k % len(kinds)] for k in range(n)]
    plan = [(name, make()) for name, make in plan]
    out: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()

    def worker(items: list[tuple[str, str]]) -> None:
        with httpx.Client(base_url=base, timeout=60) as c:
            for name, url in items:
                ms, r = timed(c, "GET", url)
                if r.status_code != 200:
                    raise SystemExit(f"{url}: HTTP {r.status_code}")
                with lock:
                    out[name].append(ms)
                    out["all"].append(ms)

    chunks = [plan[k::clients] for k in range(clients)]
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, chunks))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--uploads", type=int, default=20)
    ap.add_argument("--views", type=int, default=200)
    ap.add_argument("--preload", type=int, default=0, help="documents to insert first (e.g. 1000)")
    ap.add_argument("--db", default=None, help="an empty database URL (default: temporary SQLite)")
    ap.add_argument("--workers", type=int, default=1, help="server worker processes (default 1)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    url = args.db or f"sqlite:///{work / 'jixiao.db'}"
    print(f"database: {url.split('@')[-1]}   work dir: {work}")
    if args.preload:
        took = preload(url, work, args.preload)
        print(f"preloaded {args.preload} documents in {took:.1f} s")

    reports = generate_reports(args.uploads, work / "reports")
    server = Server(url, work, args.workers)
    try:
        with httpx.Client(base_url=server.base, timeout=60) as c:
            before = c.get("/api/documents", params={"limit": 1}).json()["total"]
        wall = time.perf_counter()
        ms, responses = concurrent_uploads(server.base, reports)
        wall = time.perf_counter() - wall
        codes = defaultdict(int)
        for r in responses:
            codes[r.status_code] += 1
        expected = {hashlib.sha256(p.read_bytes()).hexdigest() for p in reports}
        with httpx.Client(base_url=server.base, timeout=60) as c:
            listing = c.get("/api/documents", params={"limit": 1000}).json()
            total = listing["total"]
            stored = set()
            offset = 0
            while offset < total:
                page = c.get("/api/documents", params={"limit": 1000, "offset": offset}).json()
                stored.update(d["sha256"] for d in page["items"])
                offset += 1000
        missing = expected - stored
        print(
            f"\n{len(reports)} concurrent uploads ({', '.join(sorted({p.suffix for p in reports}))}): "
            f"{dict(codes)} in {wall:.1f} s"
        )
        print(f"  latency ms   {percentiles(ms)}")
        print(
            f"  stored: {total - before} new documents (expected {len(expected)}), "
            f"missing {len(missing)}, duplicated {total - before - len(expected) if not missing else '?'}"
        )
        ok = codes.get(201, 0) == len(reports) and not missing and total - before == len(expected)
        print(f"  all stored, none lost or duplicated: {'yes' if ok else 'NO'}")

        doc_ids = [r.json()["document"]["id"] for r in responses if r.status_code in (200, 201)]
        if args.preload:
            doc_ids += list(range(1, args.preload + 1))
        views = page_views(server.base, args.views, doc_ids)
        print(
            f"\n{args.views} page views from 8 clients ({total} documents stored, "
            f"{args.workers} server worker{'s' if args.workers > 1 else ''}), ms:"
        )
        for name in sorted(views, key=lambda k: (k != "all", k)):
            print(f"  {name:14s} {percentiles(views[name])}")

        rnd = random.Random(11)
        single = []
        with httpx.Client(base_url=server.base, timeout=60) as c:
            for _ in range(200):
                t, r = timed(c, "GET", f"/documents/{rnd.choice(doc_ids)}")
                assert r.status_code == 200
                single.append(t)
        xs = sorted(single)
        p95 = xs[round(0.95 * (len(xs) - 1))]
        print(f"\ndocument view, one client, {total} documents stored, ms:")
        print(f"  {'document':14s} {percentiles(single)}")
        print(f"  p95 under 300 ms: {'yes' if p95 < 300 else 'NO'} ({p95:.1f} ms)")
        return 0 if ok else 1
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
