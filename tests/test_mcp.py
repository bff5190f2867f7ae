"""The MCP server through the SDK's own stdio client, on a hashing-embedder index."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from embeddings import make_embedder
from index.parser import parse_file
from index.store import write_index

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "000_5d404405fc4855f8.txt"
DOC_ID = "000_5d404405fc4855f8"
QUESTION = "直接发出出示令时应以哪国法律为准？"
CITED = f"{DOC_ID}#13"
TIMEOUT = 60


@pytest.fixture(scope="module")
def mcp_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mcp") / "index"
    write_index(path, make_embedder("hashing"), upserts=[parse_file(SEED)])
    return path


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTQA_")}
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def _module_server(index: Path, **env: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable, args=["-m", "service.mcp_server", "--index", str(index)],
        cwd=str(ROOT), env=_env(**env),
    )


def _run(params: StdioServerParameters,
         body: Callable[[ClientSession], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return await body(session)

    return asyncio.run(asyncio.wait_for(main(), TIMEOUT))


def _structured(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    data = result.structured_content
    assert isinstance(data, dict)
    # The text content carries the same JSON, for clients that read only text.
    assert json.loads(result.content[0].text) == data
    return data


def _error_text(result: Any) -> str:
    assert result.is_error, result
    return " ".join(getattr(block, "text", "") for block in result.content)


def test_tools_over_stdio(mcp_index: Path) -> None:
    async def body(session: ClientSession) -> dict[str, Any]:
        tools = await session.list_tools()
        out: dict[str, Any] = {"tools": {tool.name: tool for tool in tools.tools}}
        out["ask"] = await session.call_tool("ask_reports", {"question": QUESTION})
        out["search"] = await session.call_tool(
            "search_reports", {"query": QUESTION, "top_k": 3, "doc_ids": [DOC_ID]})
        out["paragraph"] = await session.call_tool(
            "get_paragraph", {"doc_id": DOC_ID, "number": 13})
        out["abstain"] = await session.call_tool(
            "ask_reports", {"question": "Who won the football world cup in 1966?"})
        return out

    out = _run(_module_server(mcp_index), body)

    tools = out["tools"]
    assert set(tools) == {"search_reports", "ask_reports", "get_paragraph"}
    assert set(tools["search_reports"].input_schema["properties"]) == {"query", "top_k",
                                                                        "doc_ids"}
    assert tools["search_reports"].input_schema["required"] == ["query"]
    assert set(tools["ask_reports"].input_schema["properties"]) == {"question", "top_k"}
    assert set(tools["get_paragraph"].input_schema["required"]) == {"doc_id", "number"}
    assert all(tool.description and tool.output_schema for tool in tools.values())

    ask = _structured(out["ask"])
    assert set(ask) == {"question", "answer", "abstained", "reason", "citations"}
    assert ask["abstained"] is False and ask["reason"] is None
    first = ask["citations"][0]
    assert first["id"] == CITED
    assert f"[{CITED}]" in ask["answer"]
    assert first["text"][first["quote_start"]:first["quote_end"]] == first["quote"]
    assert first["quote"] in ask["answer"]

    search = _structured(out["search"])
    assert len(search["hits"]) == 3
    assert search["hits"][0]["id"] == CITED
    assert all(hit["doc_id"] == DOC_ID for hit in search["hits"])

    paragraph = _structured(out["paragraph"])
    assert paragraph["id"] == CITED and paragraph["number"] == 13
    assert paragraph["text"] == first["text"]
    expected = parse_file(SEED).paragraphs
    assert paragraph["text"] == next(p.text for p in expected if p.number == 13)
    assert paragraph["section"] and paragraph["title"]

    abstain = _structured(out["abstain"])
    assert abstain["abstained"] is True and abstain["citations"] == []
    assert abstain["reason"]


def test_user_errors_are_tool_errors(mcp_index: Path) -> None:
    async def body(session: ClientSession) -> list[Any]:
        results = [
            await session.call_tool("ask_reports", {"question": "   "}),
            await session.call_tool("get_paragraph", {"doc_id": "nope", "number": 1}),
            await session.call_tool("get_paragraph", {"doc_id": DOC_ID, "number": 9999}),
            await session.call_tool("search_reports", {"query": "合作", "doc_ids": ["nope"]}),
            await session.call_tool("search_reports", {"query": "合作", "top_k": 0}),
            await session.call_tool("ask_reports", {"question": QUESTION, "top_k": 101}),
        ]
        # The server survived every error and still answers.
        results.append(await session.call_tool("get_paragraph",
                                               {"doc_id": DOC_ID, "number": 1}))
        return results

    *errors, after = _run(_module_server(mcp_index), body)
    empty, unknown_doc, unknown_paragraph, unknown_filter, zero_k, big_k = map(_error_text,
                                                                                errors)
    assert "question is empty" in empty
    assert "no document 'nope'" in unknown_doc and DOC_ID in unknown_doc
    assert "has no paragraph 9999" in unknown_paragraph
    assert "nope" in unknown_filter
    assert "top_k" in zero_k
    assert "top_k must be from 1 to 100" in big_k
    assert _structured(after)["number"] == 1


def test_missing_index_is_a_tool_error_then_picked_up(tmp_path: Path,
                                                      mcp_index: Path) -> None:
    index = tmp_path / "later"

    async def body(session: ClientSession) -> tuple[Any, Any]:
        before = await session.call_tool("ask_reports", {"question": QUESTION})
        shutil.copytree(mcp_index, index)  # An ingest creates the index meanwhile.
        after = await session.call_tool("ask_reports", {"question": QUESTION})
        return before, after

    before, after = _run(_module_server(index), body)
    assert "reportqa ingest" in _error_text(before) or "no index" in _error_text(before)
    assert _structured(after)["citations"][0]["id"] == CITED


@pytest.mark.skipif(shutil.which("reportqa", path=str(Path(sys.executable).parent)) is None,
                    reason="the reportqa console script is not installed in this venv")
def test_console_script(mcp_index: Path) -> None:
    script = shutil.which("reportqa", path=str(Path(sys.executable).parent))
    assert script is not None
    params = StdioServerParameters(command=script, args=["mcp", "--index", str(mcp_index)],
                                   cwd=str(ROOT), env=_env())

    async def body(session: ClientSession) -> Any:
        return await session.call_tool("get_paragraph", {"doc_id": DOC_ID, "number": 13})

    assert _structured(_run(params, body))["id"] == CITED


def test_bad_embedder_is_a_tool_error(mcp_index: Path) -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "service.mcp_server", "--index", str(mcp_index), "--embedder", "bogus"],
        cwd=str(ROOT), env=_env(),
    )

    async def body(session: ClientSession) -> Any:
        return await session.call_tool("ask_reports", {"question": QUESTION})

    assert "bogus" in _error_text(_run(params, body))
