"""Safety gate: the ``mbtnlp_safety`` spaCy component (design notes §3.2, SR-1 … SR-15).

Every entry passes through :class:`SafetyGate` *before* any judgement, feeling or prompt work. It screens the text
with regular-expression rules kept as data (``resources/safety/rules*.jsonl``; ``{placeholders}`` expand to word
lists ``resources/safety/*.tsv``), run through the exact prefilter of ``prefilter.py``, plus whole-entry risk and
abuse models as backstops for wording no rule has seen, and returns routing flags, never a risk score (SR-6):

* ``risk`` – the writer discloses suicidal ideation or self-harm (direct, indirect, plan/method, goodbye, past acts);
* ``abuse`` – violence, threats, sexual coercion, stalking or controlling behaviour against the writer;
* ``third_party`` – someone else is at risk or being harmed (route: *supporting someone else*);
* ``caution`` – no flag, but a backstop model scored the entry close to its threshold: prompts then invite no other
  explanations of someone's behaviour.

Each flag carries evidence spans (``text == input[start:end]``) and the rule id that fired (SR-13). Idioms and
pseudo-triggers ("this traffic is killing me", sport, a clinician describing their work) are removed by
``exclusions*.jsonl``: an exclusion either cancels the candidates it overlaps (``"scope": "overlap"``) or cancels the
non-``strong`` candidates of its sentence (``"scope": "sentence"``) or of the whole entry (``"scope": "entry"``).
Rules are tuned for recall (SR-2).

The gate is deterministic, makes no network calls and never logs text (SR-12).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from spacy.util import ensure_path, minibatch

from .spans import doc_text, keep_longest, sentence_of as _sentence_of, strip_span
from .lexicon import (NOT_NAMES, PatternSet, alternation, compile_rule, read_jsonl, read_terms, resource_dir,
                      write_jsonl)
from .prefilter import RuleScreen, sentence_windows

FLAGS = ("risk", "abuse", "third_party")
#: thresholds of the whole-entry backstop models (chosen on items written after the rules: README, Evaluation)
RISK_THRESHOLD = 0.5
ABUSE_THRESHOLD = 0.7
#: an entry a model scores at least this high, yet below its threshold, gets ``caution``: no flag, but no prompts
#: inviting other explanations of someone's behaviour either
CAUTION_THRESHOLD = 0.3
#: threshold of the third-party backstop, asked only of entries no rule or model flagged (chosen on dev; 0.5 until
#: session 8, when 0.7 cost 1 of 73 dev disclosures and spared 7 ordinary dev entries a false support route)
THIRD_PARTY_THRESHOLD = 0.7
RULE_FILES = ("rules.jsonl", "exclusions.jsonl")
SUPPORT_FILE = "support.json"

# Fragments that are grammar rather than vocabulary; word lists (*.tsv) add the rest.
BASE_FRAGMENTS = {
    # first-person subject, with or without apostrophes ("im", "ive", "i'd")
    "i": r"\b(?:i(?:'m|'ve|'d|'ll)?|im|ive|id(?=\s+(?:rather|be|have|love|like|want|prefer)\b))\b",
    # up to three filler words ("I [have honestly just] been", "he [grabbed and] shoved")
    "gap": r"(?:\s+[\w'*-]+){0,3}?",
    "gapl": r"(?:\s+[\w'*-]+){0,6}?",
    "me": r"\b(?:me|myself|meself)\b",
    # adverbs and auxiliaries between an agent and its verb ("he [has always] hit me", "she [then] shoved me")
    "vgap": (r"(?:(?:\s+|(?<=\w)(?=['’]s\s))(?:\w+ly|just|then|again|also|even|has|had|have|would|will|did|does|do|"
             r"still|always|never|once|and|first|both|all|used\s+to|keeps?|kept|started|starts|tried\s+to|tries\s+to|"
             r"would|'d|'s|’s|s|sometimes|often|twice|actually|literally|basically|lowkey|back\s+to|(?:went|gone|goes|"
             r"go|is|was)\s+back\s+to)){0,3}"),
    # a third-person subject pronoun, with chat spellings
    "he_she": (r"\b(?:he|she|they|hes|shes|he's|she's|they're|theyre|he'd|she'd|they'd|hed|shed|theyd|he'll|she'll|"
              r"they'll|hell(?=\s)|shell(?=\s)|theyll)\b"),
    "his_her": r"\b(?:his|her|their)\b",
    "him_her": r"\b(?:him|her|them|himself|herself|themselves|themself)\b",
    "himself": r"\b(?:himself|herself|themselves|themself)\b",
    "neg": r"(?:\b(?:not|never|no|dont|don't|didnt|didn't|cant|can't|cannot|wont|won't|wouldnt|wouldn't)\b)",
}


@dataclass
class _Rule:
    id: str
    flag: str
    strong: bool
    pattern: str  # expanded regular expression (case-insensitive)
    trigger: re.Pattern | None  # cheap pre-check: the rule runs only if this matches somewhere in the text
    confirm: re.Pattern | None = None  # an ordinary cause that puts the cue to the model (``_unconfirmed``)


@dataclass
class _Cluster:
    """A rule made of several cues, none enough alone ("cleaned the whole flat", "wrote cards to Mum and Jess",
    "gave my guitar away"): it fires when at least ``min_cues`` of them occur in one entry, and ``unless`` does not
    (moving house, Christmas). Written in the rule files with ``"cues"`` instead of ``"pattern"``."""

    rule: _Rule
    cues: tuple[re.Pattern, ...]
    min_cues: int
    unless: re.Pattern | None

    def candidate(self, norm: str) -> tuple[int, int, _Rule] | None:
        hits = []
        spare = len(self.cues) - self.min_cues  # cues that may be missing before the rule cannot fire (speed)
        for cue in self.cues:
            m = cue.search(norm)
            if m is not None:
                hits.append(m)
            elif spare == 0:
                return None
            else:
                spare -= 1
        if self.unless is not None and self.unless.search(norm):
            return None
        first = min(hits, key=lambda m: m.start())
        return first.start(), first.end(), self.rule


@dataclass
class _Exclusion:
    id: str
    flags: tuple[str, ...]
    scope: str
    pattern: str
    unless: re.Pattern | None
    trigger: re.Pattern | None
    rules: tuple[str, ...]  # empty: every rule of the flags; else only rules whose id starts with one of these
    unless_next: bool = False  # the unless may also match in the next sentence ("lol. not joking tho")
    spares: re.Pattern | None = None  # a cue whose own text matches this is kept ("my contract ... depends on me")


def _load_folder(folder: Path) -> dict[str, Any]:
    missing = [f for f in RULE_FILES if not (folder / f).exists()]
    if missing:
        raise FileNotFoundError(f"safety rules folder {folder} lacks {', '.join(missing)}")
    lists = {p.stem: [row[0] for row in read_terms(p)] for p in sorted(folder.glob("*.tsv"))}
    # rules.jsonl plus any rules_*.jsonl (e.g. one file per flag), read in name order; the same for exclusions
    return {"rules": [r for p in sorted(folder.glob("rules*.jsonl")) for r in read_jsonl(p)],
            "exclusions": [r for p in sorted(folder.glob("exclusions*.jsonl")) for r in read_jsonl(p)],
            "lists": lists}


def build_patterns(lists: Mapping[str, list[str]]) -> PatternSet:
    """Placeholder fragments: the grammar fragments above plus one alternation per word list."""
    frags = dict(BASE_FRAGMENTS)
    for name, terms in lists.items():
        key = re.sub(r"[^a-z_]", "_", name.lower())
        frags[key] = alternation(terms, censor=False, elongate=False)
    persons = frags.get("persons", "person")
    det = r"(?:my|his|her|our|their|your|ur|the|a|an|this|that|one\s+of\s+(?:my|the|his|her)|some)"
    frags["np"] = rf"\b{det}\s+(?:[\w'-]+\s+){{0,2}}?{persons}(?:e?s)?\b"
    frags["name"] = rf"(?-i:\b(?!(?:{NOT_NAMES})\b)[A-Z][a-z]+\b)"
    # a person who acts: pronoun, person noun phrase, capitalised name, or a possessive "jen's dad"
    frags["agent"] = (rf"(?:{frags['he_she']}|{frags['np']}|\b[\w]+['’]?s\s+{persons}\b|"
                      rf"(?-i:\b(?!(?:{NOT_NAMES})\b)[A-Z][a-z]+\b)|\b(?:{persons})\b)")
    return PatternSet(frags)


class SafetyGate:
    """Screens text for writer risk, abuse received and third-party risk. Also a spaCy pipeline component.

    ``rules="default"`` loads the bundled ``resources/safety`` folder; any other value is a folder path holding
    ``rules.jsonl``, ``exclusions.jsonl`` and the ``*.tsv`` word lists.
    """

    def __init__(self, nlp=None, name: str = "mbtnlp_safety", *, rules: str = "default",
                 risk_model: str | None = "default", risk_threshold: float = RISK_THRESHOLD,
                 abuse_model: str | None = "default", abuse_threshold: float = ABUSE_THRESHOLD,
                 caution_threshold: float = CAUTION_THRESHOLD, third_party_model: str | None = "default",
                 third_party_threshold: float = THIRD_PARTY_THRESHOLD) -> None:
        self.name = name
        # whole-entry models catch risk and abuse wording the rules have not seen (README, Evaluation); the
        # thresholds keep their false alarms on hard negatives and ordinary journal entries low; None: rules only
        self.risk_model_name = "safety_risk" if risk_model == "default" else risk_model
        self.risk_threshold = risk_threshold
        self.abuse_model_name = "safety_abuse" if abuse_model == "default" else abuse_model
        self.abuse_threshold = abuse_threshold
        self.caution_threshold = caution_threshold
        # someone else at risk or harmed, in wording no third-party rule knows ("a girl in my year said her
        # stepdad touches her"); asked only where nothing else was flagged
        self.third_party_model_name = "safety_third_party" if third_party_model == "default" else third_party_model
        self.third_party_threshold = third_party_threshold
        self._models: dict[str, Any] = {}
        folder = resource_dir("safety") if rules in (None, "default") else Path(rules)
        # bundled rules are compiled (and tested) on first use, for a fast start; others at once
        self._set(_load_folder(folder), lazy=rules in (None, "default"))

    # -- resources -------------------------------------------------------------------------------------
    def _set(self, res: dict[str, Any], lazy: bool = False) -> None:
        self.resources = res
        self.patterns = build_patterns(res["lists"])
        self.rules: list[_Rule] = []
        self.clusters: list[_Cluster] = []
        for rule in res["rules"]:
            flag = rule.get("flag")
            if flag not in FLAGS:
                raise ValueError(f"safety rule {rule.get('id')!r}: flag must be one of {FLAGS}")
            if "cues" in rule:
                cues = tuple(compile_rule(c, self.patterns) for c in rule["cues"])
                unless = compile_rule(rule["unless"], self.patterns) if rule.get("unless") else None
                self.clusters.append(_Cluster(_Rule(str(rule["id"]), flag, False, "", None), cues,
                                              int(rule.get("min_cues", 2)), unless))
                continue
            trigger = compile_rule(rule["trigger"], self.patterns) if rule.get("trigger") else None
            pattern = self.patterns.expand(rule["pattern"])  # compiled by the screen, alternative by alternative
            confirm = compile_rule(rule["confirm"], self.patterns) if rule.get("confirm") else None
            self.rules.append(_Rule(str(rule["id"]), flag, bool(rule.get("strong", False)), pattern, trigger, confirm))
        self.exclusions: list[_Exclusion] = []
        for exc in res["exclusions"]:
            scope = exc.get("scope", "overlap")
            if scope not in ("overlap", "sentence", "entry"):
                raise ValueError(f"exclusion {exc.get('id')!r}: scope must be 'overlap', 'sentence' or 'entry'")
            flags = tuple(exc.get("flags", FLAGS))
            unless = compile_rule(exc["unless"], self.patterns) if exc.get("unless") else None
            pattern = self.patterns.expand(exc["pattern"])
            self.exclusions.append(_Exclusion(str(exc["id"]), flags, scope, pattern, unless,
                                              compile_rule(exc["trigger"], self.patterns) if exc.get("trigger")
                                              else None, tuple(exc.get("rules", ())), bool(exc.get("unless_next")),
                                              compile_rule(exc["spares"], self.patterns) if exc.get("spares")
                                              else None))
        self._confirm = {r.id: r.confirm for r in self.rules if r.confirm is not None}
        # exact prefilter: a rule whose literals are absent from a text (or a sentence) is not run there
        self._rule_screen = _screen(self.rules, lazy)
        self._exclusion_screen = _screen(self.exclusions, lazy)

    def add_rules(self, rules: Iterable[dict] = (), exclusions: Iterable[dict] = ()) -> None:
        """Add rules / exclusions (dicts shaped like the JSONL lines); they are saved by ``to_disk``."""
        res = dict(self.resources)
        res["rules"] = list(res["rules"]) + list(rules)
        res["exclusions"] = list(res["exclusions"]) + list(exclusions)
        self._set(res)

    # -- processing ------------------------------------------------------------------------------------
    def __call__(self, doc):
        doc._.mbtnlp_safety = self.screen(doc_text(doc))
        return doc

    def pipe(self, stream, batch_size: int = 128):
        for batch in minibatch(stream, size=batch_size):
            for doc, result in zip(batch, self.screen_many([doc_text(d) for d in batch])):
                doc._.mbtnlp_safety = result
                yield doc

    def screen(self, text: str) -> dict:
        """Routing flags and evidence for one text.

        Returns ``{"risk": bool, "abuse": bool, "third_party": bool, "evidence": [{"text", "start", "end",
        "cue"}]}``; ``cue`` is the id of the rule that fired (its prefix names the flag).
        """
        return self.screen_many([text])[0]

    def screen_many(self, texts: list[str]) -> list[dict]:
        """:meth:`screen` for a batch: rules per text, each backstop model once for the batch."""
        norms = [_normalise(t) for t in texts]
        raws = [self._rule_candidates(n) if t else [] for t, n in zip(texts, norms)]
        near: list[float | None] = [None] * len(texts)  # the highest model score short of its flag's threshold
        for flag, threshold, rule in (("risk", self.risk_threshold, _MODEL_RULE),
                                      ("abuse", self.abuse_threshold, _MODEL_ABUSE_RULE)):
            ask = [i for i, (t, raw) in enumerate(zip(texts, raws))
                   if t.strip() and not any(r.flag == flag for _, _, r in raw)]
            model = self._model(flag) if ask else None
            if model is not None:
                for i, p in zip(ask, model.predict_proba_many([norms[i] for i in ask])):
                    if p[flag] >= threshold:
                        raws[i].extend(self._model_candidate(norms[i], flag, rule))
                    else:
                        near[i] = max(near[i] or 0.0, p[flag])
        out = [self._finish(t, n, raw) for t, n, raw in zip(texts, norms, raws)]
        # the third-party backstop: entries nothing flagged, and entries whose abuse evidence names no one of the
        # writer's side ("he took her phone", "controls every penny she earns": whose abuse is it?)
        quiet = [i for i, (t, r) in enumerate(zip(texts, out))
                 if t.strip() and not (r["risk"] or r["abuse"] or r["third_party"])]
        unowned = [i for i, r in enumerate(out) if r["abuse"] and not r["risk"] and _abuse_unowned(r["evidence"])]
        ask = quiet + unowned
        model = self._model("third_party") if ask else None
        if model is not None:
            for i, p in zip(ask, model.predict_proba_many([norms[i] for i in ask])):
                if p["third_party"] < self.third_party_threshold:
                    continue
                if out[i]["abuse"]:
                    out[i] = _reroute_abuse(out[i])
                else:
                    raws[i].extend(self._model_candidate(norms[i], "third_party", _MODEL_THIRD_PARTY_RULE))
                    out[i] = self._finish(texts[i], norms[i], raws[i])
        for result, score in zip(out, near):
            # not flagged, but close: prompts then stay with the writer (no alternative explanations of others)
            result["caution"] = (score is not None and not (result["risk"] or result["abuse"])
                                 and score >= self.caution_threshold)
        return out

    def _rule_candidates(self, norm: str) -> list[tuple[int, int, _Rule]]:
        rules = self.rules
        triggered = lambda i: rules[i].trigger is None or rules[i].trigger.search(norm) is not None  # noqa: E731
        found = [(m.start(), m.end(), rules[i]) for i, m in self._rule_screen.matches(norm, allow=triggered)]
        found += [c for c in (cluster.candidate(norm) for cluster in self.clusters) if c is not None]
        return found

    def _finish(self, text: str, norm: str, raw: list[tuple[int, int, _Rule]]) -> dict:
        if not raw:
            return {"risk": False, "abuse": False, "third_party": False, "evidence": []}
        low = norm.lower()
        # exclusions (only when something matched): overlap spans per flag, and sentences cancelled per flag
        sentences = _sentences(norm)
        blocked: list[tuple[int, int, _Exclusion]] = []
        cancelled: list[tuple[int, int, _Exclusion]] = []
        exclusions = self.exclusions
        triggered = lambda i: exclusions[i].trigger is None or exclusions[i].trigger.search(norm) is not None  # noqa: E731
        for i, m in self._exclusion_screen.matches(norm, allow=triggered):
            exc = exclusions[i]
            s, e = _sentence_of(sentences, m.start())
            until = next((b for a, b in sentences if a >= e), e) if exc.unless_next else e
            if exc.unless is not None and exc.unless.search(norm, s, until):
                continue  # "kicking me under the table, and it's not playful": the exclusion does not apply
            if exc.scope == "overlap":
                blocked.append((m.start(), m.end(), exc))
            elif exc.scope == "entry":  # the whole entry is the context ("moving out Saturday!" for a model)
                cancelled.append((0, len(norm), exc))
            else:
                cancelled.append((s, e, exc))
        found: list[dict] = []
        for m_start, m_end, rule in raw:
            start, end = strip_span(norm, m_start, m_end)
            if end <= start:
                continue
            cue = norm[start:end]
            if any(b_s < end and start < b_e and _applies(exc, rule, cue) for b_s, b_e, exc in blocked):
                continue
            if not rule.strong and any(s <= start < e and _applies(exc, rule, cue) for s, e, exc in cancelled):
                continue
            found.append({"text": text[start:end], "start": start, "end": end, "cue": rule.id,
                          "_flag": rule.flag})
        evidence = _resolve(found)
        others = [ev for ev in evidence if ev["_flag"] == "third_party"]
        for ev in evidence:  # "my friend said she wants to die": someone else's risk, a different route
            if ev["_flag"] == "risk" and _about_someone_else(low, ev, sentences, norm):
                ev["_flag"] = "third_party"
            elif ev["_flag"] == "abuse" and _quoted_from_someone_else(low, ev, sentences):
                ev["_flag"] = "third_party"
            elif ev["_flag"] in ("risk", "abuse") and others and _follows_someone_else(ev, others, sentences):
                ev["_flag"] = "third_party"
        for flag in ("risk", "abuse"):
            if self._unconfirmed(norm, flag, evidence):
                evidence = [ev for ev in evidence if ev["_flag"] != flag]
        flags = {f: any(ev["_flag"] == f for ev in evidence) for f in FLAGS}
        for ev in evidence:
            del ev["_flag"]
        return {**flags, "evidence": evidence}

    def _unconfirmed(self, norm: str, flag: str, evidence: list[dict]) -> bool:
        """True when a ``confirm`` rule's cue is the only evidence for ``flag``, the entry names the ordinary
        cause in the rule's ``confirm`` pattern, and the backstop model, reading the whole entry, scores it below
        the caution threshold. "so hungover i want to die lol" is a joke about a trivial cause (guideline); a rule
        sees the joke marker and the cause, the model sees what else the entry says ("...nobody would notice").
        Both must agree before a death wish is dropped; without a model the cue stands (recall first)."""
        own = [ev for ev in evidence if ev["_flag"] == flag]
        if not own or not all(ev["cue"] in self._confirm and self._confirm[ev["cue"]].search(norm) for ev in own):
            return False
        model = self._model(flag)
        return model is not None and model.predict_proba_many([norm])[0][flag] < self.caution_threshold

    def _model_candidate(self, norm: str, flag: str, rule: _Rule) -> list[tuple[int, int, _Rule]]:
        """A model's candidate for an entry it scored over the threshold: its highest-scoring sentence. It is not
        ``strong``: idiom and context exclusions still apply, and the whose-risk check routes it. Abuse is about
        the writer, so the sentence must speak in the first person ("he pins me down"), not of others only."""
        windows = [(s, e) for s, e in sentence_windows(norm) if norm[s:e].strip()] or [(0, len(norm))]
        if flag == "abuse":  # the writer's sentences only: "he only pushes when he's stressed" is told around them
            windows = [(s, e) for s, e in windows if _FIRST_PERSON.search(norm, s, e)]
            if not windows:
                return []
        if len(windows) > 1:
            scores = self._model(flag).predict_proba_many([norm[s:e] for s, e in windows])
            s, e = windows[max(range(len(windows)), key=lambda i: scores[i][flag])]
        else:
            s, e = windows[0]
        return [(s, e, rule)]

    def _model(self, flag: str):
        """The backstop model for ``flag`` (loaded on first use), or None when switched off."""
        name = {"risk": self.risk_model_name, "abuse": self.abuse_model_name,
                "third_party": self.third_party_model_name}[flag]
        if not name:
            return None
        if flag not in self._models:
            from .model_io import load_linear

            self._models[flag] = load_linear(name)
        return self._models[flag]

    @property
    def risk_model(self):
        return self._model("risk")

    # -- serialisation ---------------------------------------------------------------------------------
    def to_disk(self, path, *, exclude: Iterable[str] = ()) -> None:
        """Write the rules, exclusions and word lists, so a saved pipeline carries its own copy."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        write_jsonl(path / "rules.jsonl", self.resources["rules"])
        write_jsonl(path / "exclusions.jsonl", self.resources["exclusions"])
        for name, terms in self.resources["lists"].items():
            (path / f"{name}.tsv").write_text("".join(t + "\n" for t in terms), encoding="utf-8")

    def from_disk(self, path, *, exclude: Iterable[str] = ()) -> "SafetyGate":
        self._set(_load_folder(ensure_path(path)))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps(self.resources, ensure_ascii=False, sort_keys=True).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "SafetyGate":
        res = json.loads(data.decode("utf-8"))
        self._set({"rules": res["rules"], "exclusions": res["exclusions"], "lists": res["lists"]})
        return self


