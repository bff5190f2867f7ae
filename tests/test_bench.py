"""Smoke tests of the benchmark suite (bench/): deterministic corpus, tiny end-to-end run.

Fast: the hashing embedder, a 200-paragraph index, no HTTP server, no model.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.sparse

from bench import run
from bench.corpus import generate_documents, generate_questions, render_txt
from bench.vectors import GeneratedPassageEmbedder, GeneratedSparsePassageEmbedder
from index.parser import parse_text


def _fingerprint(documents):
    return [(d.doc_id, d.content_hash) for d in documents]


def test_corpus_is_deterministic_and_sized():
    first = generate_documents(1000, seed=3)
    again = generate_documents(1000, seed=3)
    other = generate_documents(1000, seed=4)
    assert _fingerprint(first) == _fingerprint(again)
    assert _fingerprint(first) != _fingerprint(other)
    assert sum(len(d.paragraphs) for d in first) == 1000
    texts = " ".join(p.text for d in first for p in d.paragraphs[:3])
    assert any("\u4e00" <= c <= "\u9fff" for c in texts)  # Chinese
    assert " the " in texts  # and English
    assert all(p.section for d in first for p in d.paragraphs)  # under headings


def test_rendered_text_parses_back_to_the_same_paragraphs():
    for document in generate_documents(400, seed=5)[:3]:
        parsed = parse_text(render_txt(document), document.doc_id)
        assert [(p.number, p.section, p.text) for p in parsed.paragraphs] == [
            (p.number, p.section, p.text) for p in document.paragraphs]


def test_questions_are_distinct_deterministic_and_disjoint_by_offset():
    questions = generate_questions(300, seed=1)
    assert len(set(questions)) == 300
    assert questions == generate_questions(300, seed=1)
    assert not set(questions) & set(generate_questions(300, seed=1, offset=1000))


def test_generated_vectors_are_deterministic_and_normalised():
    rng = np.random.default_rng(0)
    pool = rng.standard_normal((8, 16)).astype(np.float32)
    pool /= np.linalg.norm(pool, axis=1, keepdims=True)
    sparse_pool = scipy.sparse.random(8, 64, density=0.2, format="csr", dtype=np.float32,
                                      random_state=0)
    embedder = GeneratedSparsePassageEmbedder(pool, sparse_pool)
    vectors = embedder.encode_passages(["a", "b", "a"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vectors[0], vectors[2]) and not np.array_equal(vectors[0], vectors[1])
    rows = embedder.encode_sparse(["a", "b", "a"])
    assert rows.shape == (3, 64)
    assert (rows[0] != rows[2]).nnz == 0
    assert np.isclose(scipy.sparse.linalg.norm(rows[1]), 1.0, atol=1e-5)
    assert not hasattr(GeneratedPassageEmbedder(pool), "encode_sparse")
    with pytest.raises(RuntimeError):
        embedder.encode_queries(["q"])


def test_suite_runs_at_a_tiny_size(tmp_path):
    out = tmp_path / "results"
    results = run.main(["--embedder", "hashing", "--sizes", "200", "--real-sample", "0",
                        "--no-http", "--no-profile", "--questions", "10",
                        "--out", str(out), "--work", str(tmp_path / "work")])
    entry = results["sizes"]["200"]
    assert "error" not in entry["build"] and "error" not in entry["query"]
    assert entry["build"]["paragraphs"] == 200
    assert entry["query"]["ask"]["n"] == 10
    assert entry["query"]["ask_repeated"]["no_second_embedding"]
    saved = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert saved["machine"]["python"] and saved["machine"]["versions"]["numpy"]
    markdown = (out / "latest.md").read_text(encoding="utf-8")
    assert "| Figure |" in markdown and "--sizes 200" in markdown
