"""``jixiao serve``: the ``--workers`` option reaches uvicorn, and several worker processes
on one SQLite file agree (uploads stored once, cached figures invalidated everywhere)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from jixiao.cli import app as cli
from jixiao.store.engine import ENV_URL, current_revision, make_engine

from .conftest import example

TXT = example("shiyan-jiaoyu-2024.txt")


@pytest.fixture
def fake_uvicorn(monkeypatch) -> list[tuple[str, Any]]:
    """uvicorn's entry points, recording what they are given instead of serving."""
    import uvicorn
    import uvicorn.supervisors

    calls: list[tuple[str, Any]] = []

    class Supervisor:
        def __init__(self, config: Any, sockets: list[socket.socket]):
            self.config, self.sockets = config, sockets

        def run(self) -> None:
            calls.append(("workers", self))

    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: calls.append(("run", (a, kw))))
    monkeypatch.setattr(uvicorn.supervisors, "Multiprocess", Supervisor)
    # serve tells the workers where the data is through the environment: restored after
    for name in (ENV_URL, "JIXIAO_DATA_DIR"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    return calls


def test_one_worker_by_default(fake_uvicorn, tmp_path):
    db = tmp_path / "one.db"
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--port", "8123"])
    assert result.exit_code == 0, result.output
    [(kind, (args, kw))] = fake_uvicorn
    from fastapi import FastAPI

    assert kind == "run"
    assert isinstance(args[0], FastAPI)  # the app itself, in this process
    assert kw["port"] == 8123 and "workers" not in kw
    args[0].state.store.db.dispose()


def test_workers_are_passed_to_uvicorn_with_the_app_factory(fake_uvicorn, tmp_path):
    db = tmp_path / "many.db"
    result = CliRunner().invoke(
        cli, ["serve", "--db", str(db), "--workers", "3", "--host", "127.0.0.1", "--port", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "3 个工作进程" in result.output
    [(kind, supervisor)] = fake_uvicorn
    assert kind == "workers"
    config = supervisor.config
    assert config.app == "jixiao.web.app:create_app"
    assert config.factory is True and config.workers == 3
    assert config.host == "127.0.0.1"
    [listener] = supervisor.sockets
    assert listener.proto == socket.IPPROTO_TCP  # see test_worker_connections_are_nodelay
    # migrated once, before the workers; they find the database and the files by environment
    engine = make_engine(f"sqlite:///{db}")
    assert current_revision(engine) == "0002"
    engine.dispose()
    assert os.environ[ENV_URL] == f"sqlite:///{db.resolve()}"
    data_dir = Path(os.environ["JIXIAO_DATA_DIR"])
    assert data_dir == tmp_path / "many-files"
    assert (data_dir / ".secret-key").is_file()  # one signing key for every worker

    # what a worker does with that environment: the same database
    from jixiao.web.app import create_app

    worker = create_app()
    assert worker.state.settings.database_url == f"sqlite:///{db.resolve()}"
    assert worker.state.settings.data_dir == data_dir
    worker.state.store.db.dispose()


@pytest.mark.parametrize("bad", ["0", "-2", "two"])
def test_workers_must_be_a_positive_number(fake_uvicorn, tmp_path, bad):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "x.db"), "--workers", bad])
    assert result.exit_code == 2
    assert not fake_uvicorn


def test_worker_connections_are_nodelay():
    """The socket uvicorn binds for its workers has ``proto`` 0, and asyncio sets
    TCP_NODELAY only on connections accepted from a socket that says IPPROTO_TCP: without
    it every keep-alive response after the first waited ~40 ms (Nagle, delayed ACK)."""
    import asyncio

    from jixiao.web.app import tcp_listener

    def nodelay(listener: socket.socket) -> int:
        async def main() -> int:
            accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

            class Probe(asyncio.Protocol):
                def connection_made(self, transport: Any) -> None:
                    sock = transport.get_extra_info("socket")
                    accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                    transport.close()

            server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
            port = listener.getsockname()[1]
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            value = await asyncio.wait_for(accepted, 10)
            writer.close()
            server.close()
            return value

        return asyncio.run(main())

    def bound() -> socket.socket:  # as uvicorn's Config.bind_socket makes it
        sock = socket.socket(family=socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        return sock

    fixed = tcp_listener(bound())
    assert fixed.proto == socket.IPPROTO_TCP and fixed.get_inheritable()
    assert nodelay(fixed) != 0
    plain = bound()
    if plain.proto != socket.IPPROTO_TCP:  # the bug this works around (Linux)
        assert nodelay(plain) == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def two_workers(tmp_path) -> Any:
    """``jixiao serve --workers 2`` on a fresh SQLite file."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "server.log").open("w")
    env = {k: v for k, v in os.environ.items() if k not in (ENV_URL, "JIXIAO_DATA_DIR")}
    cmd = [sys.executable, "-m", "jixiao", "serve", "--db", str(tmp_path / "w.db")]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port), "--workers", "2"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the server exited: {(tmp_path / 'server.log').read_text()}")
            try:
                if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the server did not start in 90 s")
            time.sleep(0.3)
        # both workers up (the parent reports each one)
        while (tmp_path / "server.log").read_text().count("Application startup complete") < 2:
            if time.monotonic() > deadline:
                pytest.fail("the second worker did not start")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_two_worker_processes_share_one_sqlite_database(two_workers):
    base = two_workers

    def fresh(method: str, path: str, **kw: Any) -> httpx.Response:
        # a new connection each time, so that the requests spread over the workers
        return httpx.request(method, base + path, timeout=60, **kw)

    for _ in range(6):  # warm every worker's cache with the empty figures
        assert fresh("GET", "/api/stats").json()["documents"] == 0

    data = TXT.read_bytes()
    barrier = threading.Barrier(4)

    def post(_: int) -> httpx.Response:
        barrier.wait()
        return fresh("POST", "/api/documents", files={"file": (TXT.name, data)})

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(post, range(4)))
    assert sorted(r.status_code for r in answers) == [200, 200, 200, 201]
    assert len({r.json()["document"]["id"] for r in answers}) == 1
    doc = answers[0].json()["document"]

    for _ in range(6):
        assert fresh("GET", "/api/stats").json()["documents"] == 1
        assert fresh("GET", "/api/documents").json()["total"] == 1
    finding = fresh("GET", f"/api/documents/{doc['id']}/findings").json()["items"][0]
    assert fresh("PATCH", f"/api/findings/{finding['id']}", json={"status": "accepted"}).is_success
    for _ in range(6):
        assert fresh("GET", "/api/stats").json()["review"]["accepted"] == 1
        assert fresh("GET", "/api/findings", params={"status": "accepted"}).json()["total"] == 1
