"""Evaluate feelings on the team's split: expressed P/R/F1, suggested top-3 recall, quiet neutral entries,
and calibration of suggestion scores (a reliability table)."""

from __future__ import annotations

import random
from pathlib import Path

from .common import load_items, pct, prf, table


def reliability(pairs: list[tuple[float, bool]], bins: int = 10) -> tuple[list[dict], float]:
    rows, ece = [], 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(s, ok) for s, ok in pairs if lo <= s < hi or (b == bins - 1 and s == 1.0)]
        if not inside:
            continue
        acc = sum(ok for _, ok in inside) / len(inside)
        mean = sum(s for s, _ in inside) / len(inside)
        ece += len(inside) / len(pairs) * abs(acc - mean)
        rows.append({"bin_low": lo, "bin_high": hi, "n": len(inside), "mean_score": mean, "accuracy": acc})
    return rows, ece


def run(data_dir: Path, split: str = "test", analyzer=None, exclude_exposed: bool = False) -> dict:
    """``exclude_exposed``: leave out the test items listed in ``exposed_test.txt`` (quoted in an error analysis)."""
    import mbtnlp

    items = load_items(data_dir, "feelings", split, exclude_exposed)
    analyzer = analyzer or mbtnlp.load()
    tp = fp = fn = 0
    hit3, strict3, quiet, pairs, errors = [], [], [], [], []
    for item, result in zip(items, analyzer.pipe(i["text"] for i in items)):
        expressed = {f.name for f in result.expressed}
        gold_e, gold_s = set(item["expressed"]), set(item["suggested"])
        tp += len(expressed & gold_e)
        fp += len(expressed - gold_e)
        fn += len(gold_e - expressed)
        suggested = [f for f in result.suggested]
        top3 = {f.name for f in suggested[:3]}
        if gold_s:
            hit3.append(bool(top3 & gold_s))
            strict3.append(len(top3 & gold_s) / min(3, len(gold_s)))
        elif not gold_e:
            quiet.append(not suggested)
        pairs += [(f.score, f.name in gold_s) for f in suggested]
        if expressed != gold_e or (gold_s and not top3 & gold_s) or (not gold_s and not gold_e and suggested):
            errors.append({"id": item["id"], "text": item["text"], "gold_expressed": sorted(gold_e),
                           "expressed": sorted(expressed), "gold_suggested": item["suggested"],
                           "suggested": [f.name for f in suggested]})
    p, r, f = prf(tp, fp, fn)
    rel, ece = reliability(pairs)
    return {"split": split, "n": len(items), "expressed_precision": p, "expressed_recall": r, "expressed_f1": f,
            "suggested_top3_recall": sum(hit3) / len(hit3) if hit3 else 0.0,
            "suggested_top3_overlap": sum(strict3) / len(strict3) if strict3 else 0.0,
            "neutral_quiet": sum(quiet) / len(quiet) if quiet else 0.0, "n_neutral": len(quiet),
            "n_with_suggestions": len(hit3), "reliability": rel, "ece": ece, "errors": errors}


def report(res: dict, n_errors: int = 30) -> str:
    lines = [f"Feelings, team {res['split']} split: {res['n']} entries ({res['n_neutral']} neutral or positive)", ""]
    lines += table(["metric", "value"], [
        ["expressed precision", pct(res["expressed_precision"])], ["expressed recall", pct(res["expressed_recall"])],
        ["expressed F1", pct(res["expressed_f1"])],
        ["suggested top-3 recall (an annotated suggestion among our top 3)", pct(res["suggested_top3_recall"])],
        ["suggested top-3 overlap (|top3 ∩ gold| / min(3, |gold|))", pct(res["suggested_top3_overlap"])],
        ["neutral entries with no suggestion", pct(res["neutral_quiet"])],
        ["expected calibration error (suggestions)", pct(res["ece"])]])
    lines += ["", "Reliability of suggestion scores (held-out):"]
    lines += table(["score bin", "n", "mean score", "share right"],
                   [[f"{b['bin_low']:.1f}-{b['bin_high']:.1f}", b["n"], f"{b['mean_score']:.2f}", f"{b['accuracy']:.2f}"]
                    for b in res["reliability"]])
    errs = res["errors"]
    if errs and n_errors:
        sample = random.Random(0).sample(errs, min(n_errors, len(errs)))
        lines += ["", f"{len(sample)} sampled errors (of {len(errs)}):"]
        lines += [f"- {e['text'][:140]!r} expressed gold={e['gold_expressed']} ours={e['expressed']}; "
                  f"suggested gold={e['gold_suggested']} ours={e['suggested']}" for e in sample]
    return "\n".join(lines)