# -- support resources -------------------------------------------------------------------------------------
def support_resources(locale: str | Mapping[str, Any] = "default", *,
                      config: Mapping[str, Any] | None = None) -> dict:
    """Helplines and a short message for ``locale`` (SR-8), read from ``resources/safety/support.json``.

    Lookup falls back from the full tag to the language and then to ``"default"``: ``"en-GB"`` → ``"en"`` →
    ``"default"`` (``"en_gb"`` is accepted too). An app can use its own, reviewed resources instead: pass a dict
    shaped like one entry (``{"emergency": ..., "crisis_lines": [{"name", "contact", "hours"}], "text": ...}``) as
    ``locale`` and it is returned as a copy, or pass ``config=`` – a dict keyed by locale like ``support.json``.
    Numbers are shipped only where they are well established; other entries name the organisation and point to
    its website. Check them for your deployment.
    """
    if isinstance(locale, Mapping):
        return json.loads(json.dumps(locale))
    table = config if config is not None else json.loads(
        (resource_dir("safety") / SUPPORT_FILE).read_text(encoding="utf-8"))
    tag = (locale or "default").replace("_", "-")
    keys = {k.lower(): k for k in table if not k.startswith("_")}
    parts = tag.split("-")
    for n in range(len(parts), 0, -1):
        key = "-".join(parts[:n]).lower()
        if key in keys:
            return json.loads(json.dumps(table[keys[key]]))
    return json.loads(json.dumps(table["default"]))


