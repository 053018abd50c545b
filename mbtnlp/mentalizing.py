"""A per-entry mentalizing score: the ``mbtnlp_mentalizing`` spaCy component.

**What it is.** A *descriptive text measure* of how much a journal entry, as written, treats the writer's and other
people's behaviour as driven by feelings, wishes and intentions that are not fully knowable (design notes 4d). It
is on the team's 0-3 rating scale (``data/mentalizing/GUIDELINE.md``). **What it is not:** a clinical
reflective-functioning (RF) score, an assessment of the writer, or a diagnosis. It describes a piece of writing;
compare a person only with their own earlier entries, never with norms.

**How.** Regular expressions in ``resources/mentalizing/markers.json`` (readable, extensible data) find positive
markers (M+1..M+10: another's mind named, tentative attribution, several explanations, perspective shift, own
feeling linked to own action, change over time, own part, acts judged not persons, specific feelings, curiosity
about oneself) and negative ones (M-1..M-6: global labels, absolutes, certainty about another's mind, proof
demands, blame without self-reference, behaviour-only accounts). Global labels, absolutes and mind reading also
come from the judgement component. Each marker counts at most once per sentence. A small linear model (ridge
regression, trained by :func:`train_mentalizing` and shipped as plain JSON weights) maps length-corrected marker
features (presence, and rate per 100 words; never the length itself) to the score.

Two-sidedness: hedging without mental-state content ("maybe, idk, who knows, could be anything") is capped
(``hedge_only``). Arousal flooding (M-7) and psychological jargon (M-8) are *flags*: they lower the reported
confidence, never the score. Entries shorter than ``min_words`` or with a safety flag are not scored
(``score`` is ``None``), rather than scored zero.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right, insort
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

from .spans import doc_sentence_bounds, doc_text, sentence_index as _sentence_index
from .lexicon import alternation, resource_dir
from .prefilter import RuleScreen

MARKERS_FILE = "markers.json"
MODEL_FILE = "mentalizing.json"
FEATURES_VERSION = "mbtnlp.mentalizing.features/v1"
POLARITIES = ("positive", "negative", "flag")
# Markers computed from the others (not from patterns); always present in the ``markers`` counts.
DERIVED = ("tentative_other", "behaviour_only", "self_only", "blame_no_self", "hedge_only")
# Judgement kinds that feed negative markers.
JUDGEMENT_MARKERS = {"label": "global_label", "trait": "global_label", "overgeneralization": "absolute",
                     "mind_reading": "certainty"}
# Content that makes hedging substantive (two-sidedness, design notes 4d step 4).
SUBSTANTIVE = ("self_link", "perspective", "own_part", "curiosity", "change", "act_not_person")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’*][A-Za-z]+)*")
_OTHER_PERSON = re.compile(r"\b(?:she|he|they|her|him|them|his|their)\b", re.IGNORECASE)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


# -- markers -------------------------------------------------------------------------------------------------
def _expand(pattern: str, fragments: dict[str, str], depth: int = 0) -> str:
    if depth > 5:
        raise ValueError(f"mentalizing marker fragments nest too deeply near {pattern[:60]!r}")

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in fragments:
            raise KeyError(f"unknown placeholder {{{name}}} in mentalizing marker pattern {pattern[:80]!r}")
        return f"(?:{_expand(fragments[name], fragments, depth + 1)})"

    return re.sub(r"\{([a-z_]+)\}", sub, pattern)


class MarkerSet:
    """The marker regexes of one ``markers.json`` document (plus any patterns added at run time)."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = json.loads(json.dumps(doc))  # a private copy, saved as is by ``to_disk``
        self._compile()

    @classmethod
    def from_file(cls, path: Path) -> "MarkerSet":
        try:
            return cls(json.loads(Path(path).read_text(encoding="utf-8")))
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}: not valid JSON ({err.msg}, line {err.lineno})") from None

    def _compile(self) -> None:
        frags = {}
        for name, value in self.doc.get("fragments", {}).items():
            frags[name] = alternation(value, censor=False, elongate=False) if isinstance(value, list) else value
        self.regexes: dict[str, list[re.Pattern]] = {}
        self.polarity: dict[str, str] = {}
        for name, spec in self.doc.get("markers", {}).items():
            if name in DERIVED:
                raise ValueError(f"marker name {name!r} is reserved for a derived marker")
            pol = spec.get("polarity", "positive")
            if pol not in POLARITIES:
                raise ValueError(f"marker {name!r}: polarity must be one of {POLARITIES}")
            self.polarity[name] = pol
            compiled = []
            for pat in spec.get("patterns", []):
                try:
                    compiled.append(re.compile(_expand(pat, frags), re.IGNORECASE))
                except re.error as err:
                    raise ValueError(f"marker {name!r}: pattern does not compile ({err}): {pat!r}") from None
            self.regexes[name] = compiled
        # one exact prefilter over every pattern, in marker order (see prefilter.RuleScreen)
        self.flat = [name for name, rxs in self.regexes.items() for _ in rxs]
        self.screen = RuleScreen([rx for rxs in self.regexes.values() for rx in rxs])

    @property
    def names(self) -> list[str]:
        return list(self.regexes)

    def add_patterns(self, marker: str, patterns: Iterable[str], *, polarity: str = "positive",
                     description: str = "") -> None:
        """Add patterns to a marker (created if new); they are saved with ``to_disk``."""
        spec = self.doc.setdefault("markers", {}).setdefault(
            marker, {"code": "user", "polarity": polarity, "description": description, "patterns": []})
        spec.setdefault("patterns", []).extend(patterns)
        self._compile()


