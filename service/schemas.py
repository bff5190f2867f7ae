"""Request and response schemas of the HTTP API, named by role.

Request models of our own endpoints forbid unknown fields, so a misspelt option is a 422
naming it rather than silently ignored. The chat request is the exception: OpenAI clients
send many options this service has no use for (temperature, max_tokens, user, ...), and
refusing them would break the clients the endpoint exists for.

Limits that depend on settings (question length, the largest ``top_k``) are checked by the
API layer, which knows the settings; the static rules live here.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from index.store import SearchFilters


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only whitespace")
    return value


class Filters(_Request):
    """Restrict retrieval to some documents and/or sections."""

    doc_ids: list[str] = Field(
        default_factory=list, max_length=1000,
        description="Only paragraphs of these documents (empty: all).",
    )
    sections: list[str] = Field(
        default_factory=list, max_length=100,
        description="Only paragraphs under a heading that matches one of these, exactly "
        "('A. 国际合作') or without its enumerator ('国际合作').",
    )

    def to_domain(self) -> SearchFilters:
        """Return the index's filter object."""
        return SearchFilters(doc_ids=tuple(self.doc_ids), sections=tuple(self.sections))


class AskRequest(_Request):
    """A question to answer with cited sentences of the reports."""

    question: str = Field(description="The question, in Chinese or English.",
                          examples=["直接发出出示令时应以哪国法律为准？"])
    top_k: int | None = Field(
        None, ge=1, strict=True,
        description="Number of retrieved passages returned in `hits` (default: "
        "REPORTQA_TOP_K; at most REPORTQA_MAX_TOP_K).",
    )
    filters: Filters | None = None

    _question_not_blank = field_validator("question")(_not_blank)


class SearchRequest(_Request):
    """A search over the paragraphs of the reports."""

    query: str = Field(description="Search text, in Chinese or English.")
    top_k: int | None = Field(
        None, ge=1, strict=True,
        description="Number of paragraphs (default: REPORTQA_TOP_K; at most "
        "REPORTQA_MAX_TOP_K).",
    )
    filters: Filters | None = None

    _query_not_blank = field_validator("query")(_not_blank)


class VersionItem(BaseModel):
    """The cited paragraph in another language version of the same UN document."""

    id: str
    doc_id: str
    language: str | None = None
    paragraph: int
    section: list[str]
    text: str
    page: int | None = None


class CitationItem(BaseModel):
    """A cited paragraph and the exact span of it the answer quotes."""

    id: str = Field(description="Citation id `doc_id#paragraph`, as in the answer's markers.")
    doc_id: str
    paragraph: int
    section: list[str] = Field(description="Heading path, outermost first.")
    text: str = Field(description="The whole paragraph.")
    quote: str = Field(description="The quoted sentence, verbatim: text[quote_start:quote_end].")
    quote_start: int
    quote_end: int
    score: float = Field(description="Relevance of the quoted sentence or paragraph.")
    page: int | None = None
    versions: list[VersionItem] = Field(
        default_factory=list,
        description="The same paragraph in the other language versions of the document "
        "held in the index (linked by UN symbol).",
    )


class HitItem(BaseModel):
    """A retrieved paragraph with its scores."""

    id: str
    doc_id: str
    paragraph: int
    section: list[str]
    text: str
    page: int | None = None
    score: float = Field(description="Fused rank score (reciprocal-rank fusion); orders hits.")
    dense_score: float = Field(description="Cosine similarity of query and paragraph.")
    sparse_score: float = Field(
        0.0, description="Cosine similarity of learned sparse vectors (0 without them)."
    )
    bridge_score: float = Field(
        0.0, description="Cosine similarity of the index's cross-script bridge model when "
        "query and paragraph are in different scripts (0 otherwise or without a bridge)."
    )
    translation_score: float = Field(
        0.0, description="What the English question's dictionary translation added to the "
        "rank of a Chinese paragraph (0 otherwise or without a bridge); not part of the "
        "relevance that decides abstention."
    )
    lexical_score: float | None = Field(
        None, description="BM25 score; null when the paragraph shares no term with the query."
    )


