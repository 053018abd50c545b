"""Evaluate harsh-judgement detection on the team's split (item, span, kind, target, false alarms per family)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from pathlib import Path

from .common import load_items, pct, prf, table


def _overlap(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def run(data_dir: Path, split: str = "test", analyzer=None, exclude_exposed: bool = False) -> dict:
    """``exclude_exposed``: leave out the test items listed in ``exposed_test.txt`` (quoted in an error analysis)."""
    import mbtnlp

    items = load_items(data_dir, "judgements", split, exclude_exposed)
    analyzer = analyzer or mbtnlp.load()
    tp = fp = fn = 0
    span_tp_pred = span_pred = span_tp_gold = span_gold = 0
    kind_ok = target_ok = matched = 0
    fam_total: Counter = Counter()
    fam_fa: Counter = Counter()
    errors = []
    for item, result in zip(items, analyzer.pipe(i["text"] for i in items)):
        pred = [j.to_dict() for j in result.judgements]
        gold = item["judgements"]
        if gold and pred:
            tp += 1
        elif gold:
            fn += 1
        elif pred:
            fp += 1
        if not gold:
            fam_total[item["family"]] += 1
            fam_fa[item["family"]] += bool(pred)
        span_pred += len(pred)
        span_gold += len(gold)
        span_tp_pred += sum(any(_overlap(p, g) for g in gold) for p in pred)
        span_tp_gold += sum(any(_overlap(g, p) for p in pred) for g in gold)
        for g in gold:
            hit = next((p for p in pred if _overlap(p, g)), None)
            if hit:
                matched += 1
                kind_ok += hit["kind"] == g["kind"]
                target_ok += hit["target"] == g["target"]
        if bool(gold) != bool(pred):
            errors.append({"id": item["id"], "family": item["family"], "type": "missed" if gold else "false alarm",
                           "text": item["text"], "gold": [g["span"] for g in gold], "pred": [p["text"] for p in pred],
                           "rules": [p["rule"] for p in pred]})
    negatives = sum(fam_total.values())
    p, r, f = prf(tp, fp, fn)
    return {
        "split": split, "n": len(items), "n_positive": tp + fn, "n_hard_negative": negatives,
        "item_precision": p, "item_recall": r, "item_f1": f,
        "span_precision": span_tp_pred / span_pred if span_pred else 0.0,
        "span_recall": span_tp_gold / span_gold if span_gold else 0.0,
        "kind_accuracy": kind_ok / matched if matched else 0.0,
        "target_accuracy": target_ok / matched if matched else 0.0,
        "false_alarm_rate": (sum(fam_fa.values()) / negatives) if negatives else 0.0,
        "false_alarms_by_family": {k: {"n": fam_total[k], "false_alarms": fam_fa[k],
                                       "rate": fam_fa[k] / fam_total[k]} for k in sorted(fam_total)},
        "errors": errors,
    }


def report(res: dict, n_errors: int = 30) -> str:
    lines = [f"Harsh judgements, team {res['split']} split: {res['n']} items "
             f"({res['n_positive']} with a judgement, {res['n_hard_negative']} hard negatives)", ""]
    lines += table(["metric", "value"], [
        ["item precision", pct(res["item_precision"])], ["item recall", pct(res["item_recall"])],
        ["item F1", pct(res["item_f1"])], ["span precision (overlap)", pct(res["span_precision"])],
        ["span recall (overlap)", pct(res["span_recall"])], ["kind accuracy (matched spans)", pct(res["kind_accuracy"])],
        ["target accuracy (matched spans)", pct(res["target_accuracy"])],
        ["false alarms on hard negatives", pct(res["false_alarm_rate"])]])
    lines += ["", "False alarms per hard-negative family:"]
    lines += table(["family", "n", "false alarms", "rate"],
                   [[k, v["n"], v["false_alarms"], pct(v["rate"])] for k, v in res["false_alarms_by_family"].items()])
    errs = res["errors"]
    if errs and n_errors:
        sample = random.Random(0).sample(errs, min(n_errors, len(errs)))
        lines += ["", f"{len(sample)} sampled errors (of {len(errs)}):"]
        lines += [f"- [{e['type']}, {e['family']}] {e['text'][:160]!r} gold={e['gold']} pred={e['pred']}"
                  for e in sample]
    return "\n".join(lines)


def by_family(res: dict) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for k, v in res["false_alarms_by_family"].items():
        out[k] = v["rate"]
    return dict(out)
