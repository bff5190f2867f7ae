"""The index at scale, in miniature: the approximate (IVF-SQ8) path forced at 5k rows.

Fast: 64-dimensional generated vectors and short English paragraphs (no model, no jieba
work to speak of); ``write_index(..., ann_threshold=1000)`` makes the index take the
IVF-SQ8 path that real corpora take from 100k paragraphs on.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bench.vectors import GeneratedPassageEmbedder
from index.model import Document, Paragraph
from index.store import (
    CURRENT_FILE,
    MANIFEST_FILE,
    Index,
    ParagraphStore,
    SearchFilters,
    write_index,
)

ROWS = 5000
DIM = 64


def _documents() -> list[Document]:
    documents = []
    for number in range(ROWS // 250):
        doc_id = f"doc-{number:03d}"
        paragraphs = [
            Paragraph(doc_id=doc_id, number=i + 1, section=(f"Chapter {i // 50}",),
                      text=f"Paragraph {i} of {doc_id} concerns topic{(number * 7 + i) % 97} "
                           f"and subject{i % 13}.")
            for i in range(250)
        ]
        documents.append(Document(doc_id=doc_id, title=doc_id, paragraphs=paragraphs))
    return documents


@pytest.fixture(scope="module")
def ann_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = np.random.default_rng(7)
    pool = rng.standard_normal((64, DIM)).astype(np.float32)
    pool /= np.linalg.norm(pool, axis=1, keepdims=True)
    embedder = GeneratedPassageEmbedder(pool, spec=f"generated:{DIM}")
    path = tmp_path_factory.mktemp("scale") / "idx"
    write_index(path, embedder, upserts=_documents(), ann_threshold=1000)
    return path


def test_ann_path_is_chosen_and_recorded(ann_index: Path) -> None:
    generation = (ann_index / CURRENT_FILE).read_text().strip()
    manifest = json.loads((ann_index / generation / MANIFEST_FILE).read_text("utf-8"))
    dense = manifest["dense"]
    assert dense["type"] == "ivfsq8"
    assert dense["nlist"] >= 8 and dense["nprobe"] <= dense["nlist"]
    assert dense["pool"] == 200


def test_recall_at_10_against_exact_search(ann_index: Path) -> None:
    index = Index.load(ann_index)
    assert index.approximate
    vectors = np.asarray(index.vectors)
    rng = np.random.default_rng(11)
    # Queries near the data, as real questions are near their paragraphs, plus noise.
    queries = vectors[rng.choice(len(vectors), 200, replace=False)]
    queries = queries + rng.standard_normal(queries.shape).astype(np.float32) * 0.1
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    exact = np.argsort(-(queries @ vectors.T), axis=1, kind="stable")[:, :10]
    recalls = []
    for query, truth in zip(queries, exact, strict=True):
        hits = index.search("", 10, query_vector=query)
        recalls.append(len({h.row for h in hits} & set(truth.tolist())) / 10)
    assert float(np.mean(recalls)) >= 0.95


def test_load_uses_the_lazy_row_store(ann_index: Path) -> None:
    index = Index.load(ann_index)
    assert isinstance(index.rows, ParagraphStore)
    assert isinstance(index.vectors, np.memmap)
    assert len(index) == ROWS and len(index.rows) == ROWS
    assert index.rows[260].citation_id == "doc-001#11"
    assert [p.number for p in index.rows[3:6]] == [4, 5, 6]
    assert index.paragraph("doc-003", 250).text.startswith("Paragraph 249 of doc-003")
    assert index.row_of("doc-019", 1) == 19 * 250
    allowed = index.allowed_rows(SearchFilters(doc_ids=("doc-002",), sections=("Chapter 1",)))
    assert allowed is not None and allowed.tolist() == list(range(550, 600))
    spans, sentence_vectors = index.sentences(10)
    assert spans and sentence_vectors.shape == (len(spans), DIM)
    hits = index.search("", 5, SearchFilters(doc_ids=("doc-004",)),
                        query_vector=np.asarray(index.vectors[1000]))
    assert hits and all(h.paragraph.doc_id == "doc-004" for h in hits)
    assert hits[0].row == 1000
