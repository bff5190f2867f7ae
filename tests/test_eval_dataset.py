"""Loading and validating evaluation datasets."""

from __future__ import annotations

import json

import pytest

from eval.dataset import DatasetError, EvalQuestion, load_dataset


def write_lines(tmp_path, lines, name="data.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_valid_file_with_defaults_extras_and_blank_lines(tmp_path):
    path = write_lines(
        tmp_path,
        [
            json.dumps(
                {
                    "id": "q17",
                    "question": "该建议针对哪个国家？",
                    "relevant": ["DOC#13"],
                    "answer_contains": ["互联网服务供应商的所在国"],
                    "answerable": True,
                    "lang": "zh",
                    "kind": "fact",
                },
                ensure_ascii=False,
            ),
            "",
            "   ",
            json.dumps({"id": "q18", "question": "Who won in 1850?"}),
            json.dumps({"id": "q19", "question": "Which?", "relevant": ["A_AC.294_2020_L.1#2"]}),
        ],
    )
    questions = load_dataset(path)
    assert questions == [
        EvalQuestion(
            id="q17",
            question="该建议针对哪个国家？",
            relevant=("DOC#13",),
            answerable=True,
            answer_contains=("互联网服务供应商的所在国",),
            lang="zh",
            extra={"kind": "fact"},
        ),
        EvalQuestion(id="q18", question="Who won in 1850?", answerable=False, lang="und"),
        EvalQuestion(
            id="q19", question="Which?", relevant=("A_AC.294_2020_L.1#2",), answerable=True
        ),
    ]


def test_utf8_bom_and_null_optionals_are_accepted(tmp_path):
    path = tmp_path / "bom.jsonl"
    line = json.dumps({"id": "a", "question": "q?", "lang": None, "relevant": None})
    path.write_bytes(b"\xef\xbb\xbf" + line.encode() + b"\r\n")
    [question] = load_dataset(path)
    assert question.lang == "und"
    assert question.answerable is False


MALFORMED = [
    ('{"id": "q1", "question": "ok?"}', None),
    ("{not json", "invalid JSON"),
    ('["q2", "a list"]', "expected a JSON object, got an array"),
    ('{"id": "q3"}', "missing 'question'"),
    ('{"id": "q4", "question": "   "}', "'question' must be a non-empty string"),
    ('{"question": "no id?"}', "missing 'id'"),
    ('{"id": 5, "question": "numeric id?"}', "'id' must be a non-empty string"),
    ('{"id": "q5", "question": "q?", "relevant": "DOC#1"}', "'relevant' must be an array"),
    ('{"id": "q6", "question": "q?", "relevant": ["DOC-1"]}', "bad citation id 'DOC-1'"),
    ('{"id": "q7", "question": "q?", "relevant": ["DOC#0"]}', "bad citation id 'DOC#0'"),
    ('{"id": "q8", "question": "q?", "relevant": ["A#1", "A#1"]}', "lists A#1 more than once"),
    ('{"id": "q9", "question": "q?", "answer_contains": [1]}', "'answer_contains' must be"),
    ('{"id": "q10", "question": "q?", "answer_contains": [" "]}', "has an empty string"),
    ('{"id": "q11", "question": "q?", "answerable": "yes"}', "'answerable' must be true or"),
    ('{"id": "q12", "question": "q?", "answerable": true}', "'answerable' is true but"),
    (
        '{"id": "q13", "question": "q?", "answerable": false, "relevant": ["A#1"]}',
        "'answerable' is false but",
    ),
    ('{"id": "q14", "question": "q?", "lang": 7}', "'lang' must be a non-empty string"),
    ('{"id": "q1", "question": "again?"}', "duplicate id 'q1' (first on line 1)"),
]


def test_a_line_with_two_problems_counts_once(tmp_path):
    # Two problems on the second line (a duplicate id, and 'relevant' not an array) and
    # one on the third: two malformed lines, not three.
    path = write_lines(tmp_path, ['{"id": "a", "question": "q?"}',
                                  '{"id": "a", "question": "q?", "relevant": "X#1"}',
                                  "{not json"])
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    assert len(caught.value.problems) == 3
    assert "has 2 malformed lines; nothing was scored" in str(caught.value)


def test_every_malformed_line_is_reported_with_its_line_number(tmp_path):
    path = write_lines(tmp_path, [line for line, _ in MALFORMED])
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    message = str(caught.value)
    expected = [(number, reason) for number, (_, reason) in enumerate(MALFORMED, 1) if reason]
    assert f"has {len(expected)} malformed lines; nothing was scored" in message
    for line_number, reason in expected:
        matching = [
            line for line in message.splitlines() if line.startswith(f"{path}:{line_number}: ")
        ]
        assert matching, f"line {line_number} not reported:\n{message}"
        assert reason in matching[0]
    assert f"{path}:1:" not in message  # the valid line is not blamed
    assert [number for number, _ in caught.value.problems] == [n for n, _ in expected]


def test_line_numbers_count_blank_lines(tmp_path):
    path = write_lines(tmp_path, ['{"id": "a", "question": "q?"}', "", "", "oops"])
    with pytest.raises(DatasetError, match=r":4: invalid JSON"):
        load_dataset(path)


def test_invalid_utf8_is_reported_by_line(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"id": "a", "question": "q?"}\n{"id": "b", "question": "caf\xe9"}\n')
    with pytest.raises(DatasetError, match=r":2: not valid UTF-8"):
        load_dataset(path)


def test_dataset_error_is_a_value_error(tmp_path):
    path = write_lines(tmp_path, ["[]"])
    with pytest.raises(ValueError):
        load_dataset(path)


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(DatasetError, match="cannot read the file"):
        load_dataset(tmp_path / "absent.jsonl")
    empty = write_lines(tmp_path, ["", "  "], name="empty.jsonl")
    with pytest.raises(DatasetError, match="no questions"):
        load_dataset(empty)
