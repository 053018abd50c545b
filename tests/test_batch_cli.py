"""Batch analysis and the CLI: every input row yields one output row, ids and order kept, failures recorded."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from mbtnlp import cli
from mbtnlp.batch import analyze_records, flatten, read_input, to_dataframe

ROWS = [{"id": "a", "text": "She is so self-centered, she's just a bitch!", "date": "2026-06-01"},
        {"id": "b", "text": ""},
        {"id": "c", "text": 17},
        {"id": "d"},
        {"id": "e", "text": "Lovely walk today.", "date": "2026-06-02"},
        {"text": "he never listens to me"}]


def test_analyze_records_loses_nothing(analyzer):
    rows = list(analyze_records(ROWS, date_field="date", analyzer=analyzer, batch_size=2))
    assert [r["id"] for r in rows] == ["a", "b", "c", "d", "e", 6]
    assert [bool(r.get("error")) for r in rows] == [False, True, True, True, False, False]
    assert rows[0]["date"] == "2026-06-01" and rows[0]["judgements"]
    assert "not a string" in rows[2]["error"] and "missing" in rows[3]["error"]


def test_only_error_rows_and_trailing_errors(analyzer):
    rows = list(analyze_records([{"id": 1, "text": ""}, {"id": 2, "text": None}], analyzer=analyzer))
    assert [r["id"] for r in rows] == [1, 2] and all(r["error"] for r in rows)
    rows = list(analyze_records(["fine text here", ""], analyzer=analyzer))
    assert [bool(r.get("error")) for r in rows] == [False, True]


def test_flatten_and_dataframe(analyzer):
    rows = list(analyze_records(ROWS, analyzer=analyzer))
    flat = flatten(rows[0])
    assert flat["n_judgements"] == 2 and flat["judgement_kinds"] == "label;trait" and flat["judged"] == "she"
    pytest.importorskip("pandas")
    df = to_dataframe(rows)
    assert list(df["id"]) == ["a", "b", "c", "d", "e", 6]


def _run(args, stdin=None):
    return subprocess.run([sys.executable, "-m", "mbtnlp.cli", *args], input=stdin, capture_output=True, text=True)


def test_help_and_demo():
    out = _run(["--help"])
    assert out.returncode == 0 and "analyze" in out.stdout and "report" in out.stdout
    out = _run(["demo", "She is so self-centered, she's just a bitch!"])
    assert out.returncode == 0
    assert "trait" in out.stdout and "label" in out.stdout and "Prompts" in out.stdout
    out = _run(["demo"])
    assert out.returncode == 0 and "Harsh judgements" in out.stdout


def test_analyze_jsonl_with_bad_lines(tmp_path):
    src = tmp_path / "in.jsonl"
    with src.open("wb") as f:
        f.write(json.dumps(ROWS[0]).encode() + b"\n")
        f.write(b"{not json\n")
        f.write(b'{"id": "x", "text": "caf\xe9 \xff"}\n')
        f.write(json.dumps({"id": "z", "text": "he never listens"}).encode() + b"\n")
    out = tmp_path / "out.jsonl"
    res = _run(["analyze", str(src), "-o", str(out), "--date-field", "date", "--quiet"])
    assert res.returncode == cli.EXIT_ROWS_FAILED
    assert "4 rows written, 2 failed" in res.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", 2, 3, "z"]
    assert "invalid JSON" in rows[1]["error"] and "undecodable" in rows[2]["error"]
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_analyze_csv_tsv_txt_folder_and_stdin(tmp_path):
    (tmp_path / "in.csv").write_text('id,text\n1,"he never listens, ever"\n2,\n')
    (tmp_path / "in.tsv").write_text("id\ttext\nq\tshe is so lazy\n")
    (tmp_path / "in.txt").write_text("he never listens to me\n\nlovely day\n")
    folder = tmp_path / "entries"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("shes such a liar")
    (folder / "sub" / "b.md").write_text("a calm day")
    (folder / "skip.png").write_bytes(b"\x89PNG")
    for src, ids in (("in.csv", ["1", "2"]), ("in.tsv", ["q"]), ("in.txt", [1, 2, 3]),
                     ("entries", ["a.txt", "sub/b.md"])):
        res = _run(["analyze", str(tmp_path / src), "--quiet"])
        rows = [json.loads(line) for line in res.stdout.splitlines()]
        assert [r["id"] for r in rows] == ids, src
    res = _run(["analyze", "-", "--quiet"], stdin='{"id": 5, "text": "she always lies"}\n')
    assert json.loads(res.stdout)["id"] == 5


def test_csv_output_has_flat_columns(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in ROWS[:2]) + "\n")
    out = tmp_path / "out.csv"
    _run(["analyze", str(src), "-o", str(out), "--quiet"])
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows[0]["n_judgements"] == "2" and rows[1]["error"] == "empty text"


def test_resume_appends_after_existing_rows(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps({"id": f"r{i}", "text": f"entry {i}: he never listens"}) for i in range(6))
                   + "\n")
    partial = tmp_path / "out.jsonl.partial"
    # a run that was interrupted after two rows, mid-way through the third line
    first = [json.loads(line) for line in _run(["analyze", str(src), "--quiet"]).stdout.splitlines()]
    partial.write_text("\n".join(json.dumps(r) for r in first[:2]) + "\n" + '{"id": "r2", "sch')
    res = _run(["analyze", str(src), "-o", str(tmp_path / "out.jsonl"), "--resume", "--quiet"])
    assert res.returncode == 0 and "2 already present" in res.stderr
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == [f"r{i}" for i in range(6)]
    assert rows == first


def test_missing_input_is_a_clear_error(tmp_path):
    res = _run(["analyze", str(tmp_path / "nope.jsonl")])
    assert res.returncode == 2 and "not found" in res.stderr


def test_read_input_rejects_unknown_types(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(ValueError, match="unknown input type"):
        list(read_input(str(tmp_path / "x.pdf")))


def test_demo_view_names_caution():
    from mbtnlp.cli import format_analysis
    from mbtnlp.results import Analysis

    row = {"text": "x", "judgements": [], "feelings": [], "prompts": [],
           "safety": {"risk": False, "abuse": False, "third_party": False, "evidence": [], "caution": True},
           "mentalizing": {"score": None, "markers": {}, "evidence": [], "scored": False, "reason": "too short"}}
    assert "Caution" in format_analysis(Analysis.from_dict(row))
    row["safety"]["caution"] = False
    assert "Caution" not in format_analysis(Analysis.from_dict(row))
