"""The HTTP API through TestClient: every endpoint, every error shape, auth, CORS, reload."""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from embeddings import make_embedder
from index.model import Document, Paragraph
from index.store import write_index
from service import chat
from service.api import create_app
from service.schemas import ChatMessage
from service.settings import Settings
from tests.support import SEED_DOC_ID, background_workers, build_index

DOC_ID = SEED_DOC_ID
QUESTION = "直接发出出示令时应以哪国法律为准？"
MARKER = f"[{DOC_ID}#13]"
KEY = "test-key-0123456789"
ERROR_KEYS = {"type", "message", "status", "details"}


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory.mktemp("api") / "index", "hashing")


@pytest.fixture()
def make_client(seed_index: Path) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(raise_server_exceptions: bool = True, **overrides: Any) -> TestClient:
        values: dict[str, Any] = {"index_dir": seed_index, "reload_interval": 0}
        values.update(overrides)
        client = TestClient(create_app(Settings(**values)),
                            raise_server_exceptions=raise_server_exceptions)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture()
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def assert_error(response: Any, status: int, error_type: str | None = None,
                 field: str | None = None) -> dict[str, Any]:
    """Check the one error body shape and return its ``error`` object."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == ERROR_KEYS
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], list)
    if error_type is not None:
        assert error["type"] == error_type
    if field is not None:
        assert field in [d["field"] for d in error["details"]], error
        assert all(set(d) == {"field", "reason"} and d["reason"] for d in error["details"])
    return error


# --------------------------------------------------------------------------- error shape


def test_error_body_shape_is_pinned(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "  "})
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "type": "validation_error",
            "message": "invalid request: body.question: must not be empty or only whitespace",
            "status": 422,
            "details": [{"field": "body.question",
                         "reason": "must not be empty or only whitespace"}],
        }
    }


def test_unknown_route_and_wrong_method_use_the_same_body(client: TestClient) -> None:
    error = assert_error(client.get("/v1/nothing-here"), 404, "not_found")
    assert "/docs" in error["message"]
    response = client.get("/v1/ask")
    error = assert_error(response, 405, "method_not_allowed")
    assert "POST" in error["message"] and response.headers["allow"] == "POST"


@pytest.mark.parametrize(("payload", "field"), [
    ({}, "body.question"),
    ({"question": 42}, "body.question"),
    ({"question": None}, "body.question"),
    ({"question": ["a"]}, "body.question"),
    ({"question": ""}, "body.question"),
    ({"question": " \n\t "}, "body.question"),
    ({"question": "x" * 2001}, "body.question"),
    ({"question": "电子证据\u0000"}, "body.question"),
    ({"question": QUESTION, "top_k": 0}, "body.top_k"),
    ({"question": QUESTION, "top_k": -3}, "body.top_k"),
    ({"question": QUESTION, "top_k": 10**9}, "body.top_k"),
    ({"question": QUESTION, "top_k": 101}, "body.top_k"),
    ({"question": QUESTION, "top_k": "5"}, "body.top_k"),
    ({"question": QUESTION, "top_k": 2.5}, "body.top_k"),
    ({"question": QUESTION, "top_k": True}, "body.top_k"),
    ({"question": QUESTION, "unknown": 1}, "body.unknown"),
    ({"question": QUESTION, "filters": {"doc_id": ["x"]}}, "body.filters.doc_id"),
    ({"question": QUESTION, "filters": {"doc_ids": "x"}}, "body.filters.doc_ids"),
    ({"question": QUESTION, "filters": []}, "body.filters"),
])
def test_ask_validation_errors_name_the_field(client: TestClient, payload: dict[str, Any],
                                              field: str) -> None:
    error = assert_error(client.post("/v1/ask", json=payload), 422, "validation_error", field)
    assert field in error["message"] or error["details"][0]["reason"] in error["message"]


@pytest.mark.parametrize("payload", [
    {"query": ""}, {"query": 3}, {"query": "证据", "top_k": 0}, {"query": "证据", "k": 3},
])
def test_search_validation_errors(client: TestClient, payload: dict[str, Any]) -> None:
    assert_error(client.post("/v1/search", json=payload), 422, "validation_error")


@pytest.mark.parametrize(("body", "headers"), [
    (b'{"question": ', {"content-type": "application/json"}),
    (b"not json at all", {"content-type": "application/json"}),
    (b"\xff\xfe\x00garbage", {"content-type": "application/json"}),
    (b'"just a string"', {"content-type": "application/json"}),
    (b'[1, 2]', {"content-type": "application/json"}),
    (b"question=hello", {"content-type": "application/x-www-form-urlencoded"}),
    (b'{"question": "hello"}', {}),
])
def test_malformed_bodies_are_client_errors(client: TestClient, body: bytes,
                                            headers: dict[str, str]) -> None:
    response = client.post("/v1/ask", content=body, headers=headers)
    assert response.status_code in (400, 422), response.text
    assert_error(response, response.status_code)


def test_invalid_json_names_the_body(client: TestClient) -> None:
    response = client.post("/v1/ask", content=b'{"question": ',
                           headers={"content-type": "application/json"})
    error = assert_error(response, 422, "validation_error", "body")
    assert "not valid JSON" in error["message"]


def test_body_over_the_limit_is_refused_before_parsing(make_client: Callable[..., TestClient]
                                                       ) -> None:
    client = make_client(max_body_bytes=4096)
    big = json.dumps({"question": "证" * 5000}).encode()
    error = assert_error(client.post("/v1/ask", content=big,
                                     headers={"content-type": "application/json"}),
                         413, "payload_too_large")
    assert "4096" in error["message"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        for _ in range(10):
            yield b"x" * 1000

    assert_error(client.post("/v1/ask", content=chunks(),
                             headers={"content-type": "application/json"}), 413)
    small = client.post("/v1/ask", content=iter([json.dumps({"question": QUESTION}).encode()]),
                        headers={"content-type": "application/json"})
    assert small.status_code == 200 and MARKER in small.json()["answer"]


def test_unexpected_errors_are_500_without_details(make_client: Callable[..., TestClient],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    client = make_client(raise_server_exceptions=False)
    answerer = client.app.state.service.answerer  # type: ignore[attr-defined]

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret /etc/internal/path")

    monkeypatch.setattr(answerer, "ask", broken)
    response = client.post("/v1/ask", json={"question": QUESTION})
    error = assert_error(response, 500, "internal_error")
    assert "secret" not in response.text and "Traceback" not in response.text
    assert error["details"] == []


# --------------------------------------------------------------------------- endpoints


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"ready": True, "generation": "gen-00000001",
                            "embedder": "hashing:256", "bridge": None, "documents": 1,
                            "paragraphs": 17}


def test_ask_answers_with_a_cited_quote(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": QUESTION, "top_k": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["abstained"] is False and body["reason"] is None
    assert body["answer"].endswith(MARKER)
    citation = body["citations"][0]
    assert citation["id"] == f"{DOC_ID}#13" and citation["paragraph"] == 13
    assert citation["text"][citation["quote_start"]:citation["quote_end"]] == citation["quote"]
    assert citation["quote"] in body["answer"]
    assert citation["section"] == ["二. 初步建议和结论清单（续）", "A. 国际合作"]
    assert len(body["hits"]) == 3
    assert {"embed", "retrieve", "answer"} <= set(body["timings_ms"])


@pytest.mark.parametrize("question", [
    QUESTION, "私营部门有什么责任？", "What is the Budapest Convention?", "how to cook pasta",
    "专家组的任务期限", "电子证据", "Japan", "a", "？？？a",
])
def test_every_answer_cites_or_abstains(client: TestClient, question: str) -> None:
    body = client.post("/v1/ask", json={"question": question}).json()
    if body["abstained"]:
        assert body["citations"] == [] and body["reason"]
    else:
        assert body["citations"]
        for citation in body["citations"]:
            assert f"[{citation['id']}]" in body["answer"]


def test_ask_abstains_on_unrelated_question(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": "how to cook pasta"}).json()
    assert body["abstained"] is True and body["citations"] == []
    assert "threshold" in body["reason"]


def test_filters_restrict_retrieval(client: TestClient) -> None:
    body = client.post("/v1/search", json={
        "query": "电子证据", "top_k": 50,
        "filters": {"doc_ids": [DOC_ID], "sections": ["国际合作"]},
    }).json()
    assert body["hits"] and all(h["doc_id"] == DOC_ID for h in body["hits"])
    assert all("A. 国际合作" in h["section"] for h in body["hits"])
    none = client.post("/v1/search", json={"query": "电子证据",
                                           "filters": {"sections": ["no such heading"]}})
    assert none.status_code == 200 and none.json()["hits"] == []


def test_search_ranks_paragraphs_with_scores(client: TestClient) -> None:
    response = client.post("/v1/search", json={"query": f"  {QUESTION} ", "top_k": 4})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == QUESTION
    hits = body["hits"]
    assert len(hits) == 4
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert hits[0]["id"] == f"{DOC_ID}#13"
    assert {"id", "doc_id", "paragraph", "section", "text", "score", "dense_score",
            "sparse_score", "bridge_score", "translation_score", "lexical_score",
            "page"} == set(hits[0])
    assert "retrieve" in body["timings_ms"]


def test_unknown_filter_document_is_404(client: TestClient) -> None:
    error = assert_error(client.post("/v1/ask", json={"question": QUESTION,
                                                      "filters": {"doc_ids": ["nope"]}}),
                         404, "not_found")
    assert DOC_ID in error["message"]


def test_documents(client: TestClient) -> None:
    listing = client.get("/v1/documents").json()
    assert listing["generation"] == "gen-00000001" and listing["embedder"] == "hashing:256"
    assert [d["doc_id"] for d in listing["documents"]] == [DOC_ID]
    assert listing["documents"][0]["paragraph_count"] == 17

    # The source file is named, not the server directory it was ingested from.
    assert listing["documents"][0]["metadata"]["source"] == f"{DOC_ID}.txt"

    document = client.get(f"/v1/documents/{DOC_ID}").json()
    assert document["doc_id"] == DOC_ID and document["title"]
    assert document["metadata"]["source"] == f"{DOC_ID}.txt"
    assert [p["number"] for p in document["paragraphs"]] == list(range(1, 18))

    paragraph = client.get(f"/v1/documents/{DOC_ID}/paragraphs/13").json()
    assert paragraph["id"] == f"{DOC_ID}#13" and paragraph["number"] == 13
    assert "出示令" in paragraph["text"]


@pytest.mark.parametrize(("path", "status", "field"), [
    ("/v1/documents/no-such-doc", 404, None),
    ("/v1/documents/no-such-doc/paragraphs/1", 404, None),
    (f"/v1/documents/{DOC_ID}/paragraphs/18", 404, None),
    (f"/v1/documents/{DOC_ID}/paragraphs/0", 404, None),
    (f"/v1/documents/{DOC_ID}/paragraphs/-1", 404, None),
    (f"/v1/documents/{DOC_ID}/paragraphs/{10**30}", 404, None),
    (f"/v1/documents/{DOC_ID}/paragraphs/thirteen", 422, "path.number"),
])
def test_unknown_documents_and_paragraphs(client: TestClient, path: str, status: int,
                                          field: str | None) -> None:
    error = assert_error(client.get(path), status, field=field)
    if status == 404:
        assert error["type"] == "not_found" and "no " in error["message"]


def test_openapi_docs(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/ask", "/v1/search", "/v1/documents", "/v1/chat/completions",
            "/v1/models", "/healthz", "/readyz", "/metrics"} <= set(paths)


def test_metrics_expose_endpoint_and_stage_histograms(client: TestClient) -> None:
    client.post("/v1/ask", json={"question": QUESTION})
    client.get("/v1/nothing")
    text = client.get("/metrics").text
    assert re.search(r'reportqa_http_request_duration_seconds_bucket\{endpoint="/v1/ask",'
                     r'le="[^"]+",method="POST"\} 1\.0', text)
    assert 'reportqa_http_requests_total{endpoint="/v1/ask",method="POST",status="200"} 1.0' in text
    assert 'reportqa_stage_duration_seconds_count{endpoint="/v1/ask",stage="embed"}' in text
    assert 'reportqa_stage_duration_seconds_count{endpoint="/v1/ask",stage="retrieve"}' in text
    assert 'endpoint="unmatched",method="GET",status="404"' in text
    assert "reportqa_ready 1.0" in text


def test_apps_have_separate_metric_registries(make_client: Callable[..., TestClient]) -> None:
    first, second = make_client(), make_client()
    first.post("/v1/ask", json={"question": QUESTION})
    assert 'endpoint="/v1/ask"' not in second.get("/metrics").text


# --------------------------------------------------------------------------- auth, CORS, rate


def test_api_keys(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_keys=["other-key", KEY])
    missing = client.post("/v1/ask", json={"question": QUESTION})
    error = assert_error(missing, 401, "unauthorized")
    assert "Authorization: Bearer" in error["message"]
    assert missing.headers["www-authenticate"] == "Bearer"
    assert_error(client.post("/v1/ask", json={"question": QUESTION},
                             headers={"Authorization": "Bearer wrong"}), 401)
    assert_error(client.post("/v1/ask", json={"question": QUESTION},
                             headers={"Authorization": f"Basic {KEY}"}), 401)
    assert_error(client.post("/v1/ask", json={"question": QUESTION},
                             headers={"Authorization": f"Bearer {KEY}x"}), 401)
    good = {"Authorization": f"Bearer {KEY}"}
    assert client.post("/v1/ask", json={"question": QUESTION}, headers=good).status_code == 200
    for path in ("/v1/documents", "/v1/models", "/metrics"):
        assert_error(client.get(path), 401)
        assert client.get(path, headers=good).status_code == 200
    assert_error(client.post("/v1/chat/completions",
                             json={"model": "reportqa",
                                   "messages": [{"role": "user", "content": QUESTION}]}), 401)
    assert_error(client.post("/v1/admin/reload"), 401)
    # Health stays open for probes.
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_cors(make_client: Callable[..., TestClient]) -> None:
    client = make_client(cors_origins=["https://allowed.example"])
    allowed = client.get("/v1/documents", headers={"Origin": "https://allowed.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://allowed.example"
    denied = client.get("/v1/documents", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in denied.headers

    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
    ok = client.options("/v1/ask", headers={"Origin": "https://allowed.example", **preflight})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "https://allowed.example"
    refused = client.options("/v1/ask", headers={"Origin": "https://evil.example", **preflight})
    error = assert_error(refused, 400, "cors_refused")
    assert "evil.example" in error["message"]


def test_cors_headers_reach_error_responses(make_client: Callable[..., TestClient]) -> None:
    client = make_client(cors_origins=["https://allowed.example"], api_keys=[KEY])
    response = client.get("/v1/documents", headers={"Origin": "https://allowed.example"})
    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == "https://allowed.example"


def test_rate_limit(make_client: Callable[..., TestClient]) -> None:
    client = make_client(rate_limit_per_minute=2)
    assert client.get("/v1/documents").status_code == 200
    assert client.get("/v1/models").status_code == 200
    limited = client.get("/v1/documents")
    error = assert_error(limited, 429, "rate_limited")
    assert "REPORTQA_RATE_LIMIT_PER_MINUTE" in error["message"]
    assert int(limited.headers["retry-after"]) >= 1
    assert client.get("/healthz").status_code == 200


def test_failed_keys_are_limited_per_address_and_told_so(
        make_client: Callable[..., TestClient]) -> None:
    # Keys cannot be guessed at an unlimited rate; a user with a mistyped key is told
    # that the wait is for requests without a valid key, not for their own requests.
    client = make_client(api_keys=[KEY], rate_limit_per_minute=2)
    wrong = {"Authorization": "Bearer not-the-key"}
    assert client.get("/v1/documents", headers=wrong).status_code == 401
    assert client.get("/v1/documents", headers=wrong).status_code == 401
    error = assert_error(client.get("/v1/documents", headers=wrong), 429, "rate_limited")
    assert error["message"].startswith(
        "too many requests without a valid API key from this address")
    assert client.get("/v1/documents",
                      headers={"Authorization": f"Bearer {KEY}"}).status_code == 200


# --------------------------------------------------------------------------- OpenAI chat


def chat_body(*turns: str, **extra: Any) -> dict[str, Any]:
    roles = ["user", "assistant"]
    messages = [{"role": roles[i % 2], "content": text} for i, text in enumerate(turns)]
    return {"model": "gpt-4o", "messages": messages, **extra}


def test_models(client: TestClient) -> None:
    body = client.get("/v1/models").json()
    assert body["object"] == "list"
    assert [m["id"] for m in body["data"]] == ["reportqa"]
    assert client.get("/v1/models/reportqa").json()["id"] == "reportqa"
    assert_error(client.get("/v1/models/gpt-4"), 404, "not_found")


def test_chat_completion(client: TestClient) -> None:
    response = client.post("/v1/chat/completions", json=chat_body(
        QUESTION, temperature=0.2, max_tokens=100, user="someone", n=1,
    ) | {"messages": [{"role": "system", "content": "You are a helpful assistant."},
                      {"role": "user", "content": QUESTION}]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["object"] == "chat.completion" and body["id"].startswith("chatcmpl-")
    assert body["model"] == "reportqa"
    choice = body["choices"][0]
    assert choice["finish_reason"] == "stop" and choice["message"]["role"] == "assistant"
    assert choice["message"]["content"].endswith(MARKER)
    assert body["citations"][0]["id"] == f"{DOC_ID}#13"
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0


def test_chat_configured_model_name(make_client: Callable[..., TestClient]) -> None:
    client = make_client(model_name="un-reports")
    assert client.post("/v1/chat/completions",
                       json=chat_body(QUESTION)).json()["model"] == "un-reports"
    assert client.get("/v1/models").json()["data"][0]["id"] == "un-reports"


def test_chat_abstention_says_so(client: TestClient) -> None:
    body = client.post("/v1/chat/completions", json=chat_body("how to cook pasta")).json()
    assert body["choices"][0]["message"]["content"] == "The reports do not answer this question."
    assert body["citations"] == []


def parse_sse(text: str) -> list[Any]:
    events = []
    for block in text.strip().split("\n\n"):
        assert block.startswith("data: "), block
        data = block[len("data: "):]
        events.append(data if data == "[DONE]" else json.loads(data))
    return events


def test_chat_streaming(client: TestClient) -> None:
    with client.stream("POST", "/v1/chat/completions",
                       json=chat_body(QUESTION, stream=True)) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(response.read().decode())
    assert events[-1] == "[DONE]"
    chunks = events[:-1]
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == "reportqa"
               for c in chunks)
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    content = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert content.endswith(MARKER)
    final = chunks[-1]
    assert final["choices"][0]["finish_reason"] == "stop"
    assert final["citations"][0]["id"] == f"{DOC_ID}#13"
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1])


def test_chat_streaming_usage_chunk(client: TestClient) -> None:
    body = chat_body(QUESTION, stream=True, stream_options={"include_usage": True})
    events = parse_sse(client.post("/v1/chat/completions", json=body).text)
    assert events[-1] == "[DONE]"
    assert events[-2]["choices"] == [] and events[-2]["usage"]["total_tokens"] > 0
    assert events[-3]["choices"][0]["finish_reason"] == "stop"


def test_chat_streaming_errors_are_plain_error_responses(client: TestClient) -> None:
    response = client.post("/v1/chat/completions", json=chat_body("   ", stream=True))
    assert_error(response, 422, "validation_error", "body.messages.0.content")


def test_chat_follow_up_uses_the_earlier_question(client: TestClient,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    answerer = client.app.state.service.answerer  # type: ignore[attr-defined]
    asked: list[str] = []
    real_ask = answerer.ask

    def recording_ask(question: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(question)
        return real_ask(question, *args, **kwargs)

    monkeypatch.setattr(answerer, "ask", recording_ask)
    previous_answer = f"此外，建议各国减少在适用法律要求方面的法律冲突。 {MARKER}"
    response = client.post("/v1/chat/completions", json={"model": "reportqa", "messages": [
        {"role": "system", "content": "You are a helpful assistant. Answer briefly."},
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": previous_answer},
        {"role": "user", "content": "那私营部门呢？"},
    ]})
    assert response.status_code == 200
    # Retrieval sees the earlier question, not the system prompt or our previous answer.
    assert asked == [f"{QUESTION} 那私营部门呢？"]
    body = response.json()
    content = body["choices"][0]["message"]["content"]
    if body["citations"]:
        assert all(f"[{c['id']}]" in content for c in body["citations"])
    else:
        assert content == "报告中没有找到能回答这个问题的段落。"


@pytest.mark.parametrize(("payload", "field"), [
    ({"model": "reportqa"}, "body.messages"),
    ({"model": "reportqa", "messages": []}, "body.messages"),
    ({"model": "reportqa", "messages": "hello"}, "body.messages"),
    ({"model": "reportqa", "messages": [{"content": "hi"}]}, "body.messages.0.role"),
    ({"model": "reportqa", "messages": [{"role": "wizard", "content": "hi"}]},
     "body.messages.0.role"),
    ({"model": "reportqa", "messages": [{"role": "user", "content": 5}]},
     "body.messages.0.content.str"),
    ({"model": "reportqa", "messages": [{"role": "system", "content": "be nice"}]},
     "body.messages"),
    ({"model": "reportqa", "messages": [{"role": "user", "content": ""}]},
     "body.messages.0.content"),
    ({"model": "reportqa", "messages": [{"role": "user", "content": "x" * 2001}]},
     "body.messages.0.content"),
    ({"model": "reportqa", "messages": [{"role": "user", "content": QUESTION}], "stream": [1]},
     "body.stream"),
])
def test_chat_validation_errors(client: TestClient, payload: dict[str, Any], field: str) -> None:
    assert_error(client.post("/v1/chat/completions", json=payload), 422, "validation_error",
                 field)


def test_chat_accepts_content_parts(client: TestClient) -> None:
    body = client.post("/v1/chat/completions", json={"model": "reportqa", "messages": [{
        "role": "user",
        "content": [{"type": "text", "text": QUESTION},
                    {"type": "image_url", "image_url": {"url": "http://x/y.png"}}],
    }]}).json()
    assert body["choices"][0]["message"]["content"].endswith(MARKER)


def message(role: str, content: Any) -> ChatMessage:
    return ChatMessage.model_validate({"role": role, "content": content})


@pytest.mark.parametrize(("text", "expected"), [
    ("那私营部门呢？", True), ("那么日本呢？", True), ("还有呢？", True), ("为什么？", True),
    ("and what about Japan?", True), ("What about Japan?", True), ("How about Japan?", True),
    ("what of the private sector?", True), ("Why?", True), ("tell me more", True),
    (QUESTION, False), ("私营部门在获取电子证据方面有什么责任？", False),
    ("What did the expert group recommend on electronic evidence?", False),
    ("Android devices and forensic evidence", False),
])
def test_follow_up_detection(text: str, expected: bool) -> None:
    assert chat.is_follow_up(text) is expected


def test_retrieval_question_chains_follow_ups(client: TestClient) -> None:
    answerer = client.app.state.service.answerer  # type: ignore[attr-defined]
    messages = [message("system", "You answer in French."), message("user", QUESTION),
                message("assistant", "… [x#1]"), message("user", "那私营部门呢？"),
                message("assistant", "… [x#2]"), message("user", "还有呢？")]
    assert chat.retrieval_question(messages, answerer) == f"{QUESTION} 那私营部门呢？ 还有呢？"
    own_topic = "私营部门在获取电子证据方面有什么责任？"
    standalone = [message("user", QUESTION), message("user", own_topic)]
    assert chat.retrieval_question(standalone, answerer) == own_topic
    too_long = [message("user", "证" * 1996), message("user", "那私营部门呢？")]
    assert chat.retrieval_question(too_long, answerer) == "那私营部门呢？"


def test_earlier_messages_that_are_no_question_are_no_context(client: TestClient) -> None:
    # History a chat client replays cannot be corrected by its user: an earlier message
    # with a control character, far over the length limit or without words is left out
    # (with all before it) instead of failing every later turn with a 422.
    answerer = client.app.state.service.answerer  # type: ignore[attr-defined]
    for bad in ("a\u0001b", "证" * 100_000, "。"):
        turns = [("user", QUESTION), ("user", bad), ("assistant", "…"),
                 ("user", "那私营部门呢？")]
        response = client.post("/v1/chat/completions", json={"messages": [
            {"role": role, "content": content} for role, content in turns]})
        assert response.status_code == 200, response.text
        messages = [message(role, content) for role, content in turns]
        assert chat.retrieval_question(messages, answerer) == "那私营部门呢？"


# --------------------------------------------------------------------------- readiness, reload


def seed_copy(tmp_path: Path, seed_index: Path) -> Path:
    path = tmp_path / "index"
    shutil.copytree(seed_index, path)
    return path


def extra_document(doc_id: str = "extra-report") -> Document:
    return Document(doc_id=doc_id, title="An extra report", metadata={}, paragraphs=[
        Paragraph(doc_id, 1, ("A. Cooking",), "Pasta is cooked in salted boiling water."),
    ])


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_not_ready_without_index_then_ready_after_ingest(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    index_dir = tmp_path / "later"
    client = make_client(index_dir=index_dir, reload_interval=0.05)
    assert client.get("/healthz").status_code == 200
    error = assert_error(client.get("/readyz"), 503, "not_ready")
    assert "reportqa ingest" in error["message"]
    assert_error(client.post("/v1/ask", json={"question": QUESTION}), 503, "not_ready")
    assert_error(client.get("/v1/documents"), 503, "not_ready")
    assert "reportqa_ready 0.0" in client.get("/metrics").text

    build_index(index_dir, "hashing")
    wait_for(lambda: client.get("/readyz").status_code == 200)
    answer = client.post("/v1/ask", json={"question": QUESTION}).json()
    assert answer["answer"].endswith(MARKER)


def test_watch_picks_up_a_reingest(make_client: Callable[..., TestClient], tmp_path: Path,
                                   seed_index: Path) -> None:
    index_dir = seed_copy(tmp_path, seed_index)
    client = make_client(index_dir=index_dir, reload_interval=0.05)
    assert client.get("/readyz").json()["generation"] == "gen-00000001"
    write_index(index_dir, make_embedder("hashing"), upserts=[extra_document()])
    wait_for(lambda: client.get("/readyz").json()["generation"] == "gen-00000002")
    assert {d["doc_id"] for d in client.get("/v1/documents").json()["documents"]} == {
        DOC_ID, "extra-report"}
    assert client.get("/v1/documents/extra-report/paragraphs/1").status_code == 200


def test_admin_reload(make_client: Callable[..., TestClient], tmp_path: Path,
                      seed_index: Path) -> None:
    index_dir = seed_copy(tmp_path, seed_index)
    client = make_client(index_dir=index_dir, api_keys=[KEY])
    auth = {"Authorization": f"Bearer {KEY}"}
    unchanged = client.post("/v1/admin/reload", headers=auth).json()
    assert unchanged == {"reloaded": False, "generation": "gen-00000001",
                         "previous_generation": "gen-00000001"}
    write_index(index_dir, make_embedder("hashing"), upserts=[extra_document()])
    # No watch (reload_interval 0): the old generation is served until asked.
    assert client.get("/readyz").json()["generation"] == "gen-00000001"
    reloaded = client.post("/v1/admin/reload", headers=auth).json()
    assert reloaded == {"reloaded": True, "generation": "gen-00000002",
                        "previous_generation": "gen-00000001"}
    assert client.get("/readyz").json()["documents"] == 2


def test_failed_reload_keeps_serving_the_old_generation(
        make_client: Callable[..., TestClient], tmp_path: Path, seed_index: Path) -> None:
    index_dir = seed_copy(tmp_path, seed_index)
    client = make_client(index_dir=index_dir)
    (index_dir / "CURRENT").write_text("gen-00000099\n", encoding="utf-8")
    error = assert_error(client.post("/v1/admin/reload"), 503, "not_ready")
    assert "gen-00000099" in error["message"]
    assert client.get("/readyz").json()["generation"] == "gen-00000001"
    assert client.post("/v1/ask", json={"question": QUESTION}).status_code == 200


def test_a_lost_current_is_logged_once_while_the_old_generation_serves(
        make_client: Callable[..., TestClient], tmp_path: Path, seed_index: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    index_dir = seed_copy(tmp_path, seed_index)
    client = make_client(index_dir=index_dir)
    state = client.app.state.service  # type: ignore[attr-defined]
    (index_dir / "CURRENT").unlink()
    with caplog.at_level("ERROR", logger="service.api"):
        for _ in range(3):  # the watch polls every REPORTQA_RELOAD_INTERVAL seconds
            assert client.portal.call(state.refresh) is False  # type: ignore[union-attr]
    assert len([r for r in caplog.records if "not loaded" in r.getMessage()]) == 1
    assert client.post("/v1/ask", json={"question": QUESTION}).status_code == 200


def test_no_request_fails_during_reingests(make_client: Callable[..., TestClient],
                                           tmp_path: Path, seed_index: Path) -> None:
    index_dir = seed_copy(tmp_path, seed_index)
    client = make_client(index_dir=index_dir, reload_interval=0.01)
    statuses: list[int] = []

    def ask_repeatedly(stop: threading.Event) -> None:
        while not stop.is_set():
            statuses.append(client.post("/v1/ask", json={"question": QUESTION}).status_code)

    with background_workers(ask_repeatedly):
        embedder = make_embedder("hashing")
        for number in range(5):
            write_index(index_dir, embedder, upserts=[extra_document(f"extra-{number}")])
            time.sleep(0.05)
        wait_for(lambda: client.get("/readyz").json()["documents"] == 6)
    assert statuses and set(statuses) == {200}


def test_unusable_embedder_is_not_ready_with_the_reason(
        make_client: Callable[..., TestClient]) -> None:
    client = make_client(embedder="no-such-embedder")
    error = assert_error(client.get("/readyz"), 503, "not_ready")
    assert "no-such-embedder" in error["message"]
    assert_error(client.post("/v1/admin/reload"), 503, "not_ready")
    mismatched = make_client(embedder="hashing:512")
    error = assert_error(mismatched.get("/readyz"), 503, "not_ready")
    assert "hashing:256" in error["message"]


def test_invented_http_methods_do_not_grow_the_metrics(
        make_client: Callable[..., TestClient]) -> None:
    with make_client() as client:
        for method in ("ZZZ1", "ZZZ2", "ZZZ3"):
            client.request(method, "/v1/documents")
        text = client.get("/metrics").text
    assert "ZZZ" not in text
    assert 'method="OTHER"' in text
