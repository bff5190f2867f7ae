"""The reports as a Model Context Protocol server, for AI assistants (stdio transport).

Run it with ``reportqa mcp --index DIR`` or ``python -m service.mcp_server --index DIR``
and register that command with an MCP client (Claude Desktop, an IDE, an agent). Three
tools, the same answerer as the CLI and the HTTP API behind them:

* ``search_reports(query, top_k=5, doc_ids=None)``: ranked paragraphs.
* ``ask_reports(question, top_k=5)``: an extractive answer whose sentences are quoted from
  the reports with ``[doc_id#N]`` markers, its citations, or an abstention with its reason.
* ``get_paragraph(doc_id, number)``: one paragraph, to read a citation in full.

A user error (empty question, unknown document or paragraph, no index yet) comes back as
a tool error whose message says what to do; the server keeps running. stdout carries the
protocol, so every log line goes to stderr. A re-ingest into the index directory is
picked up on the next call without a restart.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from collections.abc import Sequence
from contextlib import redirect_stdout
from pathlib import Path
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field
from typing_extensions import TypedDict  # pydantic needs it for schemas on Python < 3.12

from index.errors import ReportQAError
from service.settings import Settings, get_settings

logger = logging.getLogger("reportqa.mcp")

SERVER_NAME = "reportqa"
INSTRUCTIONS = (
    "Search and answer questions over UN reports (Chinese and English). Answers are "
    "extractive: each sentence is copied from a report and followed by its citation "
    "[doc_id#N] (document id, paragraph number as printed). Quote them as given and cite "
    "the ids; use get_paragraph to read a cited paragraph in full. When ask_reports "
    "abstains, the reports do not answer the question: say so rather than guess."
)


# --------------------------------------------------------------------------- results


class HitResult(TypedDict):
    """One retrieved paragraph."""

    id: str
    doc_id: str
    paragraph: int
    section: list[str]
    text: str
    page: int | None
    score: float
    dense_score: float
    sparse_score: float
    bridge_score: float
    translation_score: float
    lexical_score: float | None


class SearchResult(TypedDict):
    """Paragraphs ranked for a query."""

    query: str
    hits: list[HitResult]


class CitationResult(TypedDict):
    """A cited paragraph and the span of it the answer quotes (code-point offsets)."""

    id: str
    doc_id: str
    paragraph: int
    section: list[str]
    text: str
    quote: str
    quote_start: int
    quote_end: int
    score: float
    page: int | None
    versions: list[dict[str, Any]]


class AskResult(TypedDict):
    """An answer with its citations, or an abstention with its reason."""

    question: str
    answer: str
    abstained: bool
    reason: str | None
    citations: list[CitationResult]


class ParagraphResult(TypedDict):
    """One paragraph of a report."""

    id: str
    doc_id: str
    title: str
    number: int
    section: list[str]
    text: str
    page: int | None


# --------------------------------------------------------------------------- tools


class ReportTools:
    """The tools' logic, independent of the protocol (and testable without it).

    The answerer is loaded on first use and reloaded when an ingest publishes a new index
    generation; the embedder is kept across reloads while its spec stays the same.

    Args:
        index_dir: The index directory.
        embedder: Embedder spec; None for the one the index was built with.
        settings: Limits and the abstention threshold; by default the environment's.
    """

    def __init__(self, index_dir: Path, embedder: str | None = None,
                 settings: Settings | None = None) -> None:
        self.index_dir = Path(index_dir)
        self.settings = settings or get_settings()
        self.embedder_spec = embedder or self.settings.embedder
        self._lock = threading.Lock()
        self._answerer: Any = None
        self._model: Any = None

    def answerer(self) -> Any:
        """The answerer over the live index generation, loading it if needed.

        Raises:
            ReportQAError: No index, a corrupt one, or an embedder mismatch.
        """
        from index.store import read_current

        with self._lock:
            current = self._answerer
            try:
                generation = read_current(self.index_dir)
            except ReportQAError:
                if current is not None:  # Keep serving what we have.
                    return current
                raise
            if current is None or current.index.generation != generation:
                self._answerer = self._load()
                logger.info("loaded index %s generation %s (%d paragraphs)",
                            self.index_dir, self._answerer.index.generation,
                            len(self._answerer.index))
            return self._answerer

    def _load(self) -> Any:
        from service.answerer import open_answerer

        # Model loading may print (progress bars, warnings); stdout is the protocol.
        with redirect_stdout(sys.stderr):
            answerer = open_answerer(self.index_dir, self.settings, spec=self.embedder_spec,
                                     embedder=self._model)
        self._model = answerer.embedder
        return answerer

    def _top_k(self, top_k: int) -> int:
        if top_k < 1 or top_k > self.settings.max_top_k:
            raise ToolError(f"top_k must be from 1 to {self.settings.max_top_k} "
                            f"(REPORTQA_MAX_TOP_K), got {top_k}")
        return top_k

    def search(self, query: str, top_k: int = 5,
               doc_ids: Sequence[str] | None = None) -> SearchResult:
        """Rank paragraphs for a query (hybrid dense + BM25)."""
        from index.store import SearchFilters
        from service.answerer import hit_to_dict

        top_k = self._top_k(top_k)
        try:
            answerer = self.answerer()
            filters = SearchFilters(doc_ids=tuple(doc_ids or ()))
            hits, _ = answerer.search(query, top_k=top_k, filters=filters)
        except ReportQAError as error:
            raise ToolError(str(error)) from error
        return {"query": query.strip(), "hits": [hit_to_dict(hit) for hit in hits]}  # type: ignore[misc]

    def ask(self, question: str, top_k: int = 5) -> AskResult:
        """Answer with quoted, cited sentences of the reports, or abstain."""
        top_k = self._top_k(top_k)
        try:
            answer = self.answerer().ask(question, top_k=top_k).to_dict()
        except ReportQAError as error:
            raise ToolError(str(error)) from error
        return {key: answer[key] for key in  # type: ignore[return-value]
                ("question", "answer", "abstained", "reason", "citations")}

    def paragraph(self, doc_id: str, number: int) -> ParagraphResult:
        """One paragraph by document id and printed paragraph number."""
        try:
            index = self.answerer().index
            paragraph = index.paragraph(doc_id, number)
            title = index.document(doc_id).title
        except ReportQAError as error:
            raise ToolError(str(error)) from error
        return {"id": paragraph.citation_id, "doc_id": paragraph.doc_id, "title": title,
                "number": paragraph.number, "section": list(paragraph.section),
                "text": paragraph.text, "page": paragraph.page}


_READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False,
                             idempotent_hint=True, open_world_hint=False)


def build_server(tools: ReportTools) -> MCPServer:
    """The MCP server exposing ``tools``.

    Args:
        tools: The tools' logic, bound to an index.

    Returns:
        An MCPServer with search_reports, ask_reports and get_paragraph.
    """
    server: MCPServer = MCPServer(SERVER_NAME, instructions=INSTRUCTIONS,
                                  log_level=_log_level(tools.settings))

    @server.tool(title="Search the reports", annotations=_READ_ONLY)
    def search_reports(
        query: Annotated[str, Field(description="Search text, in Chinese or English.")],
        top_k: Annotated[int, Field(ge=1, le=1000,
                                    description="Number of paragraphs to return.")] = 5,
        doc_ids: Annotated[list[str] | None, Field(
            description="Only search these documents (ids as in citations).")] = None,
    ) -> SearchResult:
        """Rank the report paragraphs that match a query, best first, with their text.

        Each hit's id is its citation, doc_id#N (N: the paragraph number printed in the
        report).
        """
        return tools.search(query, top_k, doc_ids)

    @server.tool(title="Answer from the reports", annotations=_READ_ONLY)
    def ask_reports(
        question: Annotated[str, Field(description="The question, in Chinese or English.")],
        top_k: Annotated[int, Field(ge=1, le=1000,
                                    description="Number of passages considered.")] = 5,
    ) -> AskResult:
        """Answer a question with sentences quoted from the reports, each cited [doc_id#N].

        When no paragraph is relevant enough, abstained is true and reason says why: the
        reports do not answer the question. citations give each cited paragraph's full
        text and the quoted span (quote, quote_start, quote_end in code points).
        """
        return tools.ask(question, top_k)

    @server.tool(title="Read a paragraph", annotations=_READ_ONLY)
    def get_paragraph(
        doc_id: Annotated[str, Field(description="Document id, the part of a citation "
                                     "before '#'.")],
        number: Annotated[int, Field(description="Paragraph number, the part after '#'.")],
    ) -> ParagraphResult:
        """Return one report paragraph in full, e.g. to read a citation doc_id#number."""
        return tools.paragraph(doc_id, number)

    return server


def _log_level(settings: Settings) -> Any:
    level = settings.log_level.upper()
    return level if level in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL") else "INFO"


def configure_logging(settings: Settings) -> None:
    """Send every log record to stderr: stdout is the protocol stream."""
    logging.basicConfig(stream=sys.stderr, level=_log_level(settings),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def serve(index_dir: Path, embedder: str | None = None,
          settings: Settings | None = None) -> None:
    """Serve the index over stdio until the client closes the connection.

    The index is loaded before the first request when it exists; when it does not (or
    cannot be loaded), the server still starts and each tool call says why it cannot
    answer, until an ingest creates the index.

    Args:
        index_dir: The index directory.
        embedder: Embedder spec; None for the one the index was built with.
        settings: Limits and log level; by default the environment's.
    """
    settings = settings or get_settings()
    configure_logging(settings)
    tools = ReportTools(index_dir, embedder, settings)
    try:
        tools.answerer()
    except ReportQAError as error:
        logger.warning("index not loaded yet: %s", error)
    logger.info("reportqa MCP server on stdio, index %s", index_dir)
    build_server(tools).run("stdio")


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m service.mcp_server --index DIR [--embedder SPEC]``."""
    defaults = get_settings()
    parser = argparse.ArgumentParser(prog="python -m service.mcp_server",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--index", "-i", type=Path, default=defaults.index_dir,
                        help="Index directory (REPORTQA_INDEX_DIR).")
    parser.add_argument("--embedder", "-e", default=None,
                        help="Embedder spec; default: the one the index was built with.")
    args = parser.parse_args(argv)
    serve(args.index, args.embedder, defaults)


if __name__ == "__main__":
    main()
