"""Batch analysis that loses nothing: every input record yields exactly one output row, in input order.

Rows are plain dicts (the CLI's JSONL schema): ``{"id", "date"?, **Analysis.to_dict()}`` or, for a record that
cannot be analysed, ``{"id", "date"?, "error": "..."}``.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from .api import MAX_CHARS, Analyzer, default_analyzer

FLAT_COLUMNS = ["id", "date", "error", "n_judgements", "judgement_kinds", "n_self_judgements", "judged",
                "max_severity", "expressed", "suggested", "top_feeling", "risk", "abuse", "caution", "mentalizing_score",
                "n_prompts", "first_question"]


@dataclass
class Record:
    id: Any
    date: Any
    text: Any
    error: str | None = None


def _prepare(raw: Any, n: int, text_field: str, id_field: str, date_field: str | None) -> Record:
    if isinstance(raw, Record):
        rec = raw
    elif isinstance(raw, dict):
        rid = raw.get(id_field)
        rec = Record(rid if rid not in (None, "") else n, raw.get(date_field) if date_field else None,
                     raw.get(text_field), None if text_field in raw else f"missing field {text_field!r}")
    else:
        rec = Record(n, None, raw)
    if rec.error:
        return rec
    if rec.text is None:
        rec.error = f"missing field {text_field!r}"
    elif not isinstance(rec.text, str):
        rec.error = f"text is not a string ({type(rec.text).__name__})"
    elif not rec.text.strip():
        rec.error = "empty text"
    elif len(rec.text) > MAX_CHARS:
        rec.error = f"text longer than {MAX_CHARS:,} characters"
    return rec


def _row(rec: Record, analysis=None) -> dict:
    row: dict[str, Any] = {"id": rec.id}
    if rec.date is not None:
        row["date"] = rec.date
    if analysis is None:
        row["error"] = rec.error
    else:
        row.update(analysis.to_dict())
    return row


def analyze_records(records: Iterable[Any], *, text_field: str = "text", id_field: str = "id",
                    date_field: str | None = None, analyzer: Analyzer | None = None, batch_size: int = 256,
                    n_process: int = 1) -> Iterator[dict]:
    """Analyse dicts (or plain strings); yield one row per input, in order, failures as ``error`` rows."""
    analyzer = analyzer or default_analyzer()
    pending: deque[Record] = deque()

    def valid_texts() -> Iterator[str]:
        for n, raw in enumerate(records, 1):
            rec = _prepare(raw, n, text_field, id_field, date_field)
            pending.append(rec)
            if rec.error is None:
                yield rec.text

    results = iter(analyzer.pipe(valid_texts(), batch_size=batch_size, n_process=n_process))
    while True:
        while pending and pending[0].error is not None:
            yield _row(pending.popleft())
        if not pending:
            try:
                analysis = next(results)
            except StopIteration:
                while pending:
                    yield _row(pending.popleft())
                return
            while pending[0].error is not None:
                yield _row(pending.popleft())
        else:
            analysis = next(results)
        yield _row(pending.popleft(), analysis)


def flatten(row: dict) -> dict:
    """The flat CSV/DataFrame view of a row: counts, top feelings, flags."""
    if row.get("error"):
        return {"id": row["id"], "date": row.get("date"), "error": row["error"]}
    js = row.get("judgements", [])
    feelings = row.get("feelings", [])
    who: dict[str, int] = {}
    for j in js:
        if j["target"] == "other" and j["who"]:
            who[j["who"].lower()] = who.get(j["who"].lower(), 0) + 1
    questions = [p["text"] for p in row.get("prompts", []) if p["kind"] != "validation"]
    return {
        "id": row["id"], "date": row.get("date"), "error": None,
        "n_judgements": len(js),
        "judgement_kinds": ";".join(sorted({j["kind"] for j in js})),
        "n_self_judgements": sum(j["target"] == "self" for j in js),
        "judged": max(who, key=who.get) if who else "",
        "max_severity": max((j["severity"] for j in js), default=0.0),
        "expressed": ";".join(f["name"] for f in feelings if f["status"] == "expressed"),
        "suggested": ";".join(f["name"] for f in feelings if f["status"] == "suggested"),
        "top_feeling": feelings[0]["name"] if feelings else "",
        "risk": row["safety"]["risk"], "abuse": row["safety"]["abuse"],
        "caution": bool(row["safety"].get("caution", False)),  # absent from schema 1.0 rows
        "mentalizing_score": row["mentalizing"]["score"],
        "n_prompts": len(row.get("prompts", [])),
        "first_question": questions[0] if questions else "",
    }


def to_dataframe(rows: Iterable[dict], *, flat: bool = True):
    """A pandas DataFrame of rows (flat columns by default). Needs pandas (``pip install "mbtnlp[pandas]"``)."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError('to_dataframe needs pandas: pip install "mbtnlp[pandas]"') from None
    rows = list(rows)
    if flat:
        return pd.DataFrame([flatten(r) for r in rows], columns=FLAT_COLUMNS)
    return pd.DataFrame(rows)