# -- helpers -----------------------------------------------------------------------------------------------
_APOS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"'})
_SENT = re.compile(r"[^.!?;\n]+(?:[.!?;\n]+|$)")


def _normalise(text: str) -> str:
    """Same-length copy with curly quotes straightened, so offsets stay valid."""
    return text.translate(_APOS)


def _sentences(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SENT.finditer(text)] or [(0, len(text))]



_PERSON_WORDS = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|me|myself|she|he|they|she's|he's|they're|shes|hes|theyre|"
                           r"her|him|them|herself|himself|themselves|"
                           r"friend|mate|bestie|brother|sister|dad|father|mum|mom|mother|cousin|coworker|colleague|"
                           r"son|daughter|partner|husband|wife|boyfriend|girlfriend|bf|gf|kid|child|student|client|"
                           r"patient|neighbou?r|someone|somebody)\b")
_THIRD = re.compile(r"\b(?:him|her|them|himself|herself|themselves|his|their)\b")
_FIRST_WORDS = {"i", "i'm", "im", "i've", "ive", "i'd", "me", "myself"}
_SPEAKER_HURT = re.compile(r"\b(?:me|my|myself)\b")
_ADDRESSED = re.compile(r"\b(?:you|u|ya|your|yours|ur)\b")
_QUOTE_CLOSED = re.compile(r"(?<=\S)['\"’”](?=[\s.,!?;:]|$)")
_CONJUNCTIONS = {"and", "then", "but", "also", "so", "just", "once", "always"}
_MY_BEFORE = re.compile(r"\bmy\s+$")
# cues where the people named are those who would be better off, not the person at risk (rule ids)
_OTHERS_BETTER_OFF = re.compile(r"better_off|cope|nobody_miss|envy")
# a sentence that starts with its verb, as diaries and chats do: the writer is its subject
_SUBJECTLESS = re.compile(r"\s*(?:wrote|made|recorded|left|gave|sent|told|put|finished|bought|posted|rang|called|"
                          r"texted|packed|sorted|cleared|deleted|signed|booked|started|filmed|hid)\b")
