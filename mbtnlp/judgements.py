"""Harsh global judgement detection: the ``mbtnlp_judgements`` spaCy component.

Regex rules with lexicon placeholders (``rules.jsonl`` + word lists) propose candidates; ``context.py`` removes
the negated, hedged, reported, affectionate, questioning and retracted ones. Results are stored as a SpanGroup
(``doc.spans["mbtnlp_judgements"]``) plus plain dicts in ``doc._.mbtnlp_judgements`` so they survive
``DocBin`` and multiprocessing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path, minibatch

from .context import ContextRules
from .spans import doc_sentence_bounds, doc_text, keep_longest, sentence_index, sentence_of as _sentence_of, strip_span
from .lexicon import (PatternSet, alternation, first_group, read_jsonl, read_terms, resource_dir, with_base_forms,
                      write_jsonl)

SPANS_KEY = "mbtnlp_judgements"
KINDS = ("label", "trait", "overgeneralization", "mind_reading")
FILES = ("rules.jsonl", "labels.tsv", "traits.tsv", "persons.tsv", "names.txt", "not_names.txt", "never_verbs.tsv",
         "always_verbs.tsv", "self_failures.tsv", "mind_verbs.tsv", "positive_words.tsv", "context.json")
SELF_WHO = {"i", "me", "myself"}
PRONOUNS = r"she|he|they|you|u|i"



_INTENSIFIED = re.compile(r"\b(?:so+|such|total|complete|absolute|utter|fucking|f\*+ing|completely|totally|just|pure|"
                          r"always|never|obviously|clearly)\b", re.IGNORECASE)


@dataclass
class _Rule:
    id: str
    kind: str
    severity: float
    target: str | None
    pattern: str  # the rule's pattern with placeholders expanded
    anchors: frozenset[str] | None  # the rule only runs on sentences holding one of these words (speed)
    censor_ok: bool = False  # ...or a censored word ("b*tch"), for rules about labels and traits
    starts_with_who: bool = False  # tried only where a person mention can start (speed)
    question_ok: bool = False  # a rhetorical question is still a verdict ("why is he such a jerk?")
    starts_at: frozenset[str] | None = None  # the words a match can begin with: tried only there (speed)
    _regex: re.Pattern | None = None

    @property
    def regex(self) -> re.Pattern:
        """Compiled on first use: a rule set of a hundred patterns with thousand-word lists takes seconds to
        compile, and a short job needs only the few rules whose anchors occur."""
        if self._regex is None:
            try:
                self._regex = re.compile(self.pattern, re.IGNORECASE)
            except re.error as err:
                raise ValueError(f"judgement rule {self.id!r} does not compile: {err}") from None
        return self._regex


_PRONOUNS = {"she", "he", "they", "i", "you", "u"}
#: Besides the rules' anchor words, words that make a sentence worth showing to the sentence model.
MODEL_TRIGGERS = frozenset("so such total complete utter absolute just always never every everyone everybody nobody "
                           "only purpose obviously clearly definitely know knows hate hates care cares whole literally "
                           "worst most least biggest real pure nothing anything".split())
_WORD_START = re.compile(r"\b\w+")
#: warmth the writer shows themselves: "im such a dork, love that about me"
_SELF_WARMTH = re.compile(r"\b(?:love|like|adore|proud\s+of|embrace)\s+(?:that\s+about\s+|this\s+about\s+|it\s+about\s+)?"
                          r"(?:me|myself)\b|\bsorry\s+not\s+sorry\b|\bno\s+regrets\b", re.IGNORECASE)
_JOINED_BEFORE = re.compile(r"\s+(?:and|&)\s+\Z")
#: Words a person mention can start with (besides names and capitalised words): pronouns, determiners, groups.
WHO_START_WORDS = ("she he they i you u ya ur my his her our their your the this that these those all both men women "
                   "guys girls boys people ppl everyone everybody friends parents teachers bosses coworkers managers "
                   "kids children adults teenagers in-laws mr mrs ms miss mx dr prof coach auntie aunt uncle grandma "
                   "grandpa nana shes hes im theyre youre mum mom dad mama papa nan gran granny aunty sis bro nobody").split()
_WORDS = re.compile(r"[\w*#@$]+")
_SQUEEZE = re.compile(r"(.)\1+")
NEVER_WORDS = ("never", "nvr", "neva", "ever", "once", "not")
ALWAYS_WORDS = ("always", "alwys", "allways", "alway", "alwayss", "constantly", "forever", "keep", "keeps", "every",
                "time", "all", "only", "inevitably", "end", "manage", "somehow", "just")


# Frequent words never make good anchors: a term is anchored on another of its words when it has one.
_COMMON = frozenset("the a an to of in on at for with out up down off over not no and or is be been being has have "
                    "had do does did it its that this my your his her their our one two all so too very just know "
                    "old new good bad big little full half head life thing nothing nobody person people friend "
                    "mother father baby back get got go going make made take".split())


_NOBODY = re.compile(r"(?:nobody|no[\s-]?one|none\s+of|not\s+one\s+of)\b", re.IGNORECASE)


def _first_word(words: list[str]) -> str:
    return words[0]


def _given_anchor(anchor: str) -> str:
    """A rule's own anchor: a word ("hurt"; "hasn't" counts by its first part), or two words written with a space,
    adjacent in any match ("it out", "the time")."""
    words = [squeeze(w) for w in _WORDS.findall(anchor.lower())]
    return f"{words[0]} {words[1]}" if re.search(r"\s", anchor.strip()) and len(words) > 1 else words[0]


def _rarest_pair(words: list[str]) -> str:
    """The anchor of a term: every word of a term occurs in its match, so the longest uncommon one is a valid
    anchor ("two-faced" -> "faced"); in a term of several words, that word with its neighbour, a pair adjacent in
    any match ("bad dad", "let down", "out of control" -> "of control"), is sharper than the word alone."""
    if len(words) < 2:
        return words[0]
    best = max(range(len(words)), key=lambda i: (words[i].lower() not in _COMMON, len(words[i])))
    i = best if best + 1 < len(words) else best - 1
    return f"{squeeze(words[i])} {squeeze(words[i + 1])}"


@lru_cache(maxsize=65536)
def squeeze(word: str) -> str:
    """Lowercase with repeated letters squeezed, so "sooo"/"so" and "lazyyy"/"lazy" compare equal."""
    return _SQUEEZE.sub(r"\1", word.lower())


def _anchor_words(sentence: str, plain: list | None = None) -> set[str]:
    """What a rule anchor is looked up in: the squeezed words of a sentence, each also without a plural "s" or
    "es", and adjacent word pairs ("bad friend", the anchors of terms made only of common words). ``plain``, when
    given, receives the sentence's word set (``_word_set``) too, so it is not built twice."""
    words = list(map(squeeze, _WORDS.findall(sentence)))
    out = set(words)
    if plain is not None:
        plain.append(frozenset(out))
    pairs = [a + " " + b for a, b in zip(words, words[1:])]
    out.update(pairs)
    for w in words + pairs:  # without a plural "s" / "es" ("bad dads"), "-ies" as "-y" ("bullies")
        if w[-1] == "s":
            out.add(w[:-1])
            if w[-2:] == "es":
                out.add(w[:-2])
                if w[-3:] == "ies":
                    out.add(w[:-3] + "y")
    return out


