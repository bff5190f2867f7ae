"""Presenting evaluation results: terminal table, Markdown report with charts, gates, diffs.

Everything here reads the JSON-ready dict :func:`eval.runner.run_eval` returns (or the same
dict loaded back from ``--json OUT.json``), so a saved run can be reported or compared
later without re-running it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from eval.metrics import COUNT_METRICS, LOWER_IS_BETTER, RANK_CUTOFF

#: Metrics drawn as per-language bars in the report chart.
CHART_METRICS = (
    f"mrr@{RANK_CUTOFF}",
    f"ndcg@{RANK_CUTOFF}",
    "answer_coverage",
    "citation_precision",
    "citation_recall",
    "abstention_precision",
    "abstention_recall",
)

#: Shown for a metric whose denominator was empty.
NOT_MEASURED = "n/a"

_COVERAGE_TOLERANCE = 1e-9


def load_result(path: str | Path) -> dict[str, Any]:
    """Load a result saved with ``--json``.

    Args:
        path: The JSON file.

    Returns:
        The result dict.

    Raises:
        ValueError: If the file is not valid JSON or lacks ``overall`` and ``questions``.
        OSError: If the file cannot be read.

    """
    path = Path(path)
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(result, dict) or "overall" not in result or "questions" not in result:
        raise ValueError(
            f"{path}: not an eval result; expected the file written by `reportqa eval --json`"
        )
    return result


def format_value(name: str, value: Any) -> str:
    """Format one metric value for people: counts whole, latency in ms, ratios to 3 places."""
    if value is None:
        return NOT_MEASURED
    if name in COUNT_METRICS:
        return str(int(value))
    if name.endswith("_ms"):
        return f"{value:.1f}"
    return f"{value:.3f}"


def _format_delta(name: str, before: Any, after: Any) -> str:
    if before is None or after is None:
        return NOT_MEASURED
    if name in COUNT_METRICS:
        return f"{int(after - before):+d}"
    digits = 1 if name.endswith("_ms") else 3
    # Rounding first and adding 0.0 turns a tiny negative into "+0.000", not "-0.000".
    return f"{round(after - before, digits) + 0.0:+.{digits}f}"


def _metric_order(*metric_dicts: Mapping[str, Any]) -> list[str]:
    names: dict[str, None] = {}
    for metrics in metric_dicts:
        names.update(dict.fromkeys(metrics))
    return list(names)


def _text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        # Names left-aligned, numbers right-aligned so decimal points line up.
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    separator = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), separator, *(line(row) for row in rows)])


def _metric_rows(result: Mapping[str, Any]) -> tuple[list[str], list[list[str]]]:
    by_lang: Mapping[str, Mapping[str, Any]] = result.get("by_lang", {})
    header = ["metric", "overall", *by_lang]
    rows = [
        [
            name,
            format_value(name, result["overall"].get(name)),
            *(format_value(name, metrics.get(name)) for metrics in by_lang.values()),
        ]
        for name in _metric_order(result["overall"])
    ]
    return header, rows


def format_table(result: Mapping[str, Any]) -> str:
    """Render every metric (rows) overall and per language (columns) as a text table.

    Args:
        result: The dict from :func:`eval.runner.run_eval`.

    Returns:
        The table, without a trailing newline; unmeasurable metrics show ``n/a``.

    """
    header, rows = _metric_rows(result)
    return _text_table(header, rows)


def _md_cell(text: Any) -> str:
    # A pipe or line break inside a cell would break the Markdown table.
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = [
        "| " + " | ".join(_md_cell(cell) for cell in header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def question_problems(question: Mapping[str, Any]) -> list[str]:
    """List what went wrong for one saved question record; empty when nothing did.

    Args:
        question: One entry of ``result["questions"]``.

    Returns:
        Short labels: ``wrong abstention``, ``answered unanswerable``,
        ``wrong first citation``, ``no citation``, ``missing keys``.

    """
    if not question["answerable"]:
        return [] if question["abstained"] else ["answered unanswerable"]
    if question["abstained"]:
        # The other labels would only restate that nothing was answered.
        return ["wrong abstention"]
    problems = []
    if not question["cited"]:
        problems.append("no citation")
    elif not question["metrics"].get("first_citation_correct"):
        problems.append("wrong first citation")
    if question.get("missing_keys"):
        problems.append("missing keys")
    return problems


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ks(result: Mapping[str, Any]) -> list[int]:
    if result.get("ks"):
        return [int(k) for k in result["ks"]]
    return sorted(
        int(name[len("recall@") :]) for name in result["overall"] if name.startswith("recall@")
    )


def _nan_if_none(value: Any) -> float:
    # matplotlib leaves NaN points and bars undrawn, which is how "not measured" should look.
    return math.nan if value is None else float(value)


def write_chart(result: Mapping[str, Any], path: str | Path) -> Path:
    """Draw the Recall@k curves and per-language metric bars into a PNG.

    Args:
        result: The dict from :func:`eval.runner.run_eval`.
        path: Where to write the PNG.

    Returns:
        The PNG path.

    """
    import matplotlib

    # Agg renders without a display, so reports build on servers and in CI.
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    ks = _ks(result)
    series = {"overall": result["overall"], **result.get("by_lang", {})}
    # One colour per series in both panels, so a language reads the same everywhere.
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    colors = {label: palette[index % len(palette)] for index, label in enumerate(series)}
    figure, (curve_axes, bar_axes) = plt.subplots(1, 2, figsize=(13, 4.8))
    try:
        for label, metrics in series.items():
            curve_axes.plot(
                ks,
                [_nan_if_none(metrics.get(f"recall@{k}")) for k in ks],
                marker="o",
                linewidth=2.5 if label == "overall" else 1.5,
                color=colors[label],
                label=label,
            )
        curve_axes.set_title("Recall@k")
        curve_axes.set_xlabel("k")
        curve_axes.set_ylabel("recall")
        curve_axes.set_xticks(ks)
        curve_axes.set_ylim(-0.02, 1.05)
        curve_axes.grid(alpha=0.3)
        curve_axes.legend()

        languages = list(result.get("by_lang", {})) or ["overall"]
        width = 0.8 / len(languages)
        for index, lang in enumerate(languages):
            metrics = series[lang]
            bar_axes.bar(
                [position + index * width for position in range(len(CHART_METRICS))],
                [_nan_if_none(metrics.get(name)) for name in CHART_METRICS],
                width=width,
                color=colors[lang],
                label=lang,
            )
        bar_axes.set_xticks(
            [position + 0.4 - width / 2 for position in range(len(CHART_METRICS))],
            CHART_METRICS,
            rotation=30,
            ha="right",
        )
        bar_axes.set_title("Metrics by language")
        bar_axes.set_ylim(0, 1.05)
        bar_axes.grid(axis="y", alpha=0.3)
        bar_axes.legend()
        figure.tight_layout()
        figure.savefig(path, format="png", dpi=100)
    finally:
        plt.close(figure)
    return path


def write_markdown_report(result: Mapping[str, Any], path: str | Path) -> Path:
    """Write a Markdown report and its chart (same name, ``.png``) next to it.

    The report holds the metric table, the chart by relative link, and a table of the
    questions that went wrong (see :func:`question_problems`).

    Args:
        result: The dict from :func:`eval.runner.run_eval`.
        path: The Markdown file to write; its folder is created if needed.

    Returns:
        The path of the PNG written beside the report.

    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    chart_path = write_chart(result, path.with_suffix(".png"))

    overall = result["overall"]
    header, rows = _metric_rows(result)
    failures = [
        (question, problems)
        for question in result["questions"]
        if (problems := question_problems(question))
    ]
    lines = [
        "# Evaluation report",
        "",
        f"{overall['questions']} questions: {overall['answerable']} answerable, "
        f"{overall['unanswerable']} unanswerable.",
        "",
        "## Metrics",
        "",
        _md_table(header, rows),
        "",
        f"`{NOT_MEASURED}`: nothing to measure (empty denominator). Retrieval, answer and "
        "citation metrics cover answerable questions; citation precision is the mean over "
        "questions that cited something; latency percentiles are nearest-rank.",
        "",
        f"![Recall@k and metrics by language]({chart_path.name})",
        "",
        f"## Failures ({len(failures)})",
        "",
    ]
    if failures:
        lines.append(
            _md_table(
                ["id", "lang", "problem", "question", "expected", "first citation", "missing keys"],
                [
                    [
                        question["id"],
                        question["lang"],
                        ", ".join(problems),
                        _shorten(question["question"]),
                        ", ".join(question["relevant"]) or "(abstain)",
                        question["cited"][0] if question["cited"] else "—",
                        ", ".join(question.get("missing_keys", [])) or "—",
                    ]
                    for question, problems in failures
                ],
            )
        )
    else:
        lines.append("None.")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return chart_path