class AskResponse(BaseModel):
    """An answer made of quoted, cited sentences, or an abstention with its reason."""

    question: str
    answer: str = Field(description="Quoted sentences, each followed by `[doc_id#paragraph]`.")
    abstained: bool
    reason: str | None = Field(None, description="Why the answerer abstained.")
    citations: list[CitationItem]
    hits: list[HitItem]
    timings_ms: dict[str, float] = Field(description="Milliseconds per stage.")


class SearchResponse(BaseModel):
    """Ranked paragraphs."""

    query: str
    hits: list[HitItem]
    timings_ms: dict[str, float]


class DocumentSummary(BaseModel):
    """What the index records of one document."""

    doc_id: str
    title: str
    content_hash: str
    paragraph_count: int
    metadata: dict[str, Any]


class DocumentListResponse(BaseModel):
    """The documents in the live index generation."""

    generation: str
    embedder: str
    bridge: str | None = Field(
        None, description="The index's cross-script bridge model, or null without one.")
    documents: list[DocumentSummary]


class ParagraphResponse(BaseModel):
    """One paragraph of a report."""

    id: str = Field(description="Citation id `doc_id#number`.")
    doc_id: str
    number: int
    section: list[str]
    text: str
    page: int | None = None


class DocumentResponse(DocumentSummary):
    """One document with all its paragraphs."""

    paragraphs: list[ParagraphResponse]


class HealthResponse(BaseModel):
    """The process is alive."""

    status: Literal["ok"] = "ok"


class ReadinessResponse(BaseModel):
    """The index is loaded and queries are served."""

    ready: Literal[True] = True
    generation: str
    embedder: str
    bridge: str | None = Field(
        None, description="The index's cross-script bridge model, or null without one.")
    documents: int
    paragraphs: int


class ReloadResponse(BaseModel):
    """Outcome of a reload request."""

    reloaded: bool = Field(description="True when a new generation was loaded and swapped in.")
    generation: str
    previous_generation: str | None


class ErrorDetail(BaseModel):
    """One offending field."""

    field: str = Field(description="Dotted location, e.g. `body.question`.")
    reason: str


class ErrorInfo(BaseModel):
    """What went wrong."""

    type: str = Field(description="Machine-readable kind, e.g. `validation_error`.")
    message: str
    status: int
    details: list[ErrorDetail]


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorInfo


# --------------------------------------------------------------------------- OpenAI API


class ContentPart(BaseModel):
    """A part of a multi-part message; only text parts are read."""

    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    """One message of a chat conversation."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None


class StreamOptions(BaseModel):
    """OpenAI stream options."""

    model_config = ConfigDict(extra="allow")

    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    """An OpenAI chat completion request; options without meaning here are ignored."""

    model_config = ConfigDict(extra="allow")

    model: str | None = Field(None, description="Ignored: there is one model, REPORTQA_MODEL_NAME.")
    messages: list[ChatMessage] = Field(min_length=1, max_length=1000)
    stream: bool = False
    stream_options: StreamOptions | None = None
    filters: Filters | None = Field(
        None, description="reportqa extension: restrict retrieval (send via `extra_body`)."
    )


class AssistantMessage(BaseModel):
    """The answer message."""

    role: Literal["assistant"] = "assistant"
    content: str


class ChatChoice(BaseModel):
    """The single choice of a completion."""

    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class Usage(BaseModel):
    """Rough token counts (characters of Chinese, words of Latin script)."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletionResponse(BaseModel):
    """An OpenAI chat completion, plus the structured citations of the answer."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    usage: Usage
    citations: list[CitationItem] = Field(
        description="reportqa extension: the paragraphs cited by the markers in the content."
    )


class ModelCard(BaseModel):
    """One model of the OpenAI models list."""

    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "reportqa"


class ModelListResponse(BaseModel):
    """The OpenAI models list: the one model this service is."""

    object: Literal["list"] = "list"
    data: list[ModelCard]
