"""The HTML report (mbtnlp/report.py). All sentences here are written for these tests."""

from __future__ import annotations

import builtins
import json
import re

import pytest

pytest.importorskip("matplotlib")

from mbtnlp.batch import analyze_records  # noqa: E402
from mbtnlp.report import MATPLOTLIB_MISSING, build_report_data, write_report  # noqa: E402

RISK_TEXT = "I keep thinking everyone would be better off without me."
RECORDS = [
    {"id": "e1", "date": "2026-03-02", "text": "My boss is a total psycho and nobody ever backs me up."},
    {"id": "e2", "date": "2026-03-03", "text": "Tanvi never replies, she always ditches me. I felt so hurt and angry."},
    {"id": "e3", "date": "2026-03-10", "text": RISK_TEXT},
    {"id": "e4", "date": "2026-03-11", "text": ""},  # an error row (empty text)
    {"id": "e5", "date": "2026-03-12", "text": "Maybe she was tired after her shift. I wonder whether I came across "
                                               "as cold when I asked, and I might check in with her tomorrow."},
]


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    out = list(analyze_records(RECORDS, date_field="date"))
    assert [r["id"] for r in out] == ["e1", "e2", "e3", "e4", "e5"]
    assert out[2]["safety"]["risk"] and "error" in out[3]
    return out


