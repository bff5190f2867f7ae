"""Evaluation datasets: one question per JSON Lines record, validated before any scoring.

A record looks like::

    {"id": "q17", "question": "…", "relevant": ["DOC#13"],
     "answer_contains": ["互联网服务供应商的所在国"], "answerable": true, "lang": "zh"}

``relevant``, ``answer_contains``, ``answerable`` and ``lang`` are optional (``null`` counts
as absent); any other field is kept in :attr:`EvalQuestion.extra`. Every malformed line
is collected, so one run shows the user everything to fix.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.errors import ReportQAError

#: ``doc_id#paragraph_number``: a doc id without ``#`` or surrounding whitespace, then a
#: 1-based paragraph number, as ``index.model.Paragraph.citation_id`` builds it.
CITATION_ID = re.compile(r"^[^#\s](?:[^#]*[^#\s])?#[1-9][0-9]*$")

#: Language code used when a record does not say.
UNDETERMINED_LANG = "und"

_KNOWN_FIELDS = frozenset({"id", "question", "relevant", "answer_contains", "answerable", "lang"})


class DatasetError(ReportQAError, ValueError):
    """An evaluation dataset could not be read or has malformed lines.

    Attributes:
        path: The dataset file.
        problems: ``(line_number, reason)`` for each malformed line; line 0 for problems
            with the file as a whole.

    """

    def __init__(self, path: Path, problems: list[tuple[int, str]]) -> None:
        self.path = path
        self.problems = problems
        lines = [
            f"{path}:{line}: {reason}" if line else f"{path}: {reason}" for line, reason in problems
        ]
        count = len({line for line, _ in problems if line})
        heading = (
            f"{path} has {count} malformed line{'s' if count != 1 else ''}; nothing was scored"
            if count
            else f"{path} cannot be evaluated"
        )
        super().__init__("\n".join([heading + ":", *lines]))


@dataclass(frozen=True)
class EvalQuestion:
    """One evaluation question.

    Attributes:
        id: Unique id within the dataset, used to match questions across runs.
        question: The question text.
        relevant: Citation ids (``doc_id#paragraph``) of the paragraphs that answer it.
        answerable: Whether the corpus answers it; defaults to ``bool(relevant)``.
        answer_contains: Strings a correct answer contains (whitespace-insensitive).
        lang: Language code, ``"und"`` when unknown.
        extra: Any other fields of the record, kept as given (e.g. ``"kind"``).

    """

    id: str
    question: str
    relevant: tuple[str, ...] = ()
    answerable: bool = False
    answer_contains: tuple[str, ...] = ()
    lang: str = UNDETERMINED_LANG
    extra: dict[str, Any] = field(default_factory=dict)


def _type_name(value: Any) -> str:
    return {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _string_list(record: dict[str, Any], name: str, problems: list[str]) -> list[str]:
    value = record.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.append(f"{name!r} must be an array of strings, got {_type_name(value)}")
        return []
    return value


def _parse_record(record: Any) -> tuple[EvalQuestion | None, list[str]]:
    """Validate one decoded record; return the question or the reasons it is malformed."""
    if not isinstance(record, dict):
        return None, [f"expected a JSON object, got {_type_name(record)}"]
    problems: list[str] = []

    question_id = record.get("id")
    if not isinstance(question_id, str) or not question_id.strip():
        problems.append(
            "missing 'id'" if question_id is None else "'id' must be a non-empty string"
        )
    question = record.get("question")
    if not isinstance(question, str) or not question.strip():
        problems.append(
            "missing 'question'" if question is None else "'question' must be a non-empty string"
        )

    relevant = _string_list(record, "relevant", problems)
    for citation_id in relevant:
        if not CITATION_ID.match(citation_id):
            problems.append(
                f"bad citation id {citation_id!r} in 'relevant'; expected doc_id#paragraph "
                "with a positive paragraph number, e.g. A_AC.294_2020_L.1#13"
            )
    repeated = sorted({item for item in relevant if relevant.count(item) > 1})
    if repeated:
        # A repeated id would count twice in the recall denominator.
        problems.append(f"'relevant' lists {', '.join(repeated)} more than once")

    keys = _string_list(record, "answer_contains", problems)
    if any(not key.strip() for key in keys):
        # Keys are matched with whitespace removed, so a blank key would always match.
        problems.append("'answer_contains' has an empty string")

    answerable = record.get("answerable")
    if answerable is None:
        answerable = bool(relevant)
    elif not isinstance(answerable, bool):
        problems.append(f"'answerable' must be true or false, got {_type_name(answerable)}")
    elif answerable and not relevant:
        problems.append("'answerable' is true but 'relevant' is empty; list the paragraphs")
    elif not answerable and relevant:
        problems.append("'answerable' is false but 'relevant' lists paragraphs")

    lang = record.get("lang")
    if lang is None:
        lang = UNDETERMINED_LANG
    elif not isinstance(lang, str) or not lang.strip():
        problems.append('\'lang\' must be a non-empty string such as "zh" or "en"')

    # The type checks repeat what ``problems`` already says, for the type checker's sake.
    if problems or not isinstance(question_id, str) or not isinstance(question, str):
        return None, problems
    return (
        EvalQuestion(
            id=question_id.strip(),
            question=question,
            relevant=tuple(relevant),
            answerable=bool(answerable),
            answer_contains=tuple(keys),
            lang=lang.strip(),
            extra={name: value for name, value in record.items() if name not in _KNOWN_FIELDS},
        ),
        [],
    )


def load_dataset(path: str | Path) -> list[EvalQuestion]:
    """Read and validate an evaluation dataset in JSON Lines (UTF-8, BOM allowed).

    Blank lines are skipped. Every malformed line is reported, not just the first.

    Args:
        path: The ``.jsonl`` file.

    Returns:
        The questions in file order.

    Raises:
        DatasetError: If the file cannot be read, holds no questions, or has malformed
            lines; the message lists each as ``path:LINE: reason``.

    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(path, [(0, f"cannot read the file: {exc.strerror or exc}")]) from exc

    questions: list[EvalQuestion] = []
    problems: list[tuple[int, str]] = []
    first_line_of: dict[str, int] = {}
    for line_number, raw_line in enumerate(raw.splitlines(), start=1):
        try:
            line = raw_line.decode("utf-8-sig" if line_number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            problems.append((line_number, f"not valid UTF-8 ({exc.reason} at byte {exc.start})"))
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append((line_number, f"invalid JSON: {exc.msg} at column {exc.colno}"))
            continue
        question, reasons = _parse_record(record)
        problems.extend((line_number, reason) for reason in reasons)
        # Duplicates are checked on every line with a usable id, valid or not, so one
        # run reports them all.
        raw_id = record.get("id") if isinstance(record, dict) else None
        if isinstance(raw_id, str) and raw_id.strip():
            first_line = first_line_of.setdefault(raw_id.strip(), line_number)
            if first_line != line_number:
                problems.append(
                    (line_number, f"duplicate id {raw_id.strip()!r} (first on line {first_line})")
                )
                continue
        if question is not None:
            questions.append(question)

    if problems:
        raise DatasetError(path, problems)
    if not questions:
        raise DatasetError(path, [(0, "no questions; expected one JSON object per line")])
    return questions