# -- readers --------------------------------------------------------------------------------------------------
def read_input(path: str, *, text_field: str = "text", fmt: str | None = None) -> Iterator[Any]:
    """Records from a .jsonl, .csv/.tsv, .txt (one entry per line), a folder of .txt/.md files, or "-" (stdin)."""
    if path == "-":
        data = sys.stdin.buffer.read()
        yield from _read_bytes(data, fmt or _sniff(data), text_field)
        return
    p = Path(path)
    if p.is_dir():
        for f in sorted(x for x in p.rglob("*") if x.is_file() and x.suffix.lower() in (".txt", ".md")):
            rid = f.relative_to(p).as_posix()
            try:
                yield {"id": rid, text_field: f.read_bytes().decode("utf-8")}
            except UnicodeDecodeError as err:
                yield Record(rid, None, None, f"undecodable bytes ({err.reason} at byte {err.start})")
        return
    if not p.exists():
        raise FileNotFoundError(f"input not found: {path}")
    kind = fmt or {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "tsv",
                   ".txt": "txt", ".md": "txt"}.get(p.suffix.lower())
    if kind is None:
        raise ValueError(f"unknown input type {p.suffix!r}: use .jsonl, .csv, .tsv, .txt or a folder")
    with p.open("rb") as f:
        yield from _read_lines(f, kind, text_field)


def _sniff(data: bytes) -> str:
    return "jsonl" if data.lstrip()[:1] == b"{" else "txt"


def _read_bytes(data: bytes, kind: str, text_field: str) -> Iterator[Any]:
    yield from _read_lines(io.BytesIO(data), kind, text_field)


def _read_lines(f, kind: str, text_field: str) -> Iterator[Any]:
    if kind in ("csv", "tsv"):
        wrapper = io.TextIOWrapper(f, encoding="utf-8", errors="replace", newline="")
        reader = csv.DictReader(wrapper, delimiter="\t" if kind == "tsv" else ",")
        for n, row in enumerate(reader, 1):
            if "\ufffd" in (row.get(text_field) or ""):
                yield Record(row.get("id") or n, None, None, "undecodable bytes")
            else:
                yield row
        return
    for n, raw in enumerate(f, 1):
        try:
            line = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as err:
            yield Record(n, None, None, f"undecodable bytes ({err.reason} at byte {err.start})")
            continue
        if kind == "txt":
            yield {"id": n, text_field: line}
            continue
        if not line.strip():
            yield Record(n, None, None, "blank line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            yield Record(n, None, None, f"invalid JSON ({err.msg})")
            continue
        yield obj if isinstance(obj, dict) else Record(n, None, None, "JSON line is not an object")


def count_records(path: str) -> int | None:
    """How many records an input holds (for the progress bar), or None for stdin."""
    if path == "-":
        return None
    p = Path(path)
    if p.is_dir():
        return sum(1 for x in p.rglob("*") if x.is_file() and x.suffix.lower() in (".txt", ".md"))
    with p.open("rb") as f:
        n = sum(1 for _ in f)
    return n - 1 if p.suffix.lower() in (".csv", ".tsv") else n
