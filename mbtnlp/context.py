"""Context around a candidate flag: negated, hedged, reported, affectionate, a question, retracted?

A candidate only becomes a harsh global judgement when it is the writer's own, current, unhedged assertion
(design notes 4a). Cue lists live in ``context.json`` so they can be read and extended without code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUOTES_OPEN = "\"“"
QUOTES_CLOSE = "\"”"


def _any(patterns: list[str]) -> re.Pattern | None:
    pats = [p for p in patterns if p]
    return re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE) if pats else None


@dataclass
class ContextRules:
    """Compiled cue lists. ``check`` returns the reason a candidate is cancelled, or None."""

    config: dict

    def __post_init__(self) -> None:
        c = self.config
        self.terminators = re.compile(c.get("terminators", r"[;:!?.,]"), re.IGNORECASE)
        self.negation = _any(c.get("negation_pre", []))
        self.negation_ignore = _any(c.get("negation_pre_ignore", []))
        self.hedge = _any(c.get("hedge_sentence", []))
        self.affection = _any(c.get("affection_sentence", []))
        self.reported = _any(c.get("reported_pre", []))
        self.self_speaker = _any([c.get("reported_self_speaker", "")])
        self.question_start = _any(c.get("question_sentence_start", []))
        self.question_no_mark = _any(c.get("question_no_mark", []))
        self.strong_terminators = re.compile(r"(?:\bbut\b|\bthough\b|\balthough\b|\bhowever\b|[;.!?])", re.IGNORECASE)
        self.retracted_pre = _any(c.get("retracted_pre", []))
        self.retracted_post = _any(c.get("retracted_post", []))
        self.next_sentence = _any(c.get("next_sentence", []))
        # affection shown in the next sentence ("She's a bossy little madam. I love her to bits."): labels and
        # traits only (optional key)
        self.affection_next = _any(c.get("affection_next", []))
        specific = c.get("specific_post")
        self.specific = re.compile(specific, re.IGNORECASE) if specific else None
        fiction = c.get("fiction_window")
        self.fiction = re.compile(fiction, re.IGNORECASE) if fiction else None

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
        clause = self.clause_before(pre)
        if self.negation and self.negation.search(clause):
            cleaned = self.negation_ignore.sub(" ", clause) if self.negation_ignore else clause
            if self.negation.search(cleaned):
                return "negated"
        if not question_ok and self._is_question(sentence, post):
            return "question"
        if self.hedge and (self.hedge.search(self._after_strong_stop(pre)) or self.hedge.search(post)
                           or self.hedge.search(sentence[start:end])):
            return "hedged"  # "maybe I'm unfair, but she's a control freak" stays a judgement
        if self._is_reported(pre):
            return "reported"
        if self.retracted_pre and self.retracted_pre.search(pre):
            return "retracted"
        if self.retracted_post and self.retracted_post.search(post):
            return "retracted"
        if kind == "trait" and self.specific and self.specific.search(post):
            return "specific_act"  # "she was so rude to the waiter tonight": one act, not the person
        if kind != "mind_reading" and self.affection and self.affection.search(sentence):
            return "affection"
        if self.next_sentence and after and self.next_sentence.search(after.lstrip()):
            return "retracted"
        if kind in ("label", "trait") and self.affection_next and after and self.affection_next.search(after.lstrip()):
            return "affection"
        if self.fiction:
            pieces = [p for p in re.split(r"[.!?]+\s*", before) if p.strip()]
            prev = pieces[-1] if pieces else ""
            if self.fiction.search(pre) or self.fiction.search(prev):
                return "fiction"
        return None

    def _after_strong_stop(self, pre: str) -> str:
        last = None
        for last in self.strong_terminators.finditer(pre):
            pass
        return pre[last.end():] if last else pre

    def _is_question(self, sentence: str, post: str) -> bool:
        stop = re.search(r"[.!?;,]", post)
        if stop and stop.group() == "?":
            return True
        if not stop and sentence.rstrip(" \"'”)").endswith("?"):
            return True
        if self.question_no_mark and self.question_no_mark.search(sentence):
            return True
        return bool(self.question_start and self.question_start.search(sentence) and "?" in sentence)

    def _is_reported(self, pre: str) -> bool:
        opens = sum(pre.count(q) for q in QUOTES_OPEN) - sum(pre.count(q) for q in "”")
        straight = pre.count('"')
        if (straight % 2 == 1) or opens > straight:  # inside a double-quoted stretch
            return not (self.self_speaker and self.self_speaker.search(pre))
        if re.search(r"(?:^|\s)'[^']*$", pre):  # inside a single-quoted stretch: 'ur hopeless'
            return not (self.self_speaker and self.self_speaker.search(pre))
        if self.reported:
            last_stop = None
            for last_stop in self.strong_terminators.finditer(pre):
                pass
            if last_stop is not None:
                pre = pre[last_stop.end():]
            hits = list(self.reported.finditer(pre))
            if hits:
                last = hits[-1]
                return not (self.self_speaker and self.self_speaker.search(pre[max(0, last.start() - 25): last.end()]))
        return False