# goodbye and giving-away cues: the people named in them are the recipients (rule ids)
_RECIPIENT_CUES = re.compile(r"goodbye|give|gave|letter|note|farewell")
_OBJECT_WORDS = {"her", "him", "them", "herself", "himself", "themselves", "me"}
# the thing right after the cue belongs to someone else: "take all | her pills", "a goodbye message | on her story"
_OWNED_BY_OTHER = re.compile(r"\s+(?:of\s+)?(?:his|her|their)\s+(?:\w+\s+)?(?:pills|tablets|meds|medication|prescription|"
                             r"insulin|gun|rifle|knife|rope|car|things|stuff)\b|\s+(?:on|in|to)\s+(?:his|her|their)\s+"
                             r"(?:story|stories|page|feed|status|insta\w*|snap\w*|profile|wall|account|group\s+chat|blog)\b")
# a possessive owner in a giving-away cue: "give their things away", "gave away his games"
_GIVES_OWN_THINGS = re.compile(r"\b(?:giv\w*|gave|given)\s+(?:away\s+)?(?:all\s+(?:of\s+)?)?(?:his|their)\b|"
                               r"\b(?:giv\w*|gave|given)\s+away\s+(?:all\s+(?:of\s+)?)?her\b|"
                               r"\b(?:his|her|their)\s+(?:\w+\s+)?(?:things|stuff|belongings|possessions|clothes)\s+away\b")
