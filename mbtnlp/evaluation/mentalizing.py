"""Evaluate the mentalizing score against the team's 0-3 ratings: ``python -m mbtnlp.evaluation.mentalizing``.

Reports Spearman rho (score vs rating), the mean score per rating, and how much the score follows entry length
(Pearson r with word count, and the partial r with word count once the rating is accounted for: near zero
means length adds nothing beyond what the raters themselves saw). Not a clinical validation.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np


def _load(data_dir: Path, split: str) -> list[dict]:
    path = Path(data_dir) / f"{split}.jsonl"
    if not path.exists() and (Path(data_dir) / "mentalizing" / f"{split}.jsonl").exists():
        path = Path(data_dir) / "mentalizing" / f"{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _partial_r(score: np.ndarray, rating: np.ndarray, length: np.ndarray) -> float:
    A = np.c_[np.ones_like(rating), rating]
    r1 = score - A @ np.linalg.lstsq(A, score, rcond=None)[0]
    r2 = length - A @ np.linalg.lstsq(A, length, rcond=None)[0]
    if r1.std() == 0 or r2.std() == 0:
        return 0.0
    return float(np.corrcoef(r1, r2)[0, 1])


def run(data_dir: Path, split: str = "test", scorer=None) -> dict[str, Any]:
    """Score every entry of ``data_dir/{split}.jsonl`` (``data_dir`` is ``data/mentalizing`` or ``data``)."""
    from scipy.stats import pearsonr, spearmanr

    from ..mentalizing import MentalizingScorer, word_count

    items = _load(Path(data_dir), split)
    scorer = scorer or MentalizingScorer()
    rows = []
    for it in items:
        res = scorer.score(it["text"])
        rows.append({"id": it.get("id"), "rating": it["rating"], "score": res["score"], "words": word_count(it["text"]),
                     "register": it.get("register", ""), "reason": res["reason"]})
    scored = [r for r in rows if r["score"] is not None]
    s = np.array([r["score"] for r in scored], dtype=float)
    y = np.array([r["rating"] for r in scored], dtype=float)
    L = np.array([r["words"] for r in scored], dtype=float)
    result: dict[str, Any] = {"split": split, "n": len(rows), "n_scored": len(scored),
                              "not_scored": {r["id"]: r["reason"] for r in rows if r["score"] is None}}
    if len(scored) >= 3:
        result["spearman"] = round(float(spearmanr(s, y).statistic), 4)
        result["length_r"] = round(float(pearsonr(s, L).statistic), 4)
        result["rating_length_r"] = round(float(pearsonr(y, L).statistic), 4)
        result["length_partial_r"] = round(_partial_r(s, y, L), 4)
        result["mae"] = round(float(np.abs(s - y).mean()), 4)
    result["mean_by_rating"] = {int(k): round(float(s[y == k].mean()), 3) for k in sorted(set(y.tolist()))}
    result["n_by_rating"] = {int(k): int((y == k).sum()) for k in sorted(set(y.tolist()))}
    by_reg: dict[str, float] = {}
    for reg in sorted({r["register"] for r in scored}):
        idx = [i for i, r in enumerate(scored) if r["register"] == reg]
        if len(idx) >= 5 and len(set(y[idx])) > 1:
            by_reg[reg] = round(float(spearmanr(s[idx], y[idx]).statistic), 4)
    result["spearman_by_register"] = by_reg
    result["worst"] = sorted(({"id": r["id"], "rating": r["rating"], "score": r["score"]} for r in scored),
                             key=lambda r: -abs(r["score"] - r["rating"]))[:5]
    return result


def report(result: dict[str, Any]) -> str:
    lines = [f"mentalizing score vs team rating ({result['split']}, n={result['n']}, scored={result['n_scored']})"]
    if "spearman" in result:
        lines.append(f"  Spearman rho            {result['spearman']:.3f}")
        lines.append(f"  MAE (0-3)               {result['mae']:.3f}")
        lines.append(f"  r(score, words)         {result['length_r']:.3f}   (r(rating, words) = "
                     f"{result['rating_length_r']:.3f})")
        lines.append(f"  partial r(score, words | rating) {result['length_partial_r']:.3f}")
    lines.append("  mean score by rating    " + ", ".join(
        f"{k}: {v:.2f} (n={result['n_by_rating'][k]})" for k, v in result["mean_by_rating"].items()))
    if result.get("spearman_by_register"):
        lines.append("  rho by register         " + ", ".join(
            f"{k}: {v:.2f}" for k, v in result["spearman_by_register"].items()))
    if result.get("not_scored"):
        lines.append(f"  not scored              {len(result['not_scored'])}")
    lines.append("  (a descriptive text measure, not a clinical reflective-functioning score)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m mbtnlp.evaluation.mentalizing", description=__doc__)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "data" / "mentalizing")
    ap.add_argument("--split", default="test")
    args = ap.parse_args(argv)
    print(report(run(args.data, args.split)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
