"""A small TF-IDF + linear model that runs on numpy alone.

Training uses scikit-learn (``mbtnlp.train``); the fitted vocabulary, idf weights, coefficients and Platt
calibration are exported to plain ``.npz``/``.json`` files. Loading them needs no pickle, so a bundled model
cannot execute code and cannot break when scikit-learn changes its internals.
"""

from __future__ import annotations

import json
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
    padded = ["<s>", *words, "</s>"]
    return (*words, *[a + " " + b for a, b in zip(padded, padded[1:])])


@lru_cache(maxsize=1024)
def analyse_with_prefixes(text: str) -> tuple[str, ...]:
    """:func:`analyse` plus the first five letters of every longer word ("p:betra" for betrayed, betrayal,
    betraying): a crude stemmer, so the inflections of a situation word share evidence. Used by the feeling
    suggestion model, where it lifted dev top-3 recall and quiet neutral entries (README, Evaluation)."""
    base = analyse(text)
    words = base[:(len(base) - 1) // 2]  # analyse gives the n words, then their n + 1 edge-padded pairs
    return (*base, *("p:" + w[:5] for w in words if len(w) > 5))


#: feature functions by the name stored in a model's JSON ("analyser"); a model names the one it was trained with
ANALYSERS = {"mbtnlp.linear.analyse/v1": analyse, "mbtnlp.linear.analyse_with_prefixes/v1": analyse_with_prefixes}


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
    analyser: str = "mbtnlp.linear.analyse/v1"  # a key of ANALYSERS

    def predict_proba_many(self, texts: list[str], extras: list[dict[str, float] | None] | None = None
                           ) -> list[dict[str, float]]:
        """Calibrated probabilities per text: TF-IDF (sublinear tf, l2-normalised) on the columns the texts touch,
        plus the dense extras, in one set of array operations for the batch (per-call numpy overhead dominated
        when entries were scored one by one)."""
        n = len(texts)
        if n == 0:
            return []
        fast = self._fast()
        get = self.vocab.get
        features = ANALYSERS[self.analyser]
        rows: list[int] = []
        cols: list[int] = []
        counts: list[int] = []
        for r, text in enumerate(texts):
            found = [j for j in map(get, features(text)) if j is not None]
            # columns in order of first occurrence, as counted (a repeated feature is the exception)
            seen = dict.fromkeys(found, 1) if len(set(found)) == len(found) else Counter(found)
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
        return self.predict_proba_many([text], [extra])[0]

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
                                    "extra_features": self.extra_features, "analyser": self.analyser},
                                   ensure_ascii=False, sort_keys=True), encoding="utf-8")
        return [npz, meta]

    @classmethod
    def load(cls, folder: Path, name: str) -> "LinearModel":
        meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        with np.load(folder / f"{name}.npz", allow_pickle=False) as arrays:
            data = {k: arrays[k] for k in arrays.files}
        vocab = {term: i for i, term in enumerate(meta["vocabulary"])}
        analyser = meta.get("analyser", "mbtnlp.linear.analyse/v1")
        if analyser not in ANALYSERS:
            raise ValueError(f"model {name} needs the feature function {analyser!r}, which this mbtnlp does not have")
        return cls(meta["labels"], vocab, data["idf"], data["coef"], data["intercept"], data["platt_a"],
                   data["platt_b"], list(meta.get("extra_features", [])), analyser)