# their words without quotation marks: "my best mate texted me i dont want to be here anymore"
_REPORTED_BY = re.compile(r"\b(\w+)\s+(?:texted|messaged|dm['’]?d|snapchatted|whatsapped|wrote|sent|rang|called)\s+"
                          r"(?:me|us)\s+(?:at\s+\w+\s+|last\s+night\s+|this\s+morning\s+)?(?:saying\s+|like\s+)?"
                          r"(?=(?:i|im|i['’]m|i['’]d|i['’]ve|ive)\b)")
# someone else's words quoted: "my bro texted me 'i want to die'", "my son (16) said 'i wish i was dead'" (the speaker
# is group 1)
_QUOTED_BY = re.compile(r"\b(\w+)(?:\s*\([^()]{1,20}\))?,?\s+(?:(?:keeps?|kept|keeps\s+on|has\s+been|had|always|just|then|once|also|rarely|never|often|usually|sometimes|might|may|will|would)\s+)?"
                        r"(?:texted|messaged|said|say|says|saying|wrote|writes|writing|typed|posted|sent|dm['’]?d|snapped|"
                        r"told|tells|telling|talking\s+about|talks\s+about|talked\s+about|going\s+on\s+about|"
                        r"goes\s+on\s+about|saying\s+things\s+like)\s+(?:on\s+the\s+phone\s+|to\s+me\s+|last\s+night\s+|"
                        r"earlier\s+|yesterday\s+)?(?:me\s+|us\s+|the\s+group\s+|everyone\s+)?(?:things\s+like\s+|stuff\s+like\s+)?"
                        r"(?:that\s+)?['\"‘“]")
