"""Scores on external corpora in ``../shared/benchmarks`` — evaluation only, never training or tuning.

Each loader reads the corpus in place (nothing is copied into the project) and returns ``None`` when the folder is
absent, so users without the corpora get a clean skip. Label mappings follow each corpus's SOURCE.md.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

from .common import pct, prf, table

# -- harsh judgements --------------------------------------------------------------------------------------
HARSH_SHREEVASTAVA = {"Labeling", "Overgeneralization", "Mind Reading", "All-or-nothing thinking"}
HARSH_SHARMA = {"labeling", "overgeneralizing", "overgeneralization", "mind reading"}


def _flagged(analyzer, texts: list[str]) -> list[bool]:
    return [bool(a.judgements) for a in analyzer.pipe(texts, batch_size=64)]


def shreevastava(bench: Path, analyzer) -> dict | None:
    path = bench / "shreevastava2021_cd" / "Annotated_data.csv"
    if not path.exists():
        return None
    texts, gold = [], []
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            label = (row.get("Dominant Distortion") or "").strip()
            if label in HARSH_SHREEVASTAVA or label == "No Distortion":
                texts.append(row["Patient Question"])
                gold.append(label != "No Distortion")
    pred = _flagged(analyzer, texts)
    return _binary("shreevastava2021_cd (post level: Labeling/Overgeneralization/Mind Reading/All-or-nothing vs "
                   "No Distortion)", gold, pred)


def sharma(bench: Path, analyzer) -> dict | None:
    path = bench / "sharma2023_reframing" / "thinking_traps.jsonl"
    if not path.exists():
        return None
    traps: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            text = obj["prompt"].rsplit("->", 1)[0].strip()
            traps[text].add(obj["completion"].strip().lower())
    texts, gold = [], []
    for text, labels in traps.items():
        harsh = bool(labels & HARSH_SHARMA)
        if harsh or labels == {"not distorted"}:
            texts.append(text)
            gold.append(harsh)
    pred = _flagged(analyzer, texts)
    return _binary("sharma2023_reframing (Labeling/Overgeneralizing/Mind reading vs Not distorted)", gold, pred)


def _binary(name: str, gold: list[bool], pred: list[bool]) -> dict:
    tp = sum(g and p for g, p in zip(gold, pred))
    fp = sum(p and not g for g, p in zip(gold, pred))
    fn = sum(g and not p for g, p in zip(gold, pred))
    p, r, f = prf(tp, fp, fn)
    negatives = sum(not g for g in gold)
    return {"name": name, "n": len(gold), "n_positive": sum(gold), "precision": p, "recall": r, "f1": f,
            "false_alarm_rate": fp / negatives if negatives else 0.0}


# -- feelings ----------------------------------------------------------------------------------------------
ED_LABELS = ["sad", "trusting", "terrified", "caring", "disappointed", "faithful", "joyful", "jealous", "disgusted",
             "surprised", "ashamed", "afraid", "impressed", "sentimental", "devastated", "excited", "anticipating",
             "annoyed", "anxious", "furious", "content", "lonely", "angry", "confident", "apprehensive", "guilty",
             "embarrassed", "grateful", "hopeful", "proud", "prepared", "nostalgic"]
ED_MAP = {"angry": "anger", "furious": "anger", "annoyed": "anger", "jealous": "jealousy", "lonely": "loneliness",
          "sad": "sadness", "devastated": "sadness", "disappointed": "disappointment", "ashamed": "shame",
          "embarrassed": "shame", "guilty": "guilt"}
ISEAR_MAP = {"anger": "anger", "sadness": "sadness", "shame": "shame", "guilt": "guilt"}  # enISEAR
GO_LABELS = ["admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion", "curiosity", "desire",
             "disappointment", "disapproval", "disgust", "embarrassment", "excitement", "fear", "gratitude", "grief",
             "joy", "love", "nervousness", "optimism", "pride", "realization", "relief", "remorse", "sadness",
             "surprise", "neutral"]
GO_MAP = {"anger": "anger", "annoyance": "anger", "disappointment": "disappointment", "sadness": "sadness",
          "grief": "sadness", "remorse": "guilt", "embarrassment": "shame"}


def _topk_macro(name: str, texts: list[str], gold: list[str], analyzer, k: int = 3) -> dict:
    per: dict[str, list[bool]] = defaultdict(list)
    for g, result in zip(gold, analyzer.pipe(texts, batch_size=64)):
        top = [f.name for f in result.feelings[:k]]
        per[g].append(g in top)
    recalls = {g: sum(v) / len(v) for g, v in sorted(per.items())}
    return {"name": name, "n": len(texts), "macro_top3_recall": sum(recalls.values()) / len(recalls),
            "per_feeling": recalls}


def empathetic_dialogues(bench: Path, analyzer) -> dict | None:
    path = bench / "empatheticdialogues_situations" / "test.csv"
    if not path.exists():
        return None
    texts, gold = [], []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            label = ED_LABELS[int(row["label"])]
            if label in ED_MAP:
                texts.append(row["text"])
                gold.append(ED_MAP[label])
    return _topk_macro("EmpatheticDialogues situations, test (mapped, top-3 of all feelings returned)", texts, gold,
                       analyzer)


def isear(bench: Path, analyzer) -> dict | None:
    path = bench / "isear" / "isear.csv"
    if not path.exists():
        return None
    codes = {"3": "anger", "4": "sadness", "6": "shame", "7": "guilt"}
    texts, gold = [], []
    with path.open(encoding="utf-8") as f:
        emot = f.readline().split("|").index("EMOT")
        for line in f:
            parts = line.rstrip("\n").split("|")  # SIT may contain "|": fields [40:-2] (see SOURCE.md)
            text = "|".join(parts[40:-2]).strip()
            if len(parts) > 42 and parts[emot].strip() in codes and text:
                texts.append(text)
                gold.append(codes[parts[emot].strip()])
    return _topk_macro("ISEAR (anger/sadness/shame/guilt, top-3)", texts, gold, analyzer)


def enisear(bench: Path, analyzer) -> dict | None:
    path = bench / "enisear_appraisal" / "enISEAR_appraisal_majority.tsv"
    if not path.exists():
        return None
    texts, gold = [], []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            label = ISEAR_MAP.get((row.get("Prior_Emotion") or "").strip().lower())
            if label:
                texts.append(row["Sentence"])
                gold.append(label)
    return _topk_macro("enISEAR (anger/sadness/shame/guilt, top-3)", texts, gold, analyzer)


def goemotions(bench: Path, analyzer) -> dict | None:
    path = bench / "goemotions" / "test.tsv"
    if not path.exists():
        return None
    texts, golds = [], []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            labels = {GO_LABELS[int(i)] for i in row[1].split(",") if i}
            texts.append(row[0])
            golds.append({GO_MAP[lab] for lab in labels if lab in GO_MAP})
    tp = fp = fn = 0
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for gold, result in zip(golds, analyzer.pipe(texts, batch_size=256)):
        pred = {f.name for f in result.expressed} & set(GO_MAP.values())
        for name in pred | gold:
            c = per[name]
            c[0] += name in pred and name in gold
            c[1] += name in pred and name not in gold
            c[2] += name in gold and name not in pred
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
    p, r, f = prf(tp, fp, fn)
    macro = [prf(*c)[2] for c in per.values()]
    return {"name": "GoEmotions test (expressed, mapped labels)", "n": len(texts), "micro_precision": p,
            "micro_recall": r, "micro_f1": f, "macro_f1": sum(macro) / len(macro) if macro else 0.0,
            "per_feeling_f1": {k: prf(*v)[2] for k, v in sorted(per.items())}}


def run(kind: str, bench_dir: Path, analyzer=None) -> list[dict]:
    """All benchmark results for ``kind`` ("judgements" or "feelings"); [] when the folder is absent."""
    import mbtnlp

    bench = Path(bench_dir)
    if not bench.is_dir():
        return []
    analyzer = analyzer or mbtnlp.load()
    loaders = {"judgements": [shreevastava, sharma], "feelings": [empathetic_dialogues, isear, enisear, goemotions]}
    return [r for r in (load(bench, analyzer) for load in loaders[kind]) if r is not None]


def report(results: list[dict]) -> str:
    if not results:
        return "External benchmarks: folder not found, skipped."
    lines = ["External benchmarks (evaluation only; never trained or tuned on):", ""]
    for r in results:
        nums = [[k, pct(v) if isinstance(v, float) else v] for k, v in r.items()
                if k not in ("name", "per_feeling", "per_feeling_f1")]
        lines += [f"{r['name']}:"] + table(["metric", "value"], nums)
        for key in ("per_feeling", "per_feeling_f1"):
            if key in r:
                lines += ["  per feeling: " + ", ".join(f"{k} {v:.2f}" for k, v in r[key].items())]
        lines.append("")
    return "\n".join(lines)
