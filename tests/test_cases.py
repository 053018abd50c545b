"""Hand-written regression cases (``tests/cases/cases.jsonl``), with a known-failures list run as strict xfails.

Each case states only what must hold; ``tests/cases/README.md`` explains the fields.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CASES_DIR = Path(__file__).parent / "cases"
CASES = [json.loads(line) for line in (CASES_DIR / "cases.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]
KNOWN = {line.split("\t")[0]: line.split("\t", 1)[1] for line in
         (CASES_DIR / "known_failures.txt").read_text(encoding="utf-8").splitlines()
         if line.strip() and not line.startswith("#")}


def _param(case: dict):
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN[case["id"]])] if case["id"] in KNOWN else []
    return pytest.param(case, id=case["id"], marks=marks)


def test_case_file_is_well_formed():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    assert set(KNOWN) <= set(ids), f"known failures without a case: {set(KNOWN) - set(ids)}"
    for case in CASES:
        assert case.get("why") and case.get("text"), case["id"]
        assert {"judgement", "expressed", "not_expressed", "risk", "abuse", "third_party"} & set(case), case["id"]


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_regression_case(analyzer, case):
    result = analyzer(case["text"])
    if "judgement" in case:
        assert bool(result.judgements) == case["judgement"], [(j.kind, j.text) for j in result.judgements]
        if case["judgement"] and "kind" in case:
            assert result.judgements[0].kind == case["kind"], [(j.kind, j.text) for j in result.judgements]
        if case["judgement"] and "who" in case:
            assert result.judgements[0].who == case["who"], [(j.who, j.text) for j in result.judgements]
    expressed = {f.name for f in result.expressed}
    assert set(case.get("expressed", [])) <= expressed, expressed
    assert not set(case.get("not_expressed", [])) & expressed, expressed
    for flag in ("risk", "abuse", "third_party"):
        if flag in case:
            assert getattr(result.safety, flag) == case[flag], (flag, result.safety)