# a named person sending the goodbye: "Kwame from accounts sent a strange email saying goodbye" (text with its case)
_NAMED_SENDER = re.compile(r"\b([A-Z][a-z]+)(?:\s+from\s+\w+)?\s+(?:sent|sends|wrote|writes|posted|posts|left|leaves|"
                           r"texted|emailed|messaged)\s+(?:\w+\s+){0,4}?(?:email|e-mail|message|text|note|letter|post|"
                           r"video|voicemail|card)\s+(?:saying|about|that|to)\b")
_POSSESSIVE_NOTE = re.compile(r"\b(?:her|his|their)\s+(?:own\s+)?(?:goodbye|farewell|suicide|last)\s+"
                              r"(?:letters?|notes?|messages?|texts?|videos?)\b")
# someone else's private record, read by the writer: "my fourteen-year-old's search history", "her diary"
_OTHERS_RECORD = re.compile(r"\b(?:my|our)\s+(?:[\w-]+\s+){0,2}?[\w-]+['’]s\s+(?:search(?:es)?|search\s+history|browser\s+history|"
                            r"google\s+history|diary|journal|notebook|notes|messages|texts|posts|drawings|poems?|story|stories)\b|"
                            r"\b(?:his|her|their)\s+(?:search(?:es)?|search\s+history|browser\s+history|google\s+history|diary|journal|"
                            r"notebook|notes|messages|texts|posts|drawings|poems?)\b")