def _word_set(sentence: str) -> frozenset[str]:
    """The squeezed words of a sentence (shared by the rule anchors and the sentence model's gate)."""
    return frozenset(squeeze(w) for w in _WORDS.findall(sentence))


def _load_resources(folder: Path) -> dict[str, Any]:
    return {
        "rules": read_jsonl(folder / "rules.jsonl"),
        "labels": read_terms(folder / "labels.tsv"),
        "traits": read_terms(folder / "traits.tsv"),
        "persons": [r[0] for r in read_terms(folder / "persons.tsv")],
        "names": [r[0] for r in read_terms(folder / "names.txt")],
        "not_names": [r[0] for r in read_terms(folder / "not_names.txt")],
        "never_verbs": [r[0] for r in read_terms(folder / "never_verbs.tsv")],
        "always_verbs": [r[0] for r in read_terms(folder / "always_verbs.tsv")],
        "self_failures": [r[0] for r in read_terms(folder / "self_failures.tsv")],
        "mind_verbs": [r[0] for r in read_terms(folder / "mind_verbs.tsv")],
        "positive_words": [r[0] for r in read_terms(folder / "positive_words.tsv")],
        "context": json.loads((folder / "context.json").read_text(encoding="utf-8")),
    }


def build_patterns(res: dict[str, Any]) -> PatternSet:
    """Placeholder fragments from the word lists."""
    labels = [(r[0], float(r[1]) if len(r) > 1 else 0.7) for r in res["labels"]]
    thing_labels = {r[0] for r in res["labels"] if len(r) > 3 and r[3] == "1"}
    traits = [(r[0], r[2] == "1" if len(r) > 2 else False) for r in res["traits"]]
    # "my fifteen-year-old", "her 3-year-old": an age as a person noun
    persons = rf"(?:{alternation(res['persons'], plural=True, censor=False, elongate=False)}|[a-z0-9]+-(?:year|yr)-olds?)"
    names = alternation(res["names"], censor=False, elongate=False)
    title = r"(?:mr|mrs|ms|miss|mx|dr|prof|coach|auntie|aunty|aunt|uncle|grandma|grandpa|nana)\.?\s+[a-z][\w-]+"
    not_names = "|".join(sorted(map(re.escape, res.get("not_names", [])), key=len, reverse=True)) or "(?!)"
    capitalised = rf"(?-i:(?!(?:{not_names})\b)[A-Z][a-z]+(?:\s+(?!(?:{not_names})\b)[A-Z][a-z]+)?)"
    det = r"(?:all\s+(?:of\s+)?|both\s+(?:of\s+)?)?(?:my|his|her|our|their|your|ur|the|this|that|these|those|her\s+new|his\s+new)"
    not_object = r"(?<!\bfrom\s)(?<!\bof\s)(?<!\bwith\s)(?<!\bto\s)(?<!\bby\s)(?<!\babout\s)(?<!\bfor\s)"
    np = rf"{not_object}{det}\s+(?:[\w-]+[’']s\s+)?(?:[\w-]+\s+){{0,2}}?{persons}"
    family = (r"(?:mum|mom|dad|mama|papa|nan|nana|gran|granny|grandma|grandpa|aunty|auntie|uncle|sis|bro)"
              r"(?![\w’'])")
    groups = (r"(?:everyone|everybody|all\s+of\s+them|nobody)\s+(?:in|at|from)\s+(?:my|the|this|our|that)\s+[\w-]+|"
              r"(?:men|women|guys|girls|people|ppl)\s+like\s+(?:her|him|them|that|you)|"
              r"(?:those|these)\s+two|the\s+(?:pair|two|lot)\s+of\s+them|both\s+of\s+them")
    bare_plural = (r"men|women|guys|girls|boys|people|ppl|everyone|everybody|friends|parents|teachers|bosses|coworkers|"
                   r"managers|kids\s+(?:today|these\s+days)|kids|children|adults|teenagers|in-laws")
    # chat drops the determiner at the start of a sentence: "landlord is a greedy crook fr"
    bare_start = rf"(?:^|(?<=[.!?]\s)|(?<=[.!?]\s\s)|(?<=\n))(?:{persons})(?![\w’'-])"
    who = rf"\b(?:{np}|{groups}|{title}|(?:{PRONOUNS})|{family}|{bare_plural}|{names}|{capitalised}|{bare_start})"
    who_strong = rf"\b(?:{np}|{groups}|{title}|she|he|they|i|you|u|{family}|{names}|{capitalised})"
    # a mention with a place or group after it: "the lads from work", "the ladies at my mum's church"
    stop = (r"(?:is|are|was|were|r|never|always|alwys|nvr|just|only|all|so|really|keep|keeps|kept|constantly|"
            r"literally|honestly|still|ever|has|have|had|do|does|did|don[’']?t|doesn[’']?t|didn[’']?t|can|could|"
            r"will|would|won[’']?t|and|but|who|that|because|when)\b")
    who_pm = rf"(?:{np}|{groups}|{bare_plural})\s+(?:from|at|in|on|over\s+at|down\s+at)\s+(?:(?!{stop})[\w’'-]+\s+){{0,2}}?(?!{stop})[\w’'-]+"
    frags = {
        "who": who,
        "who_strong": who_strong,
        "who_pm": rf"\b(?:{who_pm}|{np}|{groups}|{title}|(?:{PRONOUNS})|{family}|{bare_plural}|{names}|{capitalised})",
        # the space after a mention, or nothing before a fused chat copula ("shes been", "hes doing", "im never")
        "sp": (r"(?:\s+|(?<=\bshe)(?=s\s)|(?<=\bhe)(?=s\s)|(?<=\bthey)(?=re\s)|(?<=\bi)(?=m\s)|"
               r"(?<=\byou)(?=re\s))"),
        "cop": (r"(?:[’']\s?(?:s|re|m)\b|(?<=\bshe)s\b|(?<=\bhe)s\b|(?<=\bthey)re\b|(?<=\bi)m\b|(?<=\byou)re\b|"
                r"(?<=\bu)r\b|\s+(?:is|are|am|was|were|r|has\s+been|have\s+been|had\s+been|is\s+being|"
                r"are\s+being|was\s+being|were\s+being|has\s+always\s+been|have\s+always\s+been|will\s+always\s+be|"
                r"is\s+still|was\s+still|is\s+always|is\s+such|will\s+never\s+be\s+anything\s+but)\b)"),
        "int": (r"(?:\s+(?:so+|such|just|really|rly|rlly|completely|totally|truly|honestly|literally|fundamentally|"
                r"basically|always|actually|seriously|an?|the|total|complete|real|absolute|absolutely|utter|utterly|"
                r"fucking|f\*+(?:in|ing)g?|freaking|frickin|friggin|bloody|extremely|incredibly|super|all|nothing\s+but|"
                r"still|also|even|pure|effing|big|huge|massive|biggest|ultimate|like|tbh|now|officially|clearly|"
                r"obviously|definitely|definately|definitly|defo|deffo|genuinely|straight\s+up|deeply|hella|very|too|damn|goddamn|stupid|little|"
                r"lazy|useless|selfish|fat|ugly|lying|worthless|pathetic|two-faced|fake|spoiled|entitled|old|"
                r"miserable|insane|crazy|such\s+an?|being|becoming|turning\s+into|become|acting\s+like|acts\s+like|"
                r"nothing\s+more\s+than|no\s+better\s+than|officially|(?:bunch|pack|clique|load|gang|shower|nest)\s+of)){0,5}"),
        # person-only labels; labels also said of things ("a joke", "garbage") need a clear person subject
        "label": alternation([t for t, _ in labels if t not in thing_labels], plural=True),
        "label_thing": alternation([t for t, _ in labels if t in thing_labels], plural=True),
        "label_strong": alternation([t for t, s in labels if s >= 0.85 and t not in thing_labels]),
        "trait_person": alternation([t for t, thing in traits if not thing]),
        "trait_thing": alternation([t for t, thing in traits if thing]),
        "never_verb": alternation(with_base_forms(res["never_verbs"]), censor=False, elongate=False),
        "always_verb": alternation(with_base_forms(res["always_verbs"]), censor=False, elongate=False),
        "self_fail": alternation(res["self_failures"], censor=False, elongate=False),
        "mind_verb": alternation(res["mind_verbs"], censor=False, elongate=False),
    }
    capture = {"who": "who", "who_strong": "who", "who_pm": "who", "label": "term", "label_thing": "term", "label_strong": "term",
               "trait_person": "term", "trait_thing": "term"}
    return PatternSet(frags, capture)


