"""Context around a candidate flag: negated, hedged, reported, affectionate, a question, retracted?

A candidate only becomes a harsh global judgement when it is the writer's own, current, unhedged assertion
(design notes 4a). Cue lists live in ``context.json`` so they can be read and extended without code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from .prefilter import LiteralIndex, compile_condition, condition_literals, key_set, literal_condition, simplify

QUOTES_OPEN = "\"“"
QUOTES_CLOSE = "\"”"
#: a candidate that opens with its own subject and verb ("I'm worthless", "she's so lazy", "my boss is a psycho")
_OWN_SUBJECT = re.compile(r"(?:i['’]m|im|i\s+am|i\s+was|(?:she|he|they|you|u|we)(?:['’]?s|['’]?re|\s+is|\s+are|\s+was|\s+were)|"
                          r"(?:my|his|her|their|our|the)\s+[\w'’-]+(?:\s+[\w'’-]+)?\s+(?:is|are|was|were)|"
                          r"(?-i:[A-Z][a-z]+)\s+(?:is|was))\b", re.IGNORECASE)
_WORDISH = re.compile(r"\w")
#: a verdict the writer makes now, even right after quoting an old diary ("My sister is still a liar")
_NOW = re.compile(r"\b(?:still|now|nowadays|these\s+days|today|anymore|any\s+more|again)\b", re.IGNORECASE)
_PRONOUN_SUBJECT = re.compile(r"(?:she|he|it|shes|hes|she['’]s|he['’]s|it['’]s|its)\b", re.IGNORECASE)
#: a person in the previous sentence besides the pet ("my cat and my sister...") keeps the pronoun ambiguous
_PERSON_IN = re.compile(r"\b(?:mum|mom|dad|sister|brother|husband|wife|boyfriend|girlfriend|partner|friend|boss|"
                        r"son|daughter|flatmate|roommate|neighbou?r|colleague|teacher|(?-i:[A-Z][a-z]+)\s+(?:said|says|is|was))\b",
                        re.IGNORECASE)


def _any(patterns: list[str]) -> re.Pattern | None:
    pats = [p for p in patterns if p]
    return re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE) if pats else None


class CueSet:
    """"Does any of these cue patterns occur?", screened by literals (exact, and faster than one alternation).

    Each cue that needs literals ("maybe", "love you") is tried only when they occur in ``present``: the literals
    found in the text or in any string containing it (a sentence serves for its clauses). Cues without literals
    run as one alternation. ``regex`` is the whole alternation, for callers that need positions.
    """

    def __init__(self, patterns: list[str]) -> None:
        pats = [p for p in patterns if p]
        self.regex = _any(pats)
        self.screened: list[tuple[Callable[[set[str]], bool], re.Pattern, set[str]]] = []
        self._by_literal: dict[str, list[int]] = {}  # literal -> the cues that need it (or another of a set)
        always = []
        for p in pats:
            rx = re.compile(p, re.IGNORECASE)
            cond = simplify(literal_condition(rx), 2)
            if cond is None:
                always.append(p)
                continue
            for lit in key_set(cond):
                self._by_literal.setdefault(lit, []).append(len(self.screened))
            self.screened.append((compile_condition(cond), rx, condition_literals(cond)))
        self.always = _any(always)
        self._keys = frozenset(self._by_literal)

    def __bool__(self) -> bool:
        return self.regex is not None

    @property
    def literals(self) -> set[str]:
        return set().union(*(lits for _, _, lits in self.screened)) if self.screened else set()

    def found(self, text: str, present: set[str]) -> bool:
        if self.always is not None and self.always.search(text):
            return True
        by_literal, screened = self._by_literal, self.screened
        tried: set[int] = set()
        for lit in self._keys.intersection(present):
            for i in by_literal[lit]:
                if i not in tried:
                    tried.add(i)
                    holds, rx, _ = screened[i]
                    if holds(present) and rx.search(text):
                        return True
        return False


@dataclass
class ContextRules:
    """Compiled cue lists. ``check`` returns the reason a candidate is cancelled, or None."""

    config: dict

    def __post_init__(self) -> None:
        c = self.config
        self.terminators = re.compile(c.get("terminators", r"[;:!?.,]"), re.IGNORECASE)
        self.negation = CueSet(c.get("negation_pre", []))
        self.negation_ignore = _any(c.get("negation_pre_ignore", []))
        bridge = c.get("negation_bridge")
        self.negation_bridge = re.compile(bridge, re.IGNORECASE) if bridge else None
        self.hedge = CueSet(c.get("hedge_sentence", []))
        self.affection = CueSet(c.get("affection_sentence", []))
        self.reported = CueSet(c.get("reported_pre", []))
        self.self_speaker = CueSet([c.get("reported_self_speaker", "")])
        self.question_start = CueSet(c.get("question_sentence_start", []))
        self.question_no_mark = CueSet(c.get("question_no_mark", []))
        self.strong_terminators = re.compile(r"(?:\bbut\b|\bthough\b|\balthough\b|\bhowever\b|[;.!?])", re.IGNORECASE)
        self.retracted_pre = CueSet(c.get("retracted_pre", []))
        self.retracted_post = CueSet(c.get("retracted_post", []))
        self.next_sentence = CueSet(c.get("next_sentence", []))
        # affection shown in the next sentence ("She's a bossy little madam. I love her to bits."): labels and
        # traits only (optional key)
        self.affection_next = CueSet(c.get("affection_next", []))
        self.specific = CueSet([c.get("specific_post") or ""])
        self.fiction = CueSet([c.get("fiction_window") or ""])
        past = c.get("past_writing_window")
        self.past_writing = re.compile(past, re.IGNORECASE) if past else None
        # an animal named just before: "my cat is such a jerk, he knocked my coffee off on purpose" (optional key)
        self.animal = CueSet(c.get("animal_before", []))
        nouns = c.get("animal_nouns")
        in_span = c.get("animal_span_nouns")
        # the pet is what the span calls the subject (it ends the span): "the one with the cat" is still a person
        self.animal_in_span = re.compile(rf"\b(?:{in_span})(?:\s+(?:alive|ever|in\s+the\s+world|on\s+earth))?\W*\Z",
                                         re.IGNORECASE) if in_span else None
        self.animal_owned = re.compile(rf"\b(?:my|our|the|his|her|their)\s+(?:\w+\s+)?(?:{nouns})\b",
                                       re.IGNORECASE) if nouns else None
        cues = (self.negation, self.hedge, self.affection, self.reported, self.self_speaker, self.question_start,
                self.question_no_mark, self.retracted_pre, self.retracted_post, self.next_sentence,
                self.affection_next, self.specific, self.fiction, self.animal)
        index = LiteralIndex(set().union(*(cue.literals for cue in cues)))
        # one literal scan per string, shared by every cue set (a sentence is checked for several candidates)
        self.present = lru_cache(maxsize=256)(lambda text: index.present(text.lower()))

    def clause_before(self, pre: str) -> str:
        last = None
        for last in self.terminators.finditer(pre):
            pass
        return pre[last.end():] if last else pre

    def check(self, sentence: str, start: int, end: int, kind: str, *, before: str = "", after: str = "",
              question_ok: bool = False) -> str | None:
        """Why the candidate at ``sentence[start:end]`` is not a flag, or None when it is one.

        ``before``/``after``: the text around the sentence, for retractions in the next sentence ("But he
        isn't.") and fiction named in the previous one ("Watched a thriller. The husband is such a creep").
        """
        pre, post = sentence[:start], sentence[end:]
        here = self.present(sentence)  # literals of the sentence: a superset of those of any part of it
        clause = self.clause_before(pre)
        if self.negation and self.negation.found(clause, here):
            cleaned = self.negation_ignore.sub(" ", clause) if self.negation_ignore else clause
            if self.negation.found(cleaned, here) and self._negation_reaches(cleaned, sentence[start:end]):
                return "negated"
        if not question_ok and self._is_question(sentence, post, here):
            return "question"
        if self.hedge and (self.hedge.found(self._after_strong_stop(pre), here) or self.hedge.found(post, here)
                           or self.hedge.found(sentence[start:end], here)):
            return "hedged"  # "maybe I'm unfair, but she's a control freak" stays a judgement
        if self._is_reported(pre, here):
            return "reported"
        if self.retracted_pre and self.retracted_pre.found(pre, here):
            return "retracted"
        if self.retracted_post and self.retracted_post.found(post, here):
            return "retracted"
        if kind == "trait" and self.specific and self.specific.found(post, here):
            return "specific_act"  # "she was so rude to the waiter tonight": one act, not the person
        if kind != "mind_reading" and self.affection and self.affection.found(sentence, here):
            return "affection"
        if after and (self.next_sentence or (kind in ("label", "trait") and self.affection_next)):
            nxt = after.lstrip()
            there = self.present(nxt)
            if self.next_sentence and self.next_sentence.found(nxt, there):
                return "retracted"
            if kind in ("label", "trait") and self.affection_next and self.affection_next.found(nxt, there):
                return "affection"
        pieces = [p for p in re.split(r"[.!?]+\s*", before) if _WORDISH.search(p)] if before else []
        prev = pieces[-1] if pieces else ""
        if self.fiction and (self.fiction.found(pre, here) or self.fiction.found(prev, self.present(prev))):
            return "fiction"
        if (self.past_writing is not None and not _NOW.search(sentence)
                and (self.past_writing.search(pre) or any(self.past_writing.search(p) for p in pieces[-2:]))):
            return "retracted"  # quoted from the writer's old diary: a verdict from then, not one made now
        if self.animal and self.animal.found(pre, here):
            return "animal"
        if self.animal_in_span is not None and self.animal_in_span.search(sentence[start:end]):
            return "animal"  # "she is the most dramatic kitten alive"
        if (self.animal_owned is not None and prev and _PRONOUN_SUBJECT.match(sentence, start)
                and self.animal_owned.search(prev) and not _PERSON_IN.search(prev)):
            return "animal"  # "my cat has decided she hates her new food. shes such a diva"
        return None

    def _negation_reaches(self, clause: str, span: str) -> bool:
        """Does the clause's negation reach a candidate that opens with its own subject? "I don't think she's
        lazy" (a bridge word), "no way he's a cheat" (nothing between): yes. "if I can't make this work I'm
        worthless", "she isn't around much and she's so selfish": the negation belongs to another verb."""
        if self.negation_bridge is None or not _OWN_SUBJECT.match(span):
            return True
        last = None
        for last in self.negation.regex.finditer(clause):
            pass
        rest = clause[last.end():] if last else clause
        return len(rest.split()) < 2 or self.negation_bridge.search(rest) is not None

    def _after_strong_stop(self, pre: str) -> str:
        last = None
        for last in self.strong_terminators.finditer(pre):
            pass
        return pre[last.end():] if last else pre

    def _is_question(self, sentence: str, post: str, here: set[str]) -> bool:
        stop = re.search(r"[.!?;,]", post)
        if stop and stop.group() == "?":
            return True
        if not stop and sentence.rstrip(" \"'”)").endswith("?"):
            return True
        if self.question_no_mark and self.question_no_mark.found(sentence, here):
            return True
        return bool(self.question_start and "?" in sentence and self.question_start.found(sentence, here))

    def _is_reported(self, pre: str, here: set[str]) -> bool:
        opens = sum(pre.count(q) for q in QUOTES_OPEN) - sum(pre.count(q) for q in "”")
        straight = pre.count('"')
        if (straight % 2 == 1) or opens > straight:  # inside a double-quoted stretch
            return not (self.self_speaker and self.self_speaker.found(pre, here))
        if re.search(r"(?:^|\s)'[^']*$", pre):  # inside a single-quoted stretch: 'ur hopeless'
            return not (self.self_speaker and self.self_speaker.found(pre, here))
        if self.reported:
            last_stop = None
            for last_stop in self.strong_terminators.finditer(pre):
                pass
            if last_stop is not None:
                pre = pre[last_stop.end():]
            if not self.reported.found(pre, here):
                return False
            hits = list(self.reported.regex.finditer(pre))
            if hits:
                last = hits[-1]
                return not (self.self_speaker and self.self_speaker.found(pre[max(0, last.start() - 25): last.end()], here))
        return False