def _parse_thresholds(
    result: Mapping[str, Any], specs: Iterable[str], *, lower_is_better: bool
) -> list[tuple[str, float]]:
    kind = "maximum" if lower_is_better else "minimum"
    valid = [
        name
        for name in result["overall"]
        if (name in LOWER_IS_BETTER) == lower_is_better
        # Counts make sense as minimums ("at least 50 questions"), not as maximums.
        and not (lower_is_better and name in COUNT_METRICS)
    ]
    thresholds = []
    for spec in specs:
        name, separator, text = spec.partition("=")
        name = name.strip()
        if not separator or not name or not text.strip():
            raise ValueError(
                f"bad {kind} {spec!r}; expected METRIC=VALUE, e.g. recall@3=0.9. "
                f"Metrics: {', '.join(valid)}"
            )
        if name not in valid:
            why = (
                f"{name} is {'higher' if lower_is_better else 'lower'}-is-better, so a {kind} "
                "cannot gate it"
                if name in result["overall"]
                else f"unknown metric {name!r}"
            )
            raise ValueError(f"{why}. Metrics a {kind} applies to: {', '.join(valid)}")
        try:
            threshold = float(text)
        except ValueError:
            raise ValueError(f"bad {kind} {spec!r}: {text.strip()!r} is not a number") from None
        if not math.isfinite(threshold) or threshold < 0:
            raise ValueError(f"bad {kind} {spec!r}: expected a finite number ≥ 0")
        if name not in COUNT_METRICS and not name.endswith("_ms") and threshold > 1:
            raise ValueError(f"bad {kind} {spec!r}: {name} is a ratio between 0 and 1")
        thresholds.append((name, threshold))
    return thresholds


