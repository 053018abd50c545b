"""A small TF-IDF + linear model that runs on numpy alone.

Training uses scikit-learn (``mbtnlp.train``); the fitted vocabulary, idf weights, coefficients and Platt
calibration are exported to plain ``.npz``/``.json`` files. Loading them needs no pickle, so a bundled model
cannot execute code and cannot break when scikit-learn changes its internals.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

_WORD = re.compile(r"[a-z0-9]+(?:['’*][a-z]+)?")


_ELONGATED = re.compile(r"(\w)\1{2,}")


def normalise(text: str) -> str:
    """Lowercase, fold curly apostrophes, squeeze elongations ("sooo" -> "soo")."""
    return _ELONGATED.sub(r"\1\1", text.lower().replace("’", "'"))


@lru_cache(maxsize=1024)
def analyse(text: str) -> tuple[str, ...]:
    """Features: word unigrams and bigrams (with sentence-edge markers). Cached: several models read the
    same entry."""
    words = _WORD.findall(normalise(text))
    padded = ["<s>"] + words + ["</s>"]
    return tuple(words) + tuple(f"{a} {b}" for a, b in zip(padded, padded[1:]))


@dataclass
class LinearModel:
    """One-vs-rest linear scorer over TF-IDF features, with per-label Platt calibration."""

    labels: list[str]
    vocab: dict[str, int]
    idf: np.ndarray  # (n_features,)
    coef: np.ndarray  # (n_labels, n_features)
    intercept: np.ndarray  # (n_labels,)
    platt_a: np.ndarray  # (n_labels,) calibrated p = 1 / (1 + exp(a * f + b))
    platt_b: np.ndarray
    extra_features: list[str]  # names of dense features appended after the vocabulary

    def vectorise(self, text: str, extra: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(f for f in analyse(text) if f in self.vocab)
        idx = np.fromiter((self.vocab[f] for f in counts), dtype=np.int64, count=len(counts))
        val = np.fromiter(((1.0 + math.log(c)) for c in counts.values()), dtype=np.float64, count=len(counts))
        if len(idx):
            val *= self.idf[idx]
            norm = np.sqrt((val ** 2).sum())
            if norm > 0:
                val /= norm
        if self.extra_features and extra:
            base = len(self.vocab)
            e_idx = [base + i for i, name in enumerate(self.extra_features) if extra.get(name)]
            e_val = [float(extra[name]) for name in self.extra_features if extra.get(name)]
            idx = np.concatenate([idx, np.asarray(e_idx, dtype=np.int64)])
            val = np.concatenate([val, np.asarray(e_val, dtype=np.float64)])
        return idx, val

    def decision(self, text: str, extra: dict[str, float] | None = None) -> np.ndarray:
        """Raw scores; the same arithmetic as ``coef @ vectorise(text) + intercept``, done on the few columns the
        text touches (a per-call numpy overhead this size dominated the whole pipeline)."""
        fast = self._fast()
        get = self.vocab.get
        counts: dict[int, int] = {}
        for f in analyse(text):
            j = get(f)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        scores = self.intercept.copy()
        if counts:
            idx = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            val = np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))) + 1.0
            val *= self.idf[idx]
            norm = math.sqrt(float(val @ val))
            if norm > 0:
                val /= norm
            scores += val @ fast["coef_t"][idx]
        if extra and self.extra_features:
            base, where = len(self.vocab), fast["extra"]
            for name, value in extra.items():
                k = where.get(name)
                if k is not None and value:
                    scores += float(value) * fast["coef_t"][base + k]
        return scores

    def predict_proba_many(self, texts: list[str], extras: list[dict[str, float] | None] | None = None
                           ) -> list[dict[str, float]]:
        """``predict_proba`` for a batch in one set of array operations (the per-call numpy overhead of
        scoring entries one by one was a large share of the pipeline's time)."""
        n = len(texts)
        if n == 0:
            return []
        fast = self._fast()
        get = self.vocab.get
        rows: list[int] = []
        cols: list[int] = []
        counts: list[int] = []
        for r, text in enumerate(texts):
            seen: dict[int, int] = {}
            for f in analyse(text):
                j = get(f)
                if j is not None:
                    seen[j] = seen.get(j, 0) + 1
            rows.extend([r] * len(seen))
            cols.extend(seen.keys())
            counts.extend(seen.values())
        scores = np.tile(self.intercept, (n, 1))
        if cols:
            row = np.asarray(rows, dtype=np.intp)
            col = np.asarray(cols, dtype=np.intp)
            val = (np.log(np.asarray(counts, dtype=np.float64)) + 1.0) * self.idf[col]
            norms = np.sqrt(np.bincount(row, weights=val * val, minlength=n))
            val /= np.where(norms > 0, norms, 1.0)[row]
            contrib = fast["coef_t"][col] * val[:, None]
            for k in range(scores.shape[1]):
                scores[:, k] += np.bincount(row, weights=contrib[:, k], minlength=n)
        if extras and self.extra_features:
            base, where = len(self.vocab), fast["extra"]
            for r, extra in enumerate(extras):
                for name, value in (extra or {}).items():
                    k = where.get(name)
                    if k is not None and value:
                        scores[r] += float(value) * fast["coef_t"][base + k]
        p = 1.0 / (1.0 + np.exp(self.platt_a * scores + self.platt_b))
        return [dict(zip(self.labels, row_p)) for row_p in p.tolist()]

    def _fast(self) -> dict:
        if not hasattr(self, "_cache"):
            self._cache = {"coef_t": np.ascontiguousarray(self.coef.T),
                           "extra": {name: i for i, name in enumerate(self.extra_features)}}
        return self._cache

    def predict_proba(self, text: str, extra: dict[str, float] | None = None) -> dict[str, float]:
        f = self.decision(text, extra)
        p = 1.0 / (1.0 + np.exp(self.platt_a * f + self.platt_b))
        return dict(zip(self.labels, p.tolist()))

    # -- persistence (no pickle) -----------------------------------------------------------------------
    def save(self, folder: Path, name: str) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        npz = folder / f"{name}.npz"
        with npz.open("wb") as f:
            np.savez(f, idf=self.idf, coef=self.coef, intercept=self.intercept,
                     platt_a=self.platt_a, platt_b=self.platt_b)
        meta = folder / f"{name}.json"
        vocab_sorted = sorted(self.vocab, key=self.vocab.get)
        meta.write_text(json.dumps({"labels": self.labels, "vocabulary": vocab_sorted,
                                    "extra_features": self.extra_features, "analyser": "mbtnlp.linear.analyse/v1"},
                                   ensure_ascii=False, sort_keys=True), encoding="utf-8")
        return [npz, meta]

    @classmethod
    def load(cls, folder: Path, name: str) -> "LinearModel":
        meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        with np.load(folder / f"{name}.npz", allow_pickle=False) as arrays:
            data = {k: arrays[k] for k in arrays.files}
        vocab = {term: i for i, term in enumerate(meta["vocabulary"])}
        return cls(meta["labels"], vocab, data["idf"], data["coef"], data["intercept"], data["platt_a"],
                   data["platt_b"], list(meta.get("extra_features", [])))
