"""A deterministic feature-hashing embedder for fast tests and model-free runs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from hashlib import blake2b

import numpy as np

from embeddings._texts import as_text_list
from embeddings.base import l2_normalize

DEFAULT_DIM = 256

# CJK ideographs (with extension A and compatibility forms), kana and Hangul syllables:
# scripts written without spaces, so characters and character pairs stand in for words.
_CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
# Latin words and numbers; accented Latin letters stay inside their word.
_LATIN_WORD = "[0-9a-z\u00c0-\u024f]+"
_TOKEN_PATTERN = re.compile(f"(?P<word>{_LATIN_WORD})|(?P<cjk>[{_CJK_CHARS}]+)")


def text_features(text: str) -> Iterator[str]:
    """Yield the hashed features of ``text``, in order of appearance.

    Features are lowercase Latin/number words, and for every run of CJK characters its
    character unigrams and adjacent-character bigrams (bigrams never bridge a run, so
    punctuation or Latin text between two Chinese characters breaks the pair).

    Args:
        text: Any text.

    Yields:
        Feature strings; a feature repeated in the text is yielded each time.

    """
    # NFKC folds full-width letters and digits ("２０２１", "ＵＮ") into their ASCII forms,
    # which Chinese PDFs use interchangeably with the narrow ones.
    normalized = unicodedata.normalize("NFKC", text).lower()
    for match in _TOKEN_PATTERN.finditer(normalized):
        word = match.group("word")
        if word is not None:
            yield word
            continue
        run = match.group("cjk")
        yield from run
        for start in range(len(run) - 1):
            yield run[start : start + 2]


@lru_cache(maxsize=65536)
def _bucket_and_sign(feature: str, dim: int) -> tuple[int, float]:
    # blake2b rather than hash(): Python salts str hashes per process, and vectors saved
    # in an index must match the ones a later process computes for the same text.
    digest = int.from_bytes(blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")
    # A signed hash makes colliding features cancel on average instead of piling up.
    sign = 1.0 if digest & 1 else -1.0
    return (digest >> 1) % dim, sign


class HashingEmbedder:
    """Signed feature hashing of words and CJK character n-grams into ``dim`` buckets.

    No model and no randomness: the same text gives the same vector in every process
    and on every machine, and texts that share words or Chinese characters score higher
    than unrelated ones. Queries and passages are encoded identically. A text with no
    features (empty, or punctuation only) encodes to a zero row, which scores 0 against
    everything rather than pretending to resemble something.

    Attributes:
        spec: ``"hashing:DIM"``.
        dim: Number of buckets, the vector dimension.

    Args:
        dim: Vector dimension; must be positive.

    Raises:
        ValueError: If ``dim`` is not positive.

    """

    def __init__(self, dim: int = DEFAULT_DIM) -> None:
        if dim < 1:
            raise ValueError(f"hashing embedder dim must be a positive integer, got {dim}")
        self.dim = dim
        self.spec = f"hashing:{dim}"

    def load(self) -> None:
        """Do nothing: there is no model. Present so callers can warm up any backend."""

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode queries into a ``(len(texts), dim)`` float32 array, rows L2-normalised."""
        return self._encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Encode passages into a ``(len(texts), dim)`` float32 array, rows L2-normalised."""
        return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = as_text_list(texts)
        # No batching here, unlike the model backends: each text is hashed on its own and
        # written straight into the output, so nothing temporary grows with the input.
        counts = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in text_features(text):
                bucket, sign = _bucket_and_sign(feature, self.dim)
                counts[row, bucket] += sign
        return l2_normalize(counts)

    def __repr__(self) -> str:
        return f"HashingEmbedder(dim={self.dim})"