def _rows_file(tmp_path, rows, name="results.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("dated", [True, False])
def test_write_report_html(tmp_path, rows, dated):
    if not dated:
        rows = [{k: v for k, v in r.items() if k != "date"} for r in rows]
    out = write_report(_rows_file(tmp_path, rows), tmp_path / "sub" / "report.html")
    assert out.exists()
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count('<img src="data:image/png;base64,') == 4
    assert "http" not in page.lower()
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    # the flagged entry is listed before all the others, with its evidence, not its whole text
    first = {rid: page.index(f">{rid}<") for rid in ("e1", "e2", "e3", "e4", "e5")}
    assert first["e3"] == min(first.values())
    assert "better off" in page and RISK_TEXT not in page
    # counts
    assert re.search(r"<dt>rows</dt><dd>5</dd>", page)
    assert re.search(r"<dt>failed rows</dt><dd>1</dd>", page)
    assert "not a clinical" in page
    assert ("per week" in page) == dated


def test_write_report_accepts_rows_and_is_deterministic(tmp_path, rows):
    a = write_report(rows, tmp_path / "a.html").read_bytes()
    b = write_report(iter(rows), tmp_path / "b.html").read_bytes()
    c = write_report(_rows_file(tmp_path, rows), tmp_path / "c.html").read_bytes()
    assert a == b == c


def test_write_report_escapes_text(tmp_path, rows):
    evil = '<script>alert("x")</script>'
    rows = [dict(r) for r in rows]
    rows[2] = {**rows[2], "id": evil, "text": rows[2]["text"] + " " + evil}
    rows[2]["safety"] = {**rows[2]["safety"], "evidence": [{"text": evil, "start": 0, "end": 5, "cue": "risk.x"}]}
    rows[0] = {**rows[0], "judgements": [{**j, "who": "<b>Boss</b>"} for j in rows[0]["judgements"]]}
    page = write_report(rows, tmp_path / "r.html", include_text=True).read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;" in page
    assert "<b>Boss" not in page


def test_write_report_bad_lines_count_as_failed(tmp_path, rows):
    path = _rows_file(tmp_path, rows)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n{not json\n")
    page = write_report(path, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<dt>rows</dt><dd>6</dd>" in page and "<dt>failed rows</dt><dd>2</dd>" in page


def test_empty_results(tmp_path):
    page = write_report([], tmp_path / "r.html").read_text(encoding="utf-8")
    assert "No entry was flagged" in page and "<dt>rows</dt><dd>0</dd>" in page


def test_missing_matplotlib(monkeypatch, tmp_path):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError("no matplotlib")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match=re.escape(MATPLOTLIB_MISSING)):
        write_report([], tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()
    assert build_report_data([])["n_rows"] == 0  # the numbers do not need matplotlib


# -- build_report_data on hand-made rows ----------------------------------------------------------------------
def _row(rid, date=None, judgements=(), feelings=(), risk=False, abuse=False, score=None, evidence=()):
    row = {"id": rid, "schema_version": "1.0", "text": f"text of {rid}",
           "judgements": [{"text": t, "start": 0, "end": 1, "kind": k, "target": tg, "who": w, "severity": 0.9,
                           "rule": ""} for t, k, tg, w in judgements],
           "feelings": [{"name": n, "status": s, "score": 0.5, "evidence": []} for n, s in feelings],
           "prompts": [], "safety": {"risk": risk, "abuse": abuse, "third_party": False,
                                     "evidence": [{"text": e, "start": 0, "end": 1, "cue": "c"} for e in evidence]},
           "mentalizing": {"score": score, "scored": score is not None, "reason": "", "markers": {}, "evidence": []}}
    if date is not None:
        row["date"] = date
    return row


HAND = [
    _row("a", "2026-06-01", [("she is fake", "label", "other", "She"), ("I am an idiot", "label", "self", "I")],
         [("anger", "expressed"), ("hurt", "suggested")], score=1.0),
    _row("b", "2026-06-03", [("He always", "overgeneralization", "other", "he"),
                             ("she never", "overgeneralization", "other", "SHE")],
         [("hurt", "suggested")], score=2.0),
    {"id": "c", "date": "2026-06-04", "error": "empty text"},
    _row("d", "2026-06-16", [], [("sadness", "expressed"), ("hurt", "expressed")], risk=True,
         evidence=["better off without me"]),  # week of 06-15; the week of 06-08 is empty
    _row("e", "2026-06-17", [("my Boss is a psycho", "label", "other", "My Boss")], score=0.5),
    _row("f", "2026-06-18", score=1.5),
    _row("g", "2026-06-19", score=3.0),
    _row("h", "2026-06-20", score=0.0),
]


def test_build_report_data_numbers():
    d = build_report_data(HAND)
    assert (d["n_rows"], d["n_failed"], d["n_analysed"]) == (8, 1, 7)
    assert (d["n_flagged"], d["n_risk"], d["n_abuse"]) == (1, 1, 0)
    assert (d["n_judgements"], d["n_self_judgements"], d["n_other_judgements"]) == (5, 1, 4)
    assert (d["n_expressed"], d["n_suggested"]) == (3, 2)
    assert d["bucket_unit"] == "week"
    assert d["buckets"] == ["2026-06-01", "2026-06-08", "2026-06-15"]
    assert d["entries_per_bucket"] == [3, 0, 5]
    assert d["judgement_kinds"] == ["label", "overgeneralization"]
    assert d["judgements_per_bucket"] == [{"label": 2, "overgeneralization": 2}, {}, {"label": 1}]
    assert d["feelings_per_bucket"] == [{"expressed": 1, "suggested": 2}, {"expressed": 0, "suggested": 0},
                                        {"expressed": 2, "suggested": 0}]
    assert d["who"] == [["she", 2], ["he", 1], ["my boss", 1]]
    assert d["top_feelings"]["expressed"] == [["anger", 1], ["hurt", 1], ["sadness", 1]]
    assert d["top_feelings"]["suggested"] == [["hurt", 2]]
    m = d["mentalizing"]
    assert m["n_scored"] == 6 and m["n_not_scored"] == 1 and m["window"] == 5
    assert [p["id"] for p in m["points"]] == ["a", "b", "e", "f", "g", "h"]
    # rolling median over 5 scored entries: [1, 2, .5, 1.5, 3] -> 1.5, [2, .5, 1.5, 3, 0] -> 1.5
    assert [(t["date"], t["median"]) for t in m["trend"]] == [("2026-06-19", 1.5), ("2026-06-20", 1.5)]
    assert m["median"] == 1.25
    assert d["flagged"] == [{"index": 3, "id": "d", "date": "2026-06-16", "flags": ["risk"],
                             "evidence": [{"cue": "c", "text": "better off without me"}]}]
    assert [e["id"] for e in d["entries"]] == ["d", "a", "b", "e", "f", "g", "h", "c"]
    assert all("text" not in e for e in d["entries"])
    json.dumps(d)  # plain, JSON-safe numbers


def test_build_report_data_without_dates():
    rows = [{k: v for k, v in r.items() if k != "date"} for r in HAND]
    d = build_report_data(rows)
    assert d["bucket_unit"] == "entries"
    assert d["buckets"] == ["1-7", "8"]
    assert d["entries_per_bucket"] == [7, 1]
    assert d["judgements_per_bucket"] == [{"label": 3, "overgeneralization": 2}, {}]
    assert [p["index"] for p in d["mentalizing"]["points"]] == [0, 1, 4, 5, 6, 7]
    assert d["flagged"][0]["date"] is None


def test_build_report_data_few_scores_no_trend():
    d = build_report_data(HAND[:3])
    assert d["mentalizing"]["n_scored"] == 2 and d["mentalizing"]["trend"] == []
