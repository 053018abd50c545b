"""Evaluate the safety gate on the team-written ``data/safety/{split}.jsonl`` files.

``run(data_dir, split)`` returns a dict of figures; ``report(result)`` formats it as a readable table.
Rows have ``text``, ``risk``, ``abuse``, ``family`` and optionally ``third_party`` (missing means False).
Run as a script: ``python -m mbtnlp.evaluation.safety data/safety dev``.
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from ..lexicon import read_jsonl
from ..safety import SafetyGate

IDIOM_FAMILIES = ("idiom",)
FLOORS = {"risk_recall": 0.98, "abuse_recall": 0.95, "idiom_false_alarm_rate": 0.05}


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def run(data_dir: Path, split: str = "test", gate: SafetyGate | None = None) -> dict:
    """Screen every row of ``{data_dir}/{split}.jsonl`` (``data_dir`` may be ``data/`` or ``data/safety``)."""
    data_dir = Path(data_dir)
    if (data_dir / "safety" / f"{split}.jsonl").exists():
        data_dir = data_dir / "safety"
    rows = read_jsonl(data_dir / f"{split}.jsonl")
    gate = gate or SafetyGate()
    counts: dict[str, Counter] = {f: Counter() for f in ("risk", "abuse", "third_party")}
    family_n: Counter = Counter()
    family_miss: Counter = Counter()
    idiom_fa = idiom_n = hard_fa = hard_n = 0
    errors = []
    t0 = time.perf_counter()
    for row in rows:
        out = gate.screen(row["text"])
        gold = {"risk": bool(row.get("risk")), "abuse": bool(row.get("abuse")),
                "third_party": bool(row.get("third_party", False))}
        fam = row.get("family", "?")
        family_n[fam] += 1
        wrong = []
        for flag, c in counts.items():
            p, g = out[flag], gold[flag]
            c["tp" if p and g else "fp" if p else "fn" if g else "tn"] += 1
            if p != g:
                wrong.append(f"{flag}={'FP' if p else 'FN'}")
        positive = gold["risk"] or gold["abuse"]
        alarm = out["risk"] or out["abuse"]
        if not positive:
            hard_n += 1
            hard_fa += alarm
            if fam in IDIOM_FAMILIES:
                idiom_n += 1
                idiom_fa += alarm
        if any(w.startswith(("risk", "abuse")) for w in wrong):
            family_miss[fam] += 1
        if wrong:
            errors.append({"id": row.get("id"), "family": fam, "errors": wrong, "text": row["text"],
                           "evidence": [(e["cue"], e["text"]) for e in out["evidence"]]})
    elapsed = time.perf_counter() - t0

    def pr(c: Counter) -> dict:
        return {"recall": _ratio(c["tp"], c["tp"] + c["fn"]), "precision": _ratio(c["tp"], c["tp"] + c["fp"]),
                **{k: c[k] for k in ("tp", "fp", "fn", "tn")}}

    tp = counts["third_party"]
    result = {
        "split": split,
        "n": len(rows),
        "risk": pr(counts["risk"]),
        "abuse": pr(counts["abuse"]),
        "third_party": {**pr(tp), "accuracy": _ratio(tp["tp"] + tp["tn"], len(rows))},
        "idiom_false_alarm_rate": _ratio(idiom_fa, idiom_n),
        "idiom_n": idiom_n,
        "hard_negative_false_alarm_rate": _ratio(hard_fa, hard_n),
        "hard_negative_n": hard_n,
        "family_n": dict(family_n),
        "family_errors": dict(family_miss),
        "errors": errors,
        "mean_ms_per_text": round(1000 * elapsed / max(1, len(rows)), 3),
    }
    result["floors"] = {
        "risk_recall": (result["risk"]["recall"] or 0) >= FLOORS["risk_recall"],
        "abuse_recall": (result["abuse"]["recall"] or 0) >= FLOORS["abuse_recall"],
        "idiom_false_alarm_rate": (result["idiom_false_alarm_rate"] or 0) <= FLOORS["idiom_false_alarm_rate"],
    }
    return result


def report(result: dict) -> str:
    """A plain-text table of the figures returned by :func:`run` (texts of errors are not printed)."""
    def f(v):
        return "  n/a" if v is None else f"{v:5.3f}"

    lines = [f"Safety gate — split {result['split']} (n={result['n']}, {result['mean_ms_per_text']} ms/text)",
             f"{'flag':<12}{'recall':>8}{'precision':>11}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for flag in ("risk", "abuse", "third_party"):
        r = result[flag]
        lines.append(f"{flag:<12}{f(r['recall']):>8}{f(r['precision']):>11}{r['tp']:>5}{r['fp']:>5}{r['fn']:>5}")
    lines.append(f"third_party accuracy      {f(result['third_party']['accuracy'])}")
    lines.append(f"idiom false-alarm rate    {f(result['idiom_false_alarm_rate'])}  (n={result['idiom_n']})")
    lines.append(f"hard-negative false alarm {f(result['hard_negative_false_alarm_rate'])}  "
                 f"(n={result['hard_negative_n']})")
    lines.append("floors: " + ", ".join(f"{k} {'ok' if v else 'FAIL'}" for k, v in result["floors"].items()))
    lines.append(f"{'family':<20}{'n':>5}{'risk/abuse errors':>19}")
    for fam, n in sorted(result["family_n"].items()):
        lines.append(f"{fam:<20}{n:>5}{result['family_errors'].get(fam, 0):>19}")
    lines.append(f"errors: {len(result['errors'])} rows (ids: "
                 + ", ".join(str(e['id']) for e in result["errors"][:30]) + ")")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("data/safety")
    split = sys.argv[2] if len(sys.argv) > 2 else "dev"
    print(report(run(data, split)))