def check_minimums(result: Mapping[str, Any], specs: Iterable[str]) -> list[str]:
    """Check ``METRIC=VALUE`` floors against the overall metrics.

    A metric that could not be measured (``None``) fails its floor: a gate should not
    pass on missing evidence.

    Args:
        result: The dict from :func:`eval.runner.run_eval`.
        specs: Floors such as ``["recall@3=0.95", "questions=50"]``.

    Returns:
        One message per metric below its floor; empty when all pass.

    Raises:
        ValueError: If a spec is malformed, names an unknown metric, or names a
            lower-is-better metric (latency, wrong-abstention rate); the message lists
            the valid names.

    """
    failures = []
    for name, minimum in _parse_thresholds(result, specs, lower_is_better=False):
        value = result["overall"][name]
        if value is None:
            failures.append(
                f"{name} could not be measured (no questions to measure it on); "
                f"minimum {format_value(name, minimum)}"
            )
        elif value < minimum:
            failures.append(
                f"{name} is {format_value(name, value)}, below the minimum "
                f"{format_value(name, minimum)}"
            )
    return failures


def check_maximums(result: Mapping[str, Any], specs: Iterable[str]) -> list[str]:
    """Check ``METRIC=VALUE`` ceilings on lower-is-better metrics (latency, wrong abstention).

    Args:
        result: The dict from :func:`eval.runner.run_eval`.
        specs: Ceilings such as ``["latency_p95_ms=800", "wrong_abstention_rate=0.05"]``.

    Returns:
        One message per metric above its ceiling or not measured; empty when all pass.

    Raises:
        ValueError: If a spec is malformed or names a metric that is not lower-is-better.

    """
    failures = []
    for name, maximum in _parse_thresholds(result, specs, lower_is_better=True):
        value = result["overall"][name]
        if value is None:
            failures.append(
                f"{name} could not be measured (no questions to measure it on); "
                f"maximum {format_value(name, maximum)}"
            )
        elif value > maximum:
            failures.append(
                f"{name} is {format_value(name, value)}, above the maximum "
                f"{format_value(name, maximum)}"
            )
    return failures


