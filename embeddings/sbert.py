"""Any sentence-transformers model, by hub name or local path, on CPU or GPU."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

import numpy as np

from embeddings._texts import as_text_list, batches, check_batch_size
from embeddings.base import l2_normalize

E5_QUERY_PROMPT = "query: "
E5_PASSAGE_PROMPT = "passage: "
BGE_QUERY_PROMPT_EN = "Represent this sentence for searching relevant passages: "
BGE_QUERY_PROMPT_ZH = "为这个句子生成表示以用于检索相关文章："


def _model_basename(model: str) -> str:
    # Match on the last path component only: "/home/e5user/models/all-MiniLM-L6-v2" is
    # not an e5 model, while "intfloat/multilingual-e5-small" and a local copy
    # "/models/multilingual-e5-small/" both are.
    return PurePath(model.replace("\\", "/").rstrip("/")).name.lower()


def prompts_by_name(model: str) -> tuple[str | None, str | None]:
    """Guess the query and passage prompts a model was trained with, from its name.

    e5 models were trained with ``"query: "`` / ``"passage: "`` on both sides; bge v1.5
    models want an instruction on queries only (a Chinese one for the ``zh`` models);
    bge-m3 and everything else take raw text.

    Args:
        model: Hub name or local path; only its last component is looked at.

    Returns:
        ``(query_prompt, passage_prompt)``, each ``None`` when the side takes no prompt.

    """
    name = _model_basename(model)
    if "e5" in name:
        return E5_QUERY_PROMPT, E5_PASSAGE_PROMPT
    if "bge" in name and "m3" not in name:
        return (BGE_QUERY_PROMPT_ZH if "zh" in name else BGE_QUERY_PROMPT_EN), None
    return None, None


def choose_prompts(
    model: str,
    *,
    model_prompts: Mapping[str, str] | None = None,
    query_prompt: str | None = None,
    passage_prompt: str | None = None,
) -> tuple[str | None, str | None]:
    """Decide the query and passage prompts, most specific source first.

    Per side: an explicit argument wins (``""`` means "no prompt"); else the model's
    own ``prompts`` config (``"query"``, and ``"passage"`` or ``"document"``) if it sets
    any non-empty prompt; else :func:`prompts_by_name`.

    Args:
        model: Hub name or local path of the model.
        model_prompts: The model's ``prompts`` mapping, as saved in its
            ``config_sentence_transformers.json``; ``None`` if unknown.
        query_prompt: Explicit query prompt, or ``None`` to decide automatically.
        passage_prompt: Explicit passage prompt, or ``None`` to decide automatically.

    Returns:
        ``(query_prompt, passage_prompt)``, each ``None`` when that side takes no prompt.

    """
    configured = {key: value for key, value in (model_prompts or {}).items() if value}
    # Recent sentence-transformers versions fill in {"query": "", "document": ""} for
    # every model, so only a non-empty prompt counts as the model saying something.
    if "query" in configured or "passage" in configured or "document" in configured:
        automatic = (
            configured.get("query"),
            configured.get("passage", configured.get("document")),
        )
    else:
        automatic = prompts_by_name(model)
    chosen_query = automatic[0] if query_prompt is None else query_prompt
    chosen_passage = automatic[1] if passage_prompt is None else passage_prompt
    return chosen_query or None, chosen_passage or None


class SentenceTransformerEmbedder:
    """A ``sentence_transformers.SentenceTransformer`` model as an :class:`Embedder`.

    The model is loaded on first use or by :meth:`load`, once. Prompts are chosen by
    :func:`choose_prompts` when the model is loaded, because the model's own config is
    one of the sources. Reading :attr:`dim`, :attr:`query_prompt` or :attr:`passage_prompt`
    loads the model, and so does ``isinstance(embedder, Embedder)`` on Python 3.11, whose
    protocol check reads every member.

    Attributes:
        spec: ``"st:" + model`` unless overridden.
        model_name: The hub name or local path, as given.
        device: Torch device, or ``None`` to let sentence-transformers pick (GPU if any).
        batch_size: Texts per forward pass.

    Args:
        model: Hub name (needs a machine that reaches the hub, or a filled cache) or
            path of a local sentence-transformers model directory.
        device: ``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``…; ``None`` picks.
        query_prompt: Text put before every query; ``None`` decides automatically and
            ``""`` forces none.
        passage_prompt: Text put before every passage; same rules.
        batch_size: Texts per forward pass; bounds activation memory.
        spec: Overrides the spec saved in index manifests, for a model that has a
            shorter stable name than its install path (the ``"minilm"`` factory form).

    Raises:
        ValueError: If ``model`` is empty or ``batch_size`` is not positive.

    """

    def __init__(
        self,
        model: str,
        *,
        device: str | None = None,
        query_prompt: str | None = None,
        passage_prompt: str | None = None,
        batch_size: int = 32,
        spec: str | None = None,
    ) -> None:
        if not model:
            raise ValueError("sentence-transformers model name or path must not be empty")
        self.model_name = model
        self.device = device
        self.batch_size = check_batch_size(batch_size)
        self.spec = spec or f"st:{model}"
        self._explicit_query_prompt = query_prompt
        self._explicit_passage_prompt = passage_prompt
        self._model: Any = None
        self._dim = 0
        self._query_prompt: str | None = None
        self._passage_prompt: str | None = None
        self._load_lock = threading.Lock()
        # Forward passes are serialised: a fast (Rust) tokenizer raises "Already
        # borrowed" when two threads use it at once, and torch already spreads one
        # batch over every core, so parallel calls would gain nothing.
        self._encode_lock = threading.Lock()

    def load(self) -> None:
        """Load the model and settle the prompts now rather than on first use.

        Raises:
            OSError: If the model is neither a local directory nor reachable on the hub.

        """
        self._loaded_model()

    def _loaded_model(self) -> Any:
        model = self._model
        if model is not None:
            return model
        with self._load_lock:
            if self._model is None:
                # Imported here: importing torch takes seconds, and constructors are cheap.
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(self.model_name, device=self.device)
                self._query_prompt, self._passage_prompt = choose_prompts(
                    self.model_name,
                    model_prompts=getattr(model, "prompts", None),
                    query_prompt=self._explicit_query_prompt,
                    passage_prompt=self._explicit_passage_prompt,
                )
                # get_embedding_dimension is the newer name; older releases only have
                # get_sentence_embedding_dimension.
                if hasattr(model, "get_embedding_dimension"):
                    dim = model.get_embedding_dimension()
                else:
                    dim = model.get_sentence_embedding_dimension()
                if not dim:
                    raise ValueError(
                        f"model {self.model_name!r} does not report an embedding dimension"
                    )
                self._dim = int(dim)
                self._model = model
            return self._model

    @property
    def dim(self) -> int:
        """Vector dimension, from the model (loads it)."""
        self._loaded_model()
        return self._dim

    @property
    def query_prompt(self) -> str | None:
        """The prompt put before queries, or ``None`` (loads the model)."""
        self._loaded_model()
        return self._query_prompt

    @property
    def passage_prompt(self) -> str | None:
        """The prompt put before passages, or ``None`` (loads the model)."""
        self._loaded_model()
        return self._passage_prompt

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode queries, with the query prompt, into ``(len(texts), dim)`` float32 rows."""
        model = self._loaded_model()
        return self._encode(model, texts, self._query_prompt)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Encode passages, with the passage prompt, into ``(len(texts), dim)`` float32 rows."""
        model = self._loaded_model()
        return self._encode(model, texts, self._passage_prompt)

    def _encode(self, model: Any, texts: Sequence[str], prompt: str | None) -> np.ndarray:
        text_list = as_text_list(texts)
        output = np.empty((len(text_list), self._dim), dtype=np.float32)
        row = 0
        for batch in batches(text_list, self.batch_size):
            with self._encode_lock:
                vectors = model.encode(
                    batch,
                    prompt=prompt,
                    batch_size=self.batch_size,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            output[row : row + len(batch)] = vectors
            row += len(batch)
        return l2_normalize(output)

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbedder({self.model_name!r}, device={self.device!r})"
