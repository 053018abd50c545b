"""Cheap, exact pre-checks that decide which regex rules can match a text before any of them runs.

A rule set of a few hundred regexes is slow to try on every text, yet on a typical journal entry almost none of
them can match. From each compiled regex we derive a *literal condition* (which literal strings a match must
contain, with the and/or structure of the pattern) and whether a match can cross a sentence end. One trie-shaped
regex pass (:class:`LiteralIndex`) then finds which literals a text (or each of its sentences) holds, and
:class:`RuleScreen` runs only the rules whose condition holds, on only the sentences that hold it. Every check is
conservative: a rule is skipped only where it could not have matched, so results equal running every rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Sequence

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _sre
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre  # type: ignore[no-redef]

@lru_cache(maxsize=64)
def _parse(pattern: str, flags: int):
    return _sre.parse(pattern, flags & ~re.VERBOSE)


def _parsed(regex: re.Pattern):
    """The parsed regex, shared by the checks below (parsing a 20,000-character pattern is not free)."""
    return _parse(regex.pattern, regex.flags)


_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())


Condition = tuple  # ("any", frozenset[str]) | ("all", tuple[Condition, ...]) | ("or", tuple[Condition, ...])


def literal_condition(regex: re.Pattern) -> Condition | None:
    """A necessary condition on the literals of any match of ``regex``, or None when none can be derived.

    The structure is kept: every part of a sequence is required (``all``) and a branch needs only one of its
    alternatives (``or``), so ``he ... hit|she ... slapped`` runs only when a person word *and* a violence word
    occur. Check it with :func:`holds` against
    the strings a :class:`LiteralIndex` found.
    """
    try:
        parsed = _parsed(regex)
    except Exception:  # noqa: BLE001
        return None
    return _condition(list(parsed))


def _condition(items: list) -> Condition | None:
    parts: list[Condition] = []
    run: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            parts.append(("any", frozenset({"".join(run).lower()})))
            run.clear()
        sub: Condition | None = None
        if op is _c.SUBPATTERN:
            sub = _condition(list(av[-1]))
        elif op in _REPEATS and av[0] >= 1:
            sub = _condition(list(av[2]))
        elif getattr(_c, "ATOMIC_GROUP", None) is not None and op is _c.ATOMIC_GROUP:
            sub = _condition(list(av))
        elif op is _c.BRANCH:
            branches = [_condition(list(b)) for b in av[1]]
            if branches and all(b is not None for b in branches):
                sub = _merge_or(branches)  # type: ignore[arg-type]
        if sub is not None:
            parts.append(sub)
    if run:
        parts.append(("any", frozenset({"".join(run).lower()})))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else ("all", tuple(parts))


def _merge_or(branches: list[Condition]) -> Condition:
    """``a|b|c`` of plain literal sets is one ``any`` set; mixed branches stay an ``or``."""
    if all(b[0] == "any" for b in branches):
        return ("any", frozenset().union(*(b[1] for b in branches)))
    return ("or", tuple(branches))


def condition_literals(cond: Condition | None) -> set[str]:
    if cond is None:
        return set()
    if cond[0] == "any":
        return set(cond[1])
    return set().union(*(condition_literals(c) for c in cond[1]))


def simplify(cond: Condition | None, min_len: int = 3) -> Condition | None:
    """Drop parts too weak to filter anything (a set holding a string shorter than ``min_len``, like "d" or
    "he"); a dropped conjunct only weakens the condition, a weak alternative makes its whole ``or`` always true."""
    if cond is None:
        return None
    kind, arg = cond
    if kind == "any":
        return None if any(len(x) < min_len for x in arg) else cond
    parts = [simplify(c, min_len) for c in arg]
    if kind == "all":
        kept = [c for c in parts if c is not None]
        return None if not kept else kept[0] if len(kept) == 1 else ("all", tuple(kept))
    if any(c is None for c in parts):
        return None
    return _merge_or(parts)  # type: ignore[arg-type]


def _rarity(cond: Condition) -> int:
    kind, arg = cond
    if kind == "any":
        return min(len(x) for x in arg)
    scores = [_rarity(c) for c in arg]
    return max(scores) if kind == "all" else min(scores)


def key_set(cond: Condition) -> frozenset[str]:
    """One set of literals of which a text satisfying ``cond`` holds at least one."""
    kind, arg = cond
    if kind == "any":
        return arg
    if kind == "all":
        return key_set(max(arg, key=_rarity))
    return frozenset().union(*(key_set(c) for c in arg))


def compile_condition(cond: Condition | None):
    """``present -> bool`` for a condition, as one flat boolean expression (the tree walk is too slow per text).

    The generated source holds only indices into a list of the condition's own literal sets and ``and``/``or``.
    """
    if cond is None:
        return lambda present: True
    sets: list[frozenset[str]] = []

    def expr(c: Condition) -> str:
        kind, arg = c
        if kind == "any":
            sets.append(arg)
            return f"not S[{len(sets) - 1}].isdisjoint(p)"
        if kind == "all":  # rarest part first (longer literals are rarer), so most checks stop early
            return "(" + " and ".join(expr(x) for x in sorted(arg, key=_rarity, reverse=True)) + ")"
        return "(" + " or ".join(expr(x) for x in arg) + ")"

    body = expr(cond)
    if cond[0] != "any":  # one necessary set checked first: most texts fail here, in one C call
        sets.append(key_set(cond))
        body = f"not S[{len(sets) - 1}].isdisjoint(p) and {body}"
    source = f"lambda p: {body}"
    return eval(source, {"__builtins__": {}, "S": sets})  # noqa: S307 - indices and and/or only, built above


def trie_regex(sequences: list[list[str]]) -> str:
    """A regex matching exactly the given sequences of atoms, shaped as a trie (longest continuation first)."""
    trie: dict = {}
    for seq in sequences:
        node = trie
        for atom in seq:
            node = node.setdefault(atom, {})
        node[""] = {}

    def depth(node: dict) -> int:
        return max((1 + depth(child) for atom, child in node.items() if atom), default=0)

    def build(node: dict) -> str:
        children = sorted(((a, c) for a, c in node.items() if a), key=lambda ac: -depth(ac[1]))
        alts = [atom + build(child) for atom, child in children]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie) if trie else "(?!)"


class LiteralIndex:
    """Which of many literal strings occur in a text, found in one regex pass.

    The strings are compiled into one trie-shaped regex tried at every position (longest string first); every
    string that occurs is a substring of one found there, so a precomputed substring closure makes the answer
    exact. Used to skip rules whose necessary literals (:func:`literal_condition`) are absent.
    """

    def __init__(self, literals: Iterable[str]) -> None:
        lits = sorted({s for s in literals if s})
        known = set(lits)
        self._closure = {s: frozenset(s[i:j] for i in range(len(s)) for j in range(i + 1, len(s) + 1)
                                      if s[i:j] in known) for s in lits}
        self._regex = re.compile(f"(?=({trie_regex([[re.escape(c) for c in s] for s in lits])}))", re.DOTALL) \
            if lits else None

    def present(self, low: str) -> set[str]:
        """The indexed strings occurring in ``low`` (already lowercased)."""
        found: set[str] = set()
        if self._regex is None:
            return found
        closure = self._closure
        for hit in set(self._regex.findall(low)):
            found |= closure[hit]
        return found


def may_cross(regex: re.Pattern, chars: str = ".!?") -> bool:
    """Could a match of ``regex`` contain one of ``chars`` (or depend on the string's end)? Conservative: True
    when unsure. A rule that cannot is sentence-local and may be run on the sentences holding its literals only."""
    try:
        parsed = _parsed(regex)
    except Exception:  # noqa: BLE001
        return True
    return _may_match(list(parsed), {ord(c) for c in chars})


_WIDE_CATEGORIES = {getattr(_c, n) for n in ("CATEGORY_NOT_WORD", "CATEGORY_NOT_SPACE", "CATEGORY_NOT_DIGIT",
                                              "CATEGORY_NOT_LINEBREAK") if hasattr(_c, n)}


def _may_match(items: list, codes: set[int]) -> bool:
    for op, av in items:
        if op is _c.LITERAL:
            if av in codes:
                return True
        elif op in (_c.NOT_LITERAL, _c.ANY) or op is _c.AT and av in (_c.AT_END, _c.AT_END_STRING):
            return True
        elif op is _c.IN:
            if any(_in_class(av, c) for c in codes):
                return True
        elif op is _c.SUBPATTERN:
            if _may_match(list(av[-1]), codes):
                return True
        elif op is _c.BRANCH:
            if any(_may_match(list(b), codes) for b in av[1]):
                return True
        elif op in _REPEATS:
            if _may_match(list(av[2]), codes):
                return True
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            if _may_match(list(av[1]), codes):
                return True
        elif getattr(_c, "ATOMIC_GROUP", None) is not None and op is _c.ATOMIC_GROUP:
            if _may_match(list(av), codes):
                return True
        elif op in (_c.GROUPREF, _c.GROUPREF_EXISTS, getattr(_c, "GROUPREF_IGNORE", None)):
            return True
    return False


def _in_class(items: list, code: int) -> bool:
    """Does the character class ``items`` match ``code`` (a punctuation character)? True when unsure."""
    negate = False
    hit = False
    for op, av in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            hit = hit or av == code
        elif op is _c.RANGE:
            hit = hit or av[0] <= code <= av[1]
        elif op is _c.CATEGORY:
            hit = hit or av in _WIDE_CATEGORIES
        else:  # an op this check does not model
            return True
    return hit != negate


@dataclass(frozen=True)
class _Source:
    """A pattern not compiled yet (the prefilter checks only parse it)."""

    pattern: str
    flags: int


class RuleScreen:
    """Runs many regexes over a text, skipping those (and the sentences) that cannot match.

    ``matches(text)`` yields ``(rule_index, match)`` in rule order, each rule's matches in text order, as
    ``regex.finditer(text)`` for every regex in turn would. With ``split=True`` a rule that is a long
    alternation ("a|b|c|...") is screened alternative by alternative (each has its own, sharper literals) and its
    matches merged as the alternation would pick them: leftmost first, the earlier alternative on a tie, then on
    from the end of the match.
    """

    def __init__(self, regexes: Sequence[re.Pattern | str], min_len: int = 2, split: bool = False,
                 flags: int = 0, lazy: bool = False) -> None:
        # patterns given as strings are compiled here (with ``flags``), and when split only alternative by
        # alternative: compiling a rule set of a few hundred large patterns twice was most of the start-up time
        self._sources = [(rx, flags) if isinstance(rx, str) else (rx.pattern, rx.flags) for rx in regexes]
        self._compiled = {i: rx for i, rx in enumerate(regexes) if not isinstance(rx, str)}
        self._split_rules: set[int] = set()
        parts: list[_Source] = []
        self._owner: list[tuple[int, int]] = []  # part -> (rule, order of the alternative)
        for i, (pattern, rx_flags) in enumerate(self._sources):
            alts = split_alternatives(pattern) if split else [pattern]
            if len(alts) > 1:
                self._split_rules.add(i)
            for order, alt in enumerate(alts):
                parts.append(_Source(alt, rx_flags))
                self._owner.append((i, order))
        self.parts = parts
        # compiled on first use when ``lazy`` (bundled, tested rules: start-up stays short); else now, so a
        # bad pattern fails at once
        self._regexes: list[re.Pattern | None] = [
            self._compiled.get(i) if i not in self._split_rules else None for i, _ in self._owner]
        if not lazy:
            for j in range(len(parts)):
                self._part(j)
        conds, self.local = [], []
        for rx in parts:  # one parse of each part serves both checks
            conds.append(simplify(literal_condition(rx), min_len))
            self.local.append(not may_cross(rx))
        self.conditions: list[Callable[[set[str]], bool]] = [compile_condition(c) for c in conds]
        # inverted index: literal -> parts that need it (or another literal of their key set); parts without a
        # condition are always candidates
        self._always = [i for i, c in enumerate(conds) if c is None]
        self._by_literal: dict[str, list[int]] = {}
        for i, c in enumerate(conds):
            if c is not None:
                for lit in key_set(c):
                    self._by_literal.setdefault(lit, []).append(i)
        literals = set().union(*map(condition_literals, conds)) if conds else set()
        self.index = LiteralIndex(literals)
        self._literal_crosses = any(re.search(r"[.!?]\s", lit) for lit in literals)

    def _part(self, j: int) -> re.Pattern:
        rx = self._regexes[j]
        if rx is None:
            rx = self._regexes[j] = re.compile(self.parts[j].pattern, self.parts[j].flags)
        return rx

    @property
    def rules(self) -> list[re.Pattern]:
        """The whole rules, compiled (for inspection and tests; matching uses the parts)."""
        return [self._compiled.get(i) or re.compile(p, f) for i, (p, f) in enumerate(self._sources)]

    def present(self, text: str) -> tuple[set[str], list[tuple[int, int, set[str]]]]:
        """Literals in the whole text, and per sentence window ``(start, end, literals)``."""
        low = text.lower()
        windows = sentence_windows(text)
        if len(windows) == 1:
            present = self.index.present(low)
            return present, [(0, len(text), present)]
        spans = [(s, e, self.index.present(low[s:e])) for s, e in windows]
        present = self.index.present(low) if self._literal_crosses else set().union(*(h for _, _, h in spans))
        return present, spans

    def candidates(self, present: set[str]) -> list[int]:
        """Indices of the parts whose literal condition the text satisfies, in order."""
        hit = set(self._always)
        by_literal = self._by_literal
        for lit in present:
            parts = by_literal.get(lit)
            if parts:
                hit.update(parts)
        conditions = self.conditions
        return [i for i in sorted(hit) if conditions[i](present)]

    def run(self, i: int, text: str, spans: list[tuple[int, int, set[str]]],
            reject: Callable[[str, int], bool] | None = None) -> Iterator[re.Match]:
        """Matches of part ``i`` (already known to be a candidate) in ``text``.

        ``reject(text, start)``: a match starting there is refused and the search goes on from ``start + 1``, as
        if the regex began with a look-behind (cheaper: it is checked on matches only, not at every position).
        """
        regex = self._part(i)
        if not self.local[i] or len(spans) == 1:
            windows = [(0, len(text))]
        else:
            cond = self.conditions[i]
            windows = [(s, e) for s, e, here in spans if cond(here)]
        for s, e in windows:
            if reject is None:
                yield from regex.finditer(text, s, e)
                continue
            pos = s
            while pos <= e:
                m = regex.search(text, pos, e)
                if m is None:
                    break
                if reject(text, m.start()):
                    pos = m.start() + 1
                    continue
                yield m
                pos = m.end() if m.end() > m.start() else m.end() + 1

    def matches(self, text: str, reject: Callable[[str, int], bool] | None = None,
                allow: Callable[[int], bool] | None = None) -> Iterator[tuple[int, re.Match]]:
        """``(rule, match)`` pairs; ``allow(rule)`` (optional) is asked once for each rule that could match."""
        present, spans = self.present(text)
        current, found, allowed = -1, [], True
        for j in self.candidates(present):
            rule, order = self._owner[j]
            if rule != current:
                yield from self._merged(current, found)
                current, found = rule, []
                allowed = allow is None or allow(rule)
            if not allowed:
                continue
            if rule in self._split_rules:
                found.extend((m.start(), order, m) for m in self.run(j, text, spans, reject))
            else:
                yield from ((rule, m) for m in self.run(j, text, spans, reject))
        yield from self._merged(current, found)

    @staticmethod
    def _merged(rule: int, found: list[tuple[int, int, re.Match]]) -> Iterator[tuple[int, re.Match]]:
        if not found:
            return
        if len(found) > 1:
            found.sort(key=lambda x: (x[0], x[1]))
        end = -1
        for start, _order, m in found:
            if start < end:
                continue  # the alternation would have consumed this stretch already
            end = max(m.end(), start + 1)
            yield rule, m


_SENT_END = re.compile(r"[.!?]+(?=\s)")


@lru_cache(maxsize=8)
def sentence_windows(text: str) -> tuple[tuple[int, int], ...]:
    """Spans ending right after a run of ".!?" followed by space: a match that cannot contain ".", "!" or "?"
    never crosses one, and lookbehinds still see the whole text, so matching inside a window is exact."""
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(text)))
    return tuple(out)


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` ("(?:a|b)|c" -> ["a", "b", "c"]), unwrapping a group that spans
    the whole pattern. Each one can then be screened on its own literals: a 300-way alternation of phrases is
    slow to try at every position, while the few phrases whose words occur are fast."""
    parts = _split_top(pattern)
    out: list[str] = []
    for part in parts:
        inner = _unwrap(part)
        out.extend(split_alternatives(inner) if inner is not None else [part])
    return out


def _scan(pattern: str) -> Iterator[tuple[int, str]]:
    """``(index, char)`` of the characters that are syntax: not escaped and not inside a character class."""
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i = _class_body(pattern, i)
            continue
        else:
            yield i, ch
        i += 1


def _split_top(pattern: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in _scan(pattern):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


def _unwrap(part: str) -> str | None:
    """"(?:x)" -> "x" when that group spans the whole part and is not repeated; else None."""
    if not (part.startswith("(?:") and part.endswith(")")):
        return None
    depth = 0
    for i, ch in _scan(part):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0 and i != len(part) - 1:
                return None
    return part[3:-1]


def _class_body(pattern: str, i: int) -> int:
    """Index just past "[", "[^", "[]" or "[^]" (a leading "]" is a literal in a character class)."""
    j = i + 1
    if pattern[j:j + 1] == "^":
        j += 1
    if pattern[j:j + 1] == "]":
        j += 1
    return j