@lru_cache(maxsize=1)
def _sentencizer() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10_000_000
    return nlp


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Sentence character spans from spaCy's rule-based sentencizer (the same split training used)."""
    return [(s.start_char, s.end_char) for s in _sentencizer()(text).sents]


@lru_cache(maxsize=1)
def _default_detector():
    from .judgements import JudgementDetector

    return JudgementDetector()


def find_judgements(text: str, bounds: list[tuple[int, int]] | None = None) -> list[dict]:
    return _default_detector().find(text, bounds if bounds is not None else sentence_bounds(text))


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Does [start, end) overlap a span of the sorted, non-overlapping list?"""
    i = bisect_right(spans, (start, float("inf")))
    return (i > 0 and spans[i - 1][1] > start) or (i < len(spans) and spans[i][0] < end)


def extract(text: str, judgements: Iterable[dict], markers: MarkerSet,
            bounds: list[tuple[int, int]] | None = None) -> tuple[dict[str, int], list[dict], dict[str, Any]]:
    """Marker counts (sentences with a hit), evidence spans and the other/self mind levels."""
    bounds = bounds if bounds is not None else sentence_bounds(text)
    if not bounds:
        bounds = [(0, len(text))]
    hits: dict[str, set[int]] = {name: set() for name in markers.names}
    hits.setdefault("global_label", set())
    hits.setdefault("absolute", set())
    hits.setdefault("certainty", set())
    spans: list[tuple[int, int, str]] = []
    taken: dict[str, list[tuple[int, int]]] = {}  # per marker: sorted, non-overlapping
    for i, m in markers.screen.matches(text):
        name = markers.flat[i]
        start, end = m.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        mine = taken.setdefault(name, [])
        if end <= start or _overlaps(mine, start, end):
            continue
        insort(mine, (start, end))
        spans.append((start, end, name))
        hits[name].add(_sentence_index(bounds, start))
    for j in judgements or ():
        name = JUDGEMENT_MARKERS.get(j.get("kind", ""))
        if name and 0 <= j.get("start", -1) < j.get("end", -1) <= len(text):
            spans.append((j["start"], j["end"], name))
            hits.setdefault(name, set()).add(_sentence_index(bounds, j["start"]))
    # Certainty is not certainty in a sentence that also hedges ("I wondered if he was trying to wind me up"),
    # and a verdict framed as an earlier view ("my first thought was that she hates me", "I used to think he was
    # a bully") is reported, not endorsed.
    hedged = hits.get("tentative", set())
    revised = hits.get("change", set())
    dropped = {"certainty": (hedged | revised) & hits["certainty"], "global_label": revised & hits["global_label"]}
    for name, sents in dropped.items():
        hits[name] -= sents
    spans = [s for s in spans if _sentence_index(bounds, s[0]) not in dropped.get(s[2], ())]

    counts = {name: len(sents) for name, sents in hits.items()}
    tent_other = hedged & (hits.get("other_mind", set()) | hits.get("perspective", set()))
    counts["tentative_other"] = len(tent_other)
    mental = sum(counts.get(k, 0) for k in ("other_mind", "own_feeling", "granularity", "self_link", "perspective",
                                            "curiosity"))
    counts["behaviour_only"] = int(mental == 0)
    other_minded = counts.get("other_mind", 0) + counts.get("perspective", 0)
    counts["self_only"] = int(counts.get("own_feeling", 0) + counts.get("granularity", 0) > 0 and other_minded == 0)
    counts["blame_no_self"] = int(counts.get("blame", 0) > 0 and counts.get("self_link", 0) + counts.get(
        "own_part", 0) == 0)
    substantive = sum(counts.get(k, 0) for k in SUBSTANTIVE)
    hedges = counts.get("tentative", 0) + counts.get("empty_hedge", 0)
    # Two-sidedness: dismissive hedges ("who knows", "or not", "whatever") with nothing substantive; a single
    # "maybe not" after a concrete tentative guess does not count.
    empty = counts.get("empty_hedge", 0)
    empty_hedging = (empty > 0 and hedges >= 2 and substantive == 0
                     and (empty >= 2 or not tent_other or counts.get("tentative", 0) >= 3 * len(tent_other)))
    contentless = (counts.get("tentative", 0) >= 2 and counts.get("other_mind", 0) == 0 and substantive == 0
                   and counts.get("own_feeling", 0) + counts.get("granularity", 0) == 0)
    counts["hedge_only"] = int(empty_hedging or contentless)

    other_present = bool(_OTHER_PERSON.search(text)) or bool(hits.get("other_mind")) or bool(judgements)
    if tent_other or counts.get("perspective"):
        other_level = 3
    elif counts.get("other_mind") or counts.get("certainty"):
        other_level = 2
    else:
        other_level = 1 if other_present else 0
    if counts.get("self_link") or counts.get("curiosity"):
        self_level = 3
    elif counts.get("granularity"):
        self_level = 2
    else:
        self_level = 1 if counts.get("own_feeling") else 0
    levels = {"other_mind_level": other_level, "self_mind_level": self_level}

    spans.sort(key=lambda s: (s[0], -s[1], s[2]))
    evidence = [{"text": text[s:e], "start": s, "end": e, "cue": name} for s, e, name in spans]
    return counts, evidence, levels


def features(counts: dict[str, int], levels: dict[str, int], n_words: int) -> dict[str, float]:
    """Length-corrected model inputs: presence of each marker, log rate per 100 words, and the mind levels."""
    per100 = 100.0 / max(n_words, 1)
    feats: dict[str, float] = {}
    for name, n in counts.items():
        feats[f"has:{name}"] = float(n > 0)
        if name not in DERIVED:
            feats[f"rate:{name}"] = math.log1p(n * per100)
    feats["level:other"] = levels["other_mind_level"] / 3.0
    feats["level:self"] = levels["self_mind_level"] / 3.0
    return feats


# -- the model -----------------------------------------------------------------------------------------------
def load_model(model: str | Path | dict = "default") -> dict[str, Any]:
    """The JSON weights: the bundled file (sha256-verified against the manifest), a folder or file, or a dict."""
    if isinstance(model, dict):
        return model
    if model in (None, "default"):
        from .model_io import default_models_dir, verify

        folder = default_models_dir()
        verify(folder, [MODEL_FILE])
        path = folder / MODEL_FILE
    else:
        path = Path(model)
        if path.is_dir():
            path = path / MODEL_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    if len(data.get("features", [])) != len(data.get("weights", [])):
        raise ValueError(f"{path}: 'features' and 'weights' differ in length")
    return data


def predict(model: dict[str, Any], feats: dict[str, float]) -> float:
    return float(model["intercept"]) + sum(float(w) * feats.get(f, 0.0)
                                           for f, w in zip(model["features"], model["weights"]))


class MentalizingScorer:
    """Scores one entry for mentalizing markers (a description of the writing, not of the writer)."""

    def __init__(self, nlp: Language | None = None, name: str = "mbtnlp_mentalizing", *, markers: str = "default",
                 model: str = "default", min_words: int = 12) -> None:
        self.name = name
        self.min_words = int(min_words)
        folder = resource_dir("mentalizing") if markers in (None, "default") else Path(markers)
        path = folder / MARKERS_FILE if folder.is_dir() else folder
        self.markers = MarkerSet.from_file(path)
        self.model = load_model(model)

    # -- extension -------------------------------------------------------------------------------------
    def add_patterns(self, marker: str, patterns: Iterable[str], *, polarity: str = "positive",
                     description: str = "") -> None:
        """Add regexes to a marker (a new marker is reported in ``markers`` but has no weight until retrained)."""
        self.markers.add_patterns(marker, list(patterns), polarity=polarity, description=description)

    # -- scoring ---------------------------------------------------------------------------------------
    def score(self, text: str, judgements: list[dict] = (), safety: dict | None = None,
              sentences: list[tuple[int, int]] | None = None) -> dict:
        """Score ``text``; ``judgements`` are the judgement component's dicts.

        Leave ``judgements`` at its default to have them detected here (as in training); pass a list, even an
        empty one, to use exactly those. A safety flag (``risk`` or ``abuse``) or fewer than ``min_words`` words
        means "not scored" (``score`` is ``None``), never zero.
        """
        result: dict[str, Any] = {"score": None, "scored": False, "reason": "", "markers": {}, "evidence": [],
                                  "subscores": {}, "flags": [], "confidence": "normal"}
        if not text or not text.strip():
            result["reason"] = "empty"
            return result
        if safety and (safety.get("risk") or safety.get("abuse")):
            result["reason"] = "safety flag"
            return result
        bounds = sentences if sentences is not None else sentence_bounds(text)
        if isinstance(judgements, tuple) and not judgements:
            judgements = find_judgements(text, bounds)
        counts, evidence, levels = extract(text, judgements, self.markers, bounds)
        n_words = word_count(text)
        result["markers"] = {k: int(v) for k, v in counts.items()}
        result["evidence"] = evidence
        per100 = 100.0 / max(n_words, 1)
        flex = sum(counts.get(k, 0) for k in ("tentative_other", "alternatives", "change", "own_part",
                                              "act_not_person"))
        flex -= sum(counts.get(k, 0) for k in ("absolute", "certainty", "proof_demand"))
        result["subscores"] = levels | {
            "flexibility_per_100_words": round(flex * per100, 2),
            "hostility_per_100_words": round((counts.get("global_label", 0) + counts.get("blame", 0)) * per100, 2)}
        flags = []
        if counts.get("arousal", 0) >= 2 or counts.get("arousal", 0) * per100 >= 5:
            flags.append("arousal")
        if counts.get("jargon", 0) and not (counts.get("granularity") or counts.get("tentative_other")):
            flags.append("jargon")
        if counts.get("hedge_only"):
            flags.append("hedge_only")
        result["flags"] = flags
        if n_words < self.min_words:
            result["reason"] = "too short"
            return result
        raw = predict(self.model, features(counts, levels, n_words))
        if counts["hedge_only"]:
            raw = min(raw, float(self.model.get("hedge_only_cap", 1.0)))
        result["score"] = round(min(3.0, max(0.0, raw)), 2)
        result["scored"] = True
        if {"arousal", "jargon"} & set(flags) or n_words < 2 * self.min_words:
            result["confidence"] = "low"
        return result

    def __call__(self, doc: Doc) -> Doc:
        for ext in ("mbtnlp_judgements", "mbtnlp_safety", "mbtnlp_mentalizing"):
            if not Doc.has_extension(ext):
                Doc.set_extension(ext, default=None)
        found = doc._.mbtnlp_judgements
        if found is None:  # the judgement component did not run: detect here, as in training
            found = find_judgements(doc_text(doc))
        doc._.mbtnlp_mentalizing = self.score(doc_text(doc), list(found), doc._.mbtnlp_safety, doc_sentence_bounds(doc))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        return None

    # -- serialisation (the marker file and the weights travel with a saved pipeline) -----------------
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / MARKERS_FILE).write_text(json.dumps(self.markers.doc, ensure_ascii=False, indent=1) + "\n",
                                         encoding="utf-8")
        (path / MODEL_FILE).write_text(json.dumps(self.model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        (path / "cfg.json").write_text(json.dumps({"min_words": self.min_words}), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "MentalizingScorer":
        path = ensure_path(path)
        self.markers = MarkerSet.from_file(path / MARKERS_FILE)
        if (path / MODEL_FILE).exists():
            self.model = load_model(path / MODEL_FILE)
        if (path / "cfg.json").exists():
            self.min_words = int(json.loads((path / "cfg.json").read_text(encoding="utf-8"))["min_words"])
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps({"markers": self.markers.doc, "model": self.model, "min_words": self.min_words},
                          ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "MentalizingScorer":
        d = json.loads(data.decode("utf-8"))
        self.markers = MarkerSet(d["markers"])
        self.model = load_model(d["model"])
        self.min_words = int(d.get("min_words", self.min_words))
        return self


# -- training ------------------------------------------------------------------------------------------------
def entry_features(items: list[dict], markers: MarkerSet | None = None) -> list[dict[str, float]]:
    """Model inputs for team-data items, with judgements from :class:`JudgementDetector` as in use."""
    markers = markers or MarkerSet.from_file(resource_dir("mentalizing") / MARKERS_FILE)
    rows = []
    for item in items:
        text = item["text"]
        bounds = sentence_bounds(text)
        counts, _, levels = extract(text, find_judgements(text, bounds), markers, bounds)
        rows.append(features(counts, levels, word_count(text)) | {"_hedge_only": float(counts["hedge_only"])})
    return rows


def _spearman(a, b) -> float:
    from scipy.stats import spearmanr

    rho = spearmanr(a, b).statistic
    return 0.0 if rho != rho else float(rho)  # NaN (constant input) -> 0


def train_mentalizing(out: Path, data_dir: Path | None = None, *, alpha: float | None = None) -> dict:
    """Fit ridge weights on ``data/mentalizing/train.jsonl``; write ``out/mentalizing.json`` (plain JSON).

    The penalty is chosen by 5-fold cross-validated Spearman on train only; dev is reported, not tuned on.
    """
    import numpy as np
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold

    from .train import ROOT, data_hash, load_split

    base = (data_dir or ROOT / "data") / "mentalizing"
    train = load_split("mentalizing", "train", data_dir)
    dev = load_split("mentalizing", "dev", data_dir) if (base / "dev.jsonl").exists() else []
    markers = MarkerSet.from_file(resource_dir("mentalizing") / MARKERS_FILE)
    model_markers = [n for n in markers.names if markers.polarity[n] != "flag"]
    # One input per marker (its log rate per 100 words), presence for the derived ones, and the two mind levels.
    # Rates rather than counts keep length from driving the score (checked by ``evaluation.mentalizing``).
    names = ([f"rate:{n}" for n in model_markers] + [f"has:{d}" for d in DERIVED if d != "hedge_only"]
             + ["level:other", "level:self"])
    rows = entry_features(train, markers)
    X = np.array([[r.get(n, 0.0) for n in names] for r in rows])
    y = np.array([float(it["rating"]) for it in train])
    hedge = np.array([r["_hedge_only"] for r in rows], dtype=bool)
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    Z = (X - mean) / scale

    def fit(Zt, yt, a):
        return Ridge(alpha=a).fit(Zt, yt)

    def finish(pred, h, cap=1.0):
        return np.clip(np.where(h, np.minimum(pred, cap), pred), 0, 3)

    if alpha is None:
        best = None
        for a in (1.0, 3.0, 10.0, 30.0, 60.0, 100.0, 200.0):
            oof = np.zeros(len(y))
            for tr, te in KFold(5, shuffle=True, random_state=0).split(Z):
                oof[te] = fit(Z[tr], y[tr], a).predict(Z[te])
            rho = _spearman(finish(oof, hedge), y)
            if best is None or rho > best[0] + 1e-9:
                best = (rho, a)
        cv_rho, alpha = best
    else:
        cv_rho = float("nan")
    reg = fit(Z, y, alpha)
    weights = reg.coef_ / scale
    intercept = float(reg.intercept_ - (reg.coef_ * mean / scale).sum())
    model = {"format": FEATURES_VERSION, "features": names, "weights": [round(float(w), 6) for w in weights],
             "intercept": round(intercept, 6), "hedge_only_cap": 1.0, "alpha": alpha,
             "scale": "0-3 (team rating scale); descriptive text measure, not a clinical RF score",
             "markers_sha256": _markers_hash(markers), "cv_spearman_train": round(float(cv_rho), 4)}
    out.mkdir(parents=True, exist_ok=True)
    path = out / MODEL_FILE
    path.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    info: dict[str, Any] = {"files": [path], "training_data_sha256": data_hash([base / "train.jsonl"]),
                            "n_train": len(train), "dev_spearman": float("nan"),
                            "cv_spearman_train": round(float(cv_rho), 4), "alpha": alpha}
    if dev:
        scorer = MentalizingScorer.__new__(MentalizingScorer)
        scorer.name, scorer.min_words, scorer.markers, scorer.model = "mbtnlp_mentalizing", 12, markers, model
        preds = [scorer.score(it["text"])["score"] for it in dev]
        pairs = [(p, it["rating"]) for p, it in zip(preds, dev) if p is not None]
        info["dev_spearman"] = round(_spearman([p for p, _ in pairs], [r for _, r in pairs]), 4)
        info["n_dev"] = len(pairs)
    return info


def _markers_hash(markers: MarkerSet) -> str:
    import hashlib

    return hashlib.sha256(json.dumps(markers.doc, sort_keys=True).encode("utf-8")).hexdigest()