# ...unless the writer acts between the record and the cue ("her diary. i keep thinking i want to die")
_WRITER_ACTS = re.compile(r"\b(?:i|i['’]m|im|i['’]ve|ive|i['’]d)\s+(?!(?:found|read|saw|checked|looked|opened|came|think)\b)\w+")
# a piece someone else made about it: "one of my students wrote a poem about"
_MADE_ABOUT = re.compile(r"\b(?!(?:i|we)\b)\w+\s+(?:wrote|writes|posted|posts|drew|draws|painted|shared|made)\s+(?:a|an|this|some|"
                         r"her|his|their)\s+(?:poem|story|essay|song|post|piece|drawing|picture|note|video|tiktok)\s+"
                         r"about\s+(?:\w+\s+){0,3}$")
# a gerund whose subject is the clause's subject: "doing them a favour by not being here"
_BY_DOING = re.compile(r"\b(?:by|from|without)\s+(?:just\s+|simply\s+|finally\s+)?\Z")
# a capitalised name right before the cue: "Chloe has been cutting" (on the text with its case)
_NAMED_SUBJECT = re.compile(r"\b([A-Z][a-z]+)\s+(?:has\s+been|had\s+been|has|had|is|was|keeps|kept|started)\s+$")


def _about_someone_else(low: str, ev: dict, sentences: list[tuple[int, int]], norm: str | None = None) -> bool:
    """Is this risk cue about another person? The nearest person word before it (or inside it) decides."""
    s, _ = _sentence_of(sentences, ev["start"])
    quoted = [m for rx in (_QUOTED_BY, _REPORTED_BY) for m in rx.finditer(low, s, ev["end"])
              if m.start() < ev["start"] + 3]
    if quoted and max(quoted, key=lambda m: m.start()).group(1) not in _FIRST_WORDS:
        return True  # "my bro texted me 'i want to die'", "my mate texted me i dont want to be here": their words
    if _POSSESSIVE_NOTE.search(low, max(s, ev["start"] - 12), ev["end"]):
        return True  # "one caller had written her goodbye letters"
    if _MADE_ABOUT.search(low[max(s, ev["start"] - 80):ev["start"]]):
        return True  # "one of my students wrote a poem about wanting to sleep forever"
    if re.search(r"\b(?:i|me|my|myself|i'm|im)\b", low[ev["start"]:ev["end"]]):
        return False
    # someone else's record read by the writer, in this sentence or the one before, and the writer does nothing
    # between it and the cue in the cue's own sentence: "found my son's search history. 'painless ways to die'"
    record = None
    for record in _OTHERS_RECORD.finditer(low, max(0, s - 160), ev["start"]):
        pass
    if record and not _WRITER_ACTS.search(low, max(record.end(), s), ev["start"]):
        return True
    if _BY_DOING.search(low, s, ev["start"]):
        # "I'd be doing them a favour by not being here": the clause's subject does it, not the last person named
        people = _PERSON_WORDS.findall(low[s:ev["start"]])
        return bool(people) and people[0] not in _FIRST_WORDS
    if _OWNED_BY_OTHER.match(low, ev["end"]):
        return True  # "she'll take all her pills": the means are someone else's
    if norm is not None:
        named = _NAMED_SUBJECT.search(norm[max(s, ev["start"] - 40):ev["start"]]) \
            or _NAMED_SENDER.search(norm[max(s, ev["start"] - 80):ev["start"] + 8])
        if named and not re.fullmatch(NOT_NAMES, named.group(1)):
            return True  # "Found out Chloe has been cutting"
    if _MY_BEFORE.search(low, max(0, ev["start"] - 10), ev["start"]):
        return False  # "mum found my goodbye letter": the writer's own
    if _OTHERS_BETTER_OFF.search(ev["cue"]):
        return False  # "they'd cry for a week and then they'd be better off": the people named are the others
    if _RECIPIENT_CUES.search(ev["cue"]):
        if _GIVES_OWN_THINGS.search(low, ev["start"], ev["end"]):
            return True  # "the quiet ones who give their things away": the owner is someone else
        # "kissed them extra and wrote the letters": the people in a goodbye are its recipients; the subject decides
        if _SUBJECTLESS.match(low, s):
            return False  # "wrote my mum a letter. its for after": no subject written, so the writer's own
        people = [w for w in _PERSON_WORDS.findall(low[s:ev["start"]]) if w not in _OBJECT_WORDS]
        return bool(people) and people[-1] not in _FIRST_WORDS
    if _THIRD.search(low[ev["start"]:ev["end"]]):
        return True
    people = _PERSON_WORDS.findall(low[s:ev["start"]])
    return bool(people) and people[-1] not in _FIRST_WORDS


