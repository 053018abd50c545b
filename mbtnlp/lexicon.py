"""Word lists and regular-expression rules read from data files.

Rules and lexicons are data, not code: a rule is a regular expression with ``{placeholders}`` that expand to
alternations built from the word lists (``{label}`` -> every term of ``labels.tsv``). Users extend a component by
adding lines to these files or passing extra rules; nothing here knows about particular words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping

CENSOR_CHARS = "*#@$!"


def resource_dir(name: str) -> Path:
    """Directory of a bundled resource folder (inside the installed package)."""
    return Path(str(resources.files("mbtnlp.resources") / name))


def read_terms(path: Path) -> list[list[str]]:
    """Rows of a TSV/TXT word list, skipping blank lines and ``#`` comments."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise ValueError(f"{path.name}, line {n}: not valid JSON ({err.msg})") from None
    return rows


def write_jsonl(path: Path, rows: Iterable[dict]) -> None:
    """The inverse of :func:`read_jsonl` (used by the components' ``to_disk``)."""
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def term_regex(term: str, *, censor: bool = True, elongate: bool = True) -> str:
    """Regex for one term: spaces match any whitespace or a hyphen, inner letters may be censored
    ("b*tch", "a**hole"), and a final letter may be elongated ("lazyyy")."""
    words = re.split(r"[\s-]+", term.strip().lower())
    parts = []
    for word in words:
        if not word:
            continue
        chars = []
        for i, ch in enumerate(word):
            esc = re.escape(ch)
            inner = 0 < i < len(word) - 1
            if censor and inner and ch.isalpha() and len(word) >= 4:
                chars.append(f"[{esc}{re.escape(CENSOR_CHARS)}]")
            elif elongate and i == len(word) - 1 and ch.isalpha():
                chars.append(f"{esc}+")
            else:
                chars.append(esc)
        parts.append("".join(chars))
    return r"[\s-]*".join(parts) if len(parts) > 1 else parts[0]


def alternation(terms: Iterable[str], *, plural: bool = False, **kw) -> str:
    """One non-capturing alternation, longest terms first so "drama queen" wins over "queen"."""
    uniq = sorted({t.lower() for t in terms if t}, key=lambda t: (-len(t), t))
    body = "|".join(term_regex(t, **kw) for t in uniq)
    suffix = r"(?:e?s)?" if plural else ""
    return f"(?:{body}){suffix}"


@dataclass
class PatternSet:
    """Named regex fragments that rules may reference as ``{name}``."""

    fragments: dict[str, str] = field(default_factory=dict)
    capture: Mapping[str, str] = field(default_factory=dict)  # fragment -> group name to capture it as

    def expand(self, pattern: str) -> str:
        used: set[str] = set()

        def sub(match: re.Match) -> str:
            name = match.group(1)
            if name not in self.fragments:
                raise KeyError(f"unknown placeholder {{{name}}} in rule pattern")
            frag = self.fragments[name]
            group = self.capture.get(name)
            if group and group not in used:
                used.add(group)
                return f"(?P<{group}>{frag})"
            return f"(?:{frag})"

        return re.sub(r"\{([a-z_]+)\}", sub, pattern)


def compile_rule(pattern: str, patterns: PatternSet) -> re.Pattern:
    expanded = patterns.expand(pattern)
    try:
        return re.compile(expanded, re.IGNORECASE)
    except re.error as err:
        raise ValueError(f"rule pattern does not compile: {err}: {pattern!r}") from None


# -- prefilters ---------------------------------------------------------------------------------------------------
try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _sre
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre  # type: ignore[no-redef]

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())


def required_literals(regex: re.Pattern) -> frozenset[str] | None:
    """Lowercase strings one of which every match of ``regex`` must contain, or None if none can be derived.

    Used to skip a rule cheaply (``any(s in text.lower() for s in literals)``) on texts it cannot match. The
    derivation is conservative: anything it does not understand yields None, and the rule always runs.
    """
    try:
        parsed = _sre.parse(regex.pattern, regex.flags & ~re.VERBOSE)
    except Exception:  # noqa: BLE001 - a pattern the parser cannot re-read: no prefilter
        return None
    return _required(list(parsed))


def _required(items: list) -> frozenset[str] | None:
    options: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            options.append(frozenset({"".join(run).lower()}))
            run.clear()

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        flush()
        sub: frozenset[str] | None = None
        if op is _c.SUBPATTERN:
            sub = _required(list(av[-1]))
        elif op is _c.BRANCH:
            branches = [_required(list(b)) for b in av[1]]
            if branches and all(b for b in branches):
                sub = frozenset().union(*branches)  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:
            sub = _required(list(av[2]))
        elif getattr(_c, "ATOMIC_GROUP", None) is not None and op is _c.ATOMIC_GROUP:
            sub = _required(list(av))
        if sub:
            options.append(sub)
    flush()
    if not options:
        return None
    # the most selective necessary set: longest shortest string, then fewest strings
    return max(options, key=lambda s: (min(len(x) for x in s), -len(s)))
