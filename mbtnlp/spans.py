"""Span helpers shared by the components: sentence lookup and overlap resolution in O(n log n)."""

from __future__ import annotations

from bisect import bisect_right, insort
from typing import Callable, Hashable, Iterable

from spacy.attrs import DEP, SENT_START


def sentence_index(bounds: list[tuple[int, int]], pos: int) -> int:
    """Index of the sentence holding character ``pos`` (bounds sorted, as spaCy gives them)."""
    if not bounds:
        return 0
    i = bisect_right(bounds, (pos, float("inf"))) - 1
    return min(max(i, 0), len(bounds) - 1)


def sentence_of(bounds: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """(start, end) of the sentence holding ``pos``; the whole text when there are no bounds."""
    if not bounds:
        return 0, pos
    return bounds[sentence_index(bounds, pos)]


def strip_span(text: str, start: int, end: int, keep_trailing: str = "") -> tuple[int, int]:
    """Shrink [start, end) to start and end on a letter or digit (or a trailing char in ``keep_trailing``)."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in keep_trailing):
        end -= 1
    return start, end


def keep_longest(cands: Iterable[dict], priority: Callable[[dict], tuple],
                 group: Callable[[dict], Hashable] = lambda c: None) -> list[dict]:
    """Of overlapping candidates (within a group), keep the first by ``priority``; return them by position."""
    kept: dict[Hashable, list[tuple[int, int]]] = {}
    out = []
    for c in sorted(cands, key=priority):
        spans = kept.setdefault(group(c), [])
        i = bisect_right(spans, (c["start"], float("inf")))
        if i > 0 and spans[i - 1][1] > c["start"]:
            continue
        if i < len(spans) and spans[i][0] < c["end"]:
            continue
        insort(spans, (c["start"], c["end"]))
        out.append(c)
    return out


_TEXT_KEY = "mbtnlp.text"


def doc_text(doc) -> str:
    """``doc.text``, read once per Doc: spaCy rebuilds it from every token on each access, and each of our
    components needs it. Cached in ``doc.user_data`` (a Doc's text never changes); the last component drops it."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[_TEXT_KEY] = text
    return text


def doc_sentence_bounds(doc) -> list[tuple[int, int]]:
    """Character ``(start, end)`` of each sentence, or the whole text as one when the Doc has no sentence
    boundaries. ``doc.has_annotation("SENT_START")`` builds a Token object for every token (twice: it asks about
    DEP first); one ``to_array`` call answers the same question."""
    if "sents" in doc.user_hooks or (len(doc) and doc.to_array([SENT_START, DEP]).any()):
        return [(s.start_char, s.end_char) for s in doc.sents]
    return [(0, len(doc_text(doc)))]


def drop_doc_text(doc) -> None:
    doc.user_data.pop(_TEXT_KEY, None)