def _quoted_from_someone_else(low: str, ev: dict, sentences: list[tuple[int, int]]) -> bool:
    """Is this abuse cue inside someone else's quoted words ("my friend said 'its nothing he just grabbed me'", "the
    trainer said children rarely say 'he hits me'")? Stricter than for risk: after "and said" the sentence's first
    person word is the speaker, so the writer's own words to the police ("I rang them and said 'he hits me'") stay
    the writer's."""
    cue = low[ev["start"]:ev["end"]]
    if not _SPEAKER_HURT.search(cue) or _ADDRESSED.search(cue):
        return False  # "he said 'i'll kill you if you leave'": the abuser's words to the writer are the abuse
    s, _ = _sentence_of(sentences, ev["start"])
    quoted = [m for m in _QUOTED_BY.finditer(low, s, ev["end"]) if m.end() <= ev["start"] + 3]
    if not quoted:
        return False
    m = max(quoted, key=lambda m: m.start())
    if _QUOTE_CLOSED.search(low, m.end(), ev["start"]):
        return False  # "my friend said 'hi' and then he hit me": the quotation ended before the cue
    speaker = m.group(1)
    if speaker in _CONJUNCTIONS:
        people = _PERSON_WORDS.findall(low[s:m.start()])
        speaker = people[0] if people else "i"
    return speaker not in _FIRST_WORDS and speaker not in ("we", "us")


def _follows_someone_else(ev: dict, others: list[dict], sentences: list[tuple[int, int]]) -> bool:
    """A cue that takes its owner from a third-party cue: one inside it, a backstop model's sentence that a rule has
    already found to be about someone else ("my daughter's girlfriend reads all her messages") or that follows such a
    sentence, and a cover story told about marks that are someone else's ("cuts all up her arm and says it's the
    cat. we don't have a cat")."""
    if ev["_flag"] == "risk" and any(o["cue"].startswith("third_party.risk") and o["start"] <= ev["start"] < o["end"]
                                     for o in others):
        return True  # inside someone else's risk: "[my roommate is (cutting] again)"
    if ev["cue"].startswith("model."):
        s, e = _sentence_of(sentences, ev["start"])
        if any(s <= o["start"] < e for o in others):
            return True
        # or the sentence right after one: "My sister's boyfriend hits her. She told me in the car..."
        before = [(a, b) for a, b in sentences if b <= s]
        return bool(before) and any(before[-1][0] <= o["start"] < before[-1][1] for o in others)
    if ev["cue"].endswith("cover_story"):
        return any(0 <= ev["start"] - o["end"] <= 200 for o in others)
    return False


def _abuse_unowned(evidence: list[dict]) -> bool:
    """Abuse evidence none of which speaks of the writer ("me", "my", "us"...): it may be someone else's."""
    abuse = [ev for ev in evidence if ev["cue"].startswith(("abuse.", "model.abuse"))]
    return bool(abuse) and not any(_FIRST_PERSON.search(ev["text"]) for ev in abuse)


def _reroute_abuse(result: dict) -> dict:
    """The third-party model agreed that the unowned abuse is someone else's: route it to third party."""
    return {**result, "abuse": False, "third_party": True}


_MODEL_RULE = _Rule("model.risk", "risk", False, "", None)
_MODEL_ABUSE_RULE = _Rule("model.abuse", "abuse", False, "", None)
_MODEL_THIRD_PARTY_RULE = _Rule("model.third_party", "third_party", False, "", None)
_FIRST_PERSON = re.compile(r"\b(?:i|me|my|myself|im|i['’]m|i['’]ve|i['’]d|mine|us|we)\b", re.IGNORECASE)


def _screen(items: list, lazy: bool) -> RuleScreen:
    try:
        return RuleScreen([it.pattern for it in items], flags=re.IGNORECASE, split=True, lazy=lazy)
    except re.error:
        for it in items:  # name the culprit
            try:
                re.compile(it.pattern, re.IGNORECASE)
            except re.error as err:
                raise ValueError(f"safety rule {it.id!r} does not compile: {err}") from None
        raise


def _applies(exc: _Exclusion, rule: _Rule, cue: str = "") -> bool:
    return (rule.flag in exc.flags and (not exc.rules or rule.id.startswith(exc.rules))
            and not (exc.spares is not None and exc.spares.search(cue)))


def _resolve(cands: list[dict]) -> list[dict]:
    """Per flag, keep the longest of overlapping candidates; order by position."""
    kept = keep_longest(cands, lambda c: (-(c["end"] - c["start"]), c["start"], c["cue"]), lambda c: c["_flag"])
    return sorted(kept, key=lambda c: (c["start"], c["end"], c["cue"]))