class JudgementDetector:
    """Flags harsh global judgements about people (label, trait, overgeneralization, mind_reading)."""

    def __init__(self, nlp: Language | None = None, name: str = "mbtnlp_judgements", *,
                 rules: str = "default", extra_rules: Iterable[dict] | str | None = None,
                 model: str | None = "default", model_threshold: float = 0.5) -> None:
        self.name = name
        self.model_name = "judgements_sentence" if model == "default" else model
        self.model_threshold = model_threshold
        self._model = None
        folder = resource_dir("judgements") if rules in (None, "default") else Path(rules)
        self._load(folder)
        if extra_rules:
            self.add_rules(read_jsonl(Path(extra_rules)) if isinstance(extra_rules, (str, Path)) else extra_rules)

    # -- resources -------------------------------------------------------------------------------------
    def _load(self, folder: Path) -> None:
        missing = [f for f in FILES if not (folder / f).exists()]
        if missing:
            raise FileNotFoundError(f"judgement rules folder {folder} lacks {', '.join(missing)}")
        self._set(_load_resources(folder))

    def _set(self, resources: dict[str, Any]) -> None:
        """Compile everything derived from the resources (rules, placeholders, cue lists, word sets)."""
        self.resources = resources
        self.patterns = build_patterns(resources)
        self.context = ContextRules(resources["context"])
        self.term_severity = {r[0].lower(): float(r[1]) for r in resources["labels"] + resources["traits"]
                              if len(r) > 1}
        self.trait_severity = {r[0].lower(): float(r[1]) for r in resources["traits"] if len(r) > 1}
        self._term_keys: dict[tuple[str, bool], str] = {}
        self.rules: list[_Rule] = []
        self._compile(resources["rules"])
        self.who_finder = re.compile(rf"(?:{self.patterns.fragments['who_strong']})\b", re.IGNORECASE)
        self.who_starts = set(WHO_START_WORDS) | {n.lower() for n in resources["names"]}
        # a bare person noun can open a sentence ("landlord is a greedy crook fr"): tried there only
        self.person_words = {p.lower() for p in resources["persons"] if " " not in p}
        # a rule that starts with {who}/{who_strong} can only match where one of them does
        frags = self.patterns.fragments
        self.who_at = re.compile(f"(?:{frags['who']}|{frags['who_strong']})", re.IGNORECASE)
        # the sentence model's gate was fitted with the rules' first-word anchors: keep exactly that set
        self.model_triggers = frozenset().union(
            *(a for a in (self._anchors(r, pick=_first_word)[0] for r in resources["rules"]) if a)) | MODEL_TRIGGERS
        self.positive_words = frozenset(squeeze(w) for w in resources.get("positive_words", []))
        self.negative_words = frozenset(squeeze(_WORDS.findall(r[0].lower())[0]) for r in
                                        resources["labels"] + resources["traits"] if _WORDS.findall(r[0]))

    def _compile(self, rules: Iterable[dict], eager: bool = False) -> None:
        """Prepare rules; ``eager``: compile now (rules a user adds, so a bad pattern fails at once)."""
        self._by_anchor: dict[str, list[int]] | None = None  # rebuilt on first use
        for rule in rules:
            if rule.get("kind") not in KINDS:
                raise ValueError(f"rule {rule.get('id')!r}: kind must be one of {KINDS}")
            anchors, censor_ok = self._anchors(rule)
            compiled = _Rule(str(rule["id"]), rule["kind"], float(rule.get("severity", 0.7)), rule.get("target"),
                             self.patterns.expand(_fused(rule["pattern"])), anchors, censor_ok,
                             rule["pattern"].startswith(("{who}", "{who_strong}", "{who_pm}")), bool(rule.get("question_ok")),
                             frozenset(w.lower() for w in rule["starts_at"]) if rule.get("starts_at") else None)
            if eager:
                compiled.regex  # noqa: B018 - compile now
            self.rules.append(compiled)

    def _anchors(self, rule: dict, pick: Callable[[list[str]], str] | None = None) -> tuple[frozenset[str] | None, bool]:
        """Words one of which must be in a sentence for the rule to match there: given in the rule
        (``"anchors"``) or derived from the word list the rule needs. None = always run."""
        if rule.get("anchors"):
            return frozenset(_given_anchor(w) for w in rule["anchors"] if _WORDS.findall(w)), False
        pattern = rule["pattern"]
        res = self.resources
        # every word of a term occurs in its match, so the longest (rarest) one is the best anchor: "two-faced"
        # is anchored on "faced", not "two", and "out of control" on "control"
        pick = pick or _rarest_pair
        first = lambda terms: frozenset(squeeze(pick(_WORDS.findall(t.lower()))) for t in terms  # noqa: E731
                                        if _WORDS.findall(t.lower()))
        options = []
        if re.search(r"\{label(?:_thing|_strong)?\}", pattern):
            options.append((first(r[0] for r in res["labels"]), True))
        if re.search(r"\{trait_(?:person|thing)\}", pattern):
            options.append((first(r[0] for r in res["traits"]), True))
        if "{never_verb}" in pattern:
            options.append((frozenset(squeeze(w) for w in NEVER_WORDS), False))
        if "{always_verb}" in pattern or "{self_fail}" in pattern:
            options.append((frozenset(squeeze(w) for w in ALWAYS_WORDS), False))
        if not options:
            return None, False
        if "{label" in pattern and "{trait" in pattern:  # alternatives of one slot: either may occur
            return frozenset().union(*(o[0] for o in options)), True
        return min(options, key=lambda o: len(o[0]))

    def add_rules(self, rules: Iterable[dict]) -> None:
        """Add rules (dicts shaped like lines of ``rules.jsonl``); they are saved with ``to_disk``."""
        rules = list(rules)
        self._compile(rules, eager=True)
        self.resources["rules"] = self.resources["rules"] + rules

    def initialize(self, get_examples: Callable | None = None, *, nlp: Language | None = None,
                   rules: list[dict] | None = None) -> None:
        if rules:
            self.add_rules(rules)

    # -- processing ------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        return self._set_on_doc(doc, self.find(doc_text(doc), doc_sentence_bounds(doc)))

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """As ``__call__``, with the sentence model asked once per batch (numpy's per-call cost dominated)."""
        for batch in minibatch(stream, size=batch_size):
            found = self.find_many([(doc_text(doc), doc_sentence_bounds(doc)) for doc in batch])
            for doc, flags in zip(batch, found):
                yield self._set_on_doc(doc, flags)

    def _set_on_doc(self, doc: Doc, found: list[dict]) -> Doc:
        if (doc._.mbtnlp_safety or {}).get("abuse"):
            # Never treat the writer's words about an abuser as a distortion to work on (design notes SR-4).
            found = [j for j in found if j["target"] == "self"]
        spans = []
        for j in found:
            span = doc.char_span(j["start"], j["end"], label=j["kind"], alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[SPANS_KEY] = spans
        doc._.mbtnlp_judgements = found
        return doc

    def find(self, text: str, sentences: list[tuple[int, int]]) -> list[dict]:
        """Judgements in ``text`` as plain dicts with character offsets."""
        return self.find_many([(text, sentences)])[0]

    def find_many(self, items: list[tuple[str, list[tuple[int, int]]]]) -> list[list[dict]]:
        """``find`` for several texts: rules per text, then one sentence-model call for all of them."""
        passes = []
        for text, sentences in items:
            word_sets: list[frozenset[str]] = []
            cands = self.candidates(text, sentences, word_sets)
            kept = _resolve_overlaps([c for c in cands if c["reason"] is None])
            asks = self._model_asks(text, sentences, cands, kept, word_sets) if self.model_name else []
            passes.append((text, kept, asks))
        every_ask = [a for _, _, asks in passes for a in asks]
        probs = iter(self.model.predict_proba_many([a[2] for a in every_ask], [a[4] for a in every_ask])
                     if every_ask else [])
        out = []
        for text, kept, asks in passes:
            if asks:
                kept = _resolve_overlaps(kept + self._model_flags(text, asks, [next(probs) for _ in asks]))
            for c in kept:
                c.pop("reason", None)
            out.append(kept)
        return out

    def candidates(self, text: str, sentences: list[tuple[int, int]], word_sets: list | None = None) -> list[dict]:
        """Every rule match, with ``reason`` set when context cancels it (negated, hedged, reported...).

        A rule runs only on sentences that hold one of its anchor words, which keeps the detector fast.
        ``word_sets``, when given, receives each sentence's ``_word_set`` (for the sentence model's gate).
        """
        out, seen = [], set()
        checked: dict[tuple, str | None] = {}  # context verdicts: rules matching the same stretch share one
        for s, e in sentences or [(0, len(text))]:
            sentence = text[s:e]
            words = _anchor_words(sentence, word_sets)
            censored = "*" in sentence or "#" in sentence or "@" in sentence or "$" in sentence
            starts = None
            for rule in self._rules_for(words, censored):
                if rule.starts_with_who:
                    if starts is None:
                        starts = self._who_starts(text, s, e)
                    match = rule.regex.match
                    matches = [match(text, pos, e) for pos in starts]
                elif rule.starts_at is not None:
                    matches = _finditer_at(rule.regex, text, max(0, s - 3), e, rule.starts_at)
                else:
                    matches = rule.regex.finditer(text, max(0, s - 3), e)
                for m in matches:
                    if m is None:
                        continue
                    key = (rule.id, m.start(), m.end())
                    if key in seen:
                        continue
                    seen.add(key)
                    cand = self._candidate(text, m, rule, sentences, checked)
                    if cand:
                        out.append(cand)
        return out

    def _who_starts(self, text: str, s: int, e: int) -> list[int]:
        """Where a person mention can start in a sentence (a pronoun always can: no need to ask the regex)."""
        out = []
        who_starts, who_at = self.who_starts, self.who_at
        for m in _WORD_START.finditer(text, s, e):
            word = m.group()
            low = word.lower()
            if low in _PRONOUNS or ((low in who_starts or word[:1].isupper()
                                     or (m.start() == s and (low in self.person_words or low[:-1] in self.person_words)))
                                    and who_at.match(text, m.start(), e)):
                out.append(m.start())
        return out

    def _rules_for(self, words: set[str], censored: bool) -> list[_Rule]:
        """The rules whose anchors a sentence holds, in rule order (an inverted index: word -> rules)."""
        if self._by_anchor is None:
            self._by_anchor = {}
            for i, rule in enumerate(self.rules):
                for word in rule.anchors or ():
                    self._by_anchor.setdefault(word, []).append(i)
            self._unanchored = [i for i, r in enumerate(self.rules) if r.anchors is None]
            self._censor_ok = [i for i, r in enumerate(self.rules) if r.censor_ok]
            self._anchor_keys = frozenset(self._by_anchor)
        hit = set(self._unanchored)
        if censored:
            hit.update(self._censor_ok)
        by_anchor = self._by_anchor
        for w in self._anchor_keys.intersection(words):
            hit.update(by_anchor[w])
        rules = self.rules
        return [rules[i] for i in sorted(hit)]

    def sentence_features(self, text: str, sent: tuple[int, int], cands: list[dict],
                          context: bool = True, who: re.Match | None = None) -> dict[str, float]:
        """Dense features of one sentence for the sentence model: which rules fired, and what context said
        (``context=False``: leave out the sentence-level context check, ``sctx:*``; ``who``: the sentence's
        person mention when the caller has already searched for it)."""
        s, e = sent
        feats: dict[str, float] = {}
        for c in cands:
            if s <= c["start"] < e:
                feats[f"rule:{c['kind']}"] = 1.0
                feats[f"ctx:{c['reason'] or 'flag'}"] = 1.0
        sentence = text[s:e]
        m = who or self.who_finder.search(sentence)
        if m:
            feats["person"] = 1.0
            if context:
                reason = self.sentence_context(sentence, m)
                feats[f"sctx:{reason or 'none'}"] = 1.0
        return feats

    def sentence_context(self, sentence: str, who: re.Match) -> str | None:
        return self.context.check(sentence, who.start(), len(sentence.rstrip()), "trait")

    def _model_asks(self, text: str, sentences: list[tuple[int, int]], cands: list[dict],
                    kept: list[dict], word_sets: list[frozenset[str]] | None = None
                    ) -> list[tuple[int, int, str, re.Match, dict]]:
        """The sentences worth asking the model about: no rule flagged them, yet they hold an evaluative word
        and a person mention (the model gives recall for wording the rules do not know)."""
        flagged = {sentence_index(sentences, k["start"]) for k in kept}
        asks: list[tuple[int, int, str, re.Match, dict]] = []
        for i, (s, e) in enumerate(sentences):
            if i in flagged:
                continue
            words = word_sets[i] if word_sets and len(word_sets) == len(sentences) else _word_set(text[s:e])
            if self.model_triggers.isdisjoint(words):
                continue  # no evaluative word at all: the model would not fire (speed)
            if not self.positive_words.isdisjoint(words) and self.negative_words.isdisjoint(words):
                continue  # "she is so generous": praise or a passing state, not a verdict
            sentence = text[s:e]
            m = self.who_finder.search(sentence)
            if not m:
                continue
            # the model is asked only about sentences whose context check says "none", so score as if it did
            # and run the (slower) check only for the few sentences the model would flag: same result
            feats = self.sentence_features(text, (s, e), cands, context=False, who=m)
            feats["sctx:none"] = 1.0
            asks.append((s, e, sentence, m, feats))
        return asks

    def _model_flags(self, text: str, asks: list[tuple[int, int, str, re.Match, dict]],
                     all_probs: list[dict[str, float]]) -> list[dict]:
        """Sentences the model is confident about, and whose context does not cancel a verdict."""
        out = []
        for (s, e, sentence, m, _feats), probs in zip(asks, all_probs):
            if probs["judgement"] < self.model_threshold:
                continue
            # the sentences around count too ("Re-reading my old diaries. 'Chloe is fake'", a film named just before)
            if self.context.check(sentence, m.start(), len(sentence.rstrip()), "trait", before=text[max(0, s - 200):s],
                                  after=text[e:e + 200]) is not None:
                continue
            kind = max(KINDS, key=lambda k: probs[k])
            start, end = strip_span(text, s + m.start(), _clause_end(text, s + m.end(), e), "*")
            who = _canonical_who(m.group())
            out.append({"start": start, "end": end, "text": text[start:end], "kind": kind,
                        "target": "self" if who.lower() in SELF_WHO else "other", "who": who,
                        "severity": round(0.4 + 0.4 * probs["judgement"], 2), "rule": "model.sentence", "reason": None})
        return out

    @property
    def model(self):
        if self._model is None:
            from .model_io import load_linear

            self._model = load_linear(self.model_name)
        return self._model

    def _candidate(self, text: str, m: re.Match, rule: _Rule, sentences: list[tuple[int, int]],
                   checked: dict | None = None) -> dict | None:
        groups = m.groupdict()
        who_group, term_group = first_group(m, "who"), first_group(m, "term")
        start, end = m.span()
        if who_group is not None and m.end(who_group) < end:
            start = m.start(who_group)  # the span starts at the person ("why is [my brother such a jerk]"), unless
            # the person comes last ("nothing I do is ever good enough for his parents")
        start, end = strip_span(text, start, end, "*")  # keep a censored ending: "a**"
        if end <= start:
            return None
        s_start, s_end = _sentence_of(sentences, start)
        sentence = text[s_start:s_end]
        key = (start, end, rule.kind, rule.question_ok)
        if checked is not None and key in checked:
            reason = checked[key]
        else:
            reason = self.context.check(sentence, start - s_start, end - s_start, rule.kind,
                                        before=text[max(0, s_start - 200):s_start], after=text[s_end:s_end + 200],
                                        question_ok=rule.question_ok)
            if checked is not None:
                checked[key] = reason
        who = (groups[who_group] if who_group else None) or self._who_before(text, s_start, start) or ""
        if who_group is not None and who.lower() not in _PRONOUNS:
            start, who = self._coordinated(text, s_start, start, who)
        if reason is None and rule.kind in ("label", "trait") and _NOBODY.match(who):
            reason = "negated"  # "nobody in my year is a snob": no one is labelled ("nobody ever listens" stays)
        who = _canonical_who(who)
        target = rule.target or ("self" if who.lower() in SELF_WHO else "other")
        if reason == "affection" and target == "self" and not _SELF_WARMTH.search(sentence):
            reason = None  # warmth for someone else ("my best friend's birthday") does not soften "I'm such an idiot"
        term = (groups[term_group] if term_group else "").lower()
        severity = rule.severity
        if term:
            severity = 0.5 * severity + 0.5 * self.term_severity.get(self._term_key(term, False), severity)
        if _INTENSIFIED.search(text, start, end):
            severity += 0.1
        kind = rule.kind
        if kind == "label" and term and self._term_key(term, True) in self.trait_severity \
                and not re.search(r"\b(?:an?|the|such)\b", text[start:end], re.IGNORECASE):
            kind = "trait"  # "shes sooo fake": no article, so an attribute rather than a category
        return {"start": start, "end": end, "text": text[start:end], "kind": kind, "target": target,
                "who": who, "severity": round(min(1.0, severity), 2), "rule": rule.id, "reason": reason}

    def _term_key(self, term: str, trait: bool) -> str:
        """``_lex_key`` in the severity table (or the trait table), remembered: a miss scans the whole table."""
        key = self._term_keys.get((term, trait))
        if key is None:
            key = _lex_key(term, self.trait_severity if trait else self.term_severity)
            if len(self._term_keys) < 100_000:
                self._term_keys[(term, trait)] = key
        return key

    def _coordinated(self, text: str, s_start: int, start: int, who: str) -> tuple[int, str]:
        """"Jake and Priya always leave me out": the judged people are both, not only the one next to the verb.
        A person mention (not a pronoun, not the writer) joined by "and"/"&" right before ``who`` extends it."""
        joint = _JOINED_BEFORE.search(text, s_start, start)
        if joint is None:
            return start, who
        first = None
        for m in self.who_finder.finditer(text, max(s_start, joint.start() - 60), joint.start()):
            if m.end() == joint.start():
                first = m
        if first is None or first.group().lower() in _PRONOUNS | SELF_WHO | {"me", "you", "u"}:
            return start, who
        return first.start(), f"{first.group()} {joint.group().strip()} {who}"

    def _who_before(self, text: str, s_start: int, start: int) -> str | None:
        window = text[max(0, s_start - 200): start]
        hits = [m.group() for m in self.who_finder.finditer(window)
                if m.group().lower() not in SELF_WHO and m.group().lower() not in ("you", "u")]
        return hits[-1] if hits else None

    # -- serialisation ---------------------------------------------------------------------------------
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the rules, word lists and context cues, so a saved pipeline carries its own copy."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        res = self.resources
        write_jsonl(path / "rules.jsonl", res["rules"])
        (path / "context.json").write_text(json.dumps(res["context"], ensure_ascii=False, indent=1), encoding="utf-8")
        for key, fname in (("labels", "labels.tsv"), ("traits", "traits.tsv")):
            (path / fname).write_text("".join("\t".join(row) + "\n" for row in res[key]), encoding="utf-8")
        for key, fname in (("persons", "persons.tsv"), ("names", "names.txt"), ("not_names", "not_names.txt"),
                           ("never_verbs", "never_verbs.tsv"),
                           ("always_verbs", "always_verbs.tsv"), ("self_failures", "self_failures.tsv"),
                           ("mind_verbs", "mind_verbs.tsv")):
            (path / fname).write_text("".join(t + "\n" for t in res[key]), encoding="utf-8")
        (path / "positive_words.tsv").write_text("".join(t + "\n" for t in res["positive_words"]), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "JudgementDetector":
        self._load(ensure_path(path))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps(self.resources, ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "JudgementDetector":
        self._set(json.loads(data.decode("utf-8")))
        return self


def _finditer_at(regex: re.Pattern, text: str, pos: int, end: int, words: frozenset[str]) -> Iterator[re.Match]:
    """``regex.finditer(text, pos, end)`` for a regex whose matches begin with one of ``words``: tried at those
    words only, and, as finditer, never inside a match already found."""
    after = pos
    for w in _WORD_START.finditer(text, pos, end):
        if w.start() < after or w.group().lower() not in words:
            continue
        m = regex.match(text, w.start(), end)
        if m is not None:
            yield m
            after = m.end() if m.end() > m.start() else m.start() + 1


def _lex_key(term: str, table: dict[str, float]) -> str:
    """The word-list entry a matched term stands for ("sooo fake" -> "fake", "b*tches" -> "bitch")."""
    if term in table:
        return term
    clean = re.sub(r"[\s-]+", " ", re.sub(r"(.)\1+$", r"\1", term))
    for cand in (clean, clean.rstrip("s"), clean[:-2] if clean.endswith("es") else clean):
        if cand in table:
            return cand
    pattern = re.compile("^" + "".join("." if ch in "*#@$!" else re.escape(ch) for ch in clean) + "$")
    for key in table:
        if pattern.match(key):
            return key
    return term


def _fused(pattern: str) -> str:
    """Let rules written as "{who}\\s+..." also match fused chat forms ("hes doing", "shes been")."""
    return pattern.replace("{who}\\s+", "{who}{sp}").replace("{who_strong}\\s+", "{who_strong}{sp}")


def _clause_end(text: str, pos: int, limit: int) -> int:
    m = re.compile(r"[.!?;]").search(text, pos, limit)
    return m.start() if m else limit


def _canonical_who(who: str) -> str:
    w = who.strip()
    low = w.lower()
    if low in ("i", "im", "i'm", "i’m"):
        return "I"
    if low == "u":
        return "you"
    return w


def _resolve_overlaps(cands: list[dict]) -> list[dict]:
    """Keep the longest of overlapping candidates (a label before a trait on ties), in text order."""
    order = {k: i for i, k in enumerate(KINDS)}
    kept = keep_longest(cands, lambda c: (-(c["end"] - c["start"]), order[c["kind"]], c["start"]))
    return sorted(kept, key=lambda c: (c["start"], c["end"]))