def _delta_table(before: Mapping[str, Any], after: Mapping[str, Any], changed_only: bool) -> str:
    rows = [
        [
            name,
            format_value(name, before.get(name)),
            format_value(name, after.get(name)),
            _format_delta(name, before.get(name), after.get(name)),
        ]
        for name in _metric_order(before, after)
        if not changed_only or before.get(name) != after.get(name)
    ]
    if not rows:
        return "no change"
    return _text_table(["metric", "before", "after", "delta"], rows)


def _outcome_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    changes = []
    if before["abstained"] != after["abstained"]:
        changes.append("abstained → answered" if before["abstained"] else "answered → abstained")
    was_correct = before["metrics"].get("first_citation_correct")
    now_correct = after["metrics"].get("first_citation_correct")
    if was_correct is not None and now_correct is not None and was_correct != now_correct:
        first_before = before["cited"][0] if before["cited"] else "none"
        first_after = after["cited"][0] if after["cited"] else "none"
        changes.append(
            f"first citation {'correct' if was_correct else 'wrong'} → "
            f"{'correct' if now_correct else 'wrong'} ({first_before} → {first_after})"
        )
    coverage_before = before["metrics"].get("answer_coverage")
    coverage_after = after["metrics"].get("answer_coverage")
    if (
        coverage_before is not None
        and coverage_after is not None
        and abs(coverage_before - coverage_after) > _COVERAGE_TOLERANCE
    ):
        changes.append(f"answer coverage {coverage_before:.2f} → {coverage_after:.2f}")
    return changes


def compare(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    """Describe how a run changed: metric deltas and the questions whose outcome changed.

    An outcome changes when the first citation turns correct or wrong, the answerer
    starts or stops abstaining, or answer-key coverage moves. Questions are matched by id.

    Args:
        before: A saved result (baseline).
        after: A saved result (candidate).

    Returns:
        Plain text: the overall delta table, per-language tables of the metrics that
        changed, and one line per changed question.

    """
    sections = ["Overall", _delta_table(before["overall"], after["overall"], changed_only=False)]
    before_langs = before.get("by_lang", {})
    after_langs = after.get("by_lang", {})
    for lang in sorted(set(before_langs) | set(after_langs)):
        sections += [
            "",
            f"Language {lang} (changed metrics)",
            _delta_table(before_langs.get(lang, {}), after_langs.get(lang, {}), changed_only=True),
        ]

    before_questions = {question["id"]: question for question in before["questions"]}
    after_questions = {question["id"]: question for question in after["questions"]}
    changed = [
        f"  {question_id} [{after_questions[question_id]['lang']}]: {'; '.join(changes)}"
        for question_id in after_questions
        if question_id in before_questions
        and (
            changes := _outcome_changes(before_questions[question_id], after_questions[question_id])
        )
    ]
    sections += ["", f"Changed questions ({len(changed)})", *(changed or ["  none"])]
    only_before = [
        question_id for question_id in before_questions if question_id not in after_questions
    ]
    only_after = [
        question_id for question_id in after_questions if question_id not in before_questions
    ]
    if only_before:
        sections.append(f"Only in before: {', '.join(only_before)}")
    if only_after:
        sections.append(f"Only in after: {', '.join(only_after)}")
    return "\n".join(sections)
