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

from .prefilter import trie_regex

CENSOR_CHARS = "*#@$!"


#: Capitalised words that start sentences but are not people (safety's whose-risk check, feelings' subjects).
NOT_NAMES = ("The|This|That|These|Those|It|Its|There|Here|What|When|Where|Why|How|Which|Who|And|But|So|Or|If|"
             "My|His|Her|Our|Their|Your|Everything|Nothing|Something|Life|Work|School|Today|Tonight|Yesterday|"
             "Tomorrow|Honestly|Seriously|Literally|Maybe|Perhaps|Well|Yes|No|Ok|Okay|Oh|Ugh|Lol|Omg|God|Then|"
             "Everyone|Everybody|Nobody|Someone|Somebody|Anyone|Anybody|Mine|One|Because|Also|Now|Still|Just|"
             "Even|Though|Although|All|Both|Some|Most|Many|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
             "Sunday|Reality|Karma|Traffic|Weather|Sometimes|Always|Never|Again|Last|Next|After|Before|"
             "First|Second|Third|Fourth|Fifth|Another|Every|Each|Other|"
             "Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve|Thirteen|Fourteen|Fifteen|Sixteen|Seventeen|"
             "Eighteen|Nineteen|Twenty|Thirty|Forty|Fifty|Sixty|Seventy|Eighty|Ninety|Hundred|Half|Several|Few|"
             "Tbh|Idk|Ngl|Real|Not|Night|Morning|Evening|Christmas|Easter|Covid|Anxiety|Depression|Grief|Sleep|"
             "On|In|At|For|With|From|By|To|Of|As|During|Since|Until|Once|While|Whenever|Yet|Plus|Anyway|Later|"
             "Earlier|Instead|Meanwhile|Apparently|Obviously|Luckily|Sadly|Thankfully|Hopefully|Basically|"
             # diaries start sentences with their verb ("Got home and hit my head"): not a name either
             "Got|Went|Came|Marked|Made|Had|Did|Took|Spent|Left|Told|Asked|Said|Found|Woke|Slept|Ate|Cooked|"
             "Cleaned|Walked|Ran|Drove|Sat|Stood|Picked|Put|Tried|Started|Finished|Called|Rang|Texted|Saw|Met|"
             "Watched|Played|Worked|Bought|Wrote|Tidied|Cried|Stayed|Moved|Gave|Felt|Thought|Kept|Lay|Dropped")


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


def term_atoms(term: str, *, censor: bool = True, elongate: bool = True) -> list[str]:
    """Regex atoms of one term: spaces match any whitespace or a hyphen, inner letters may be censored
    ("b*tch", "a**hole"), and a final letter may be elongated ("lazyyy")."""
    words = [w for w in re.split(r"[\s-]+", term.strip().lower()) if w]
    atoms: list[str] = []
    for n, word in enumerate(words):
        if n:
            atoms.append(r"[\s-]*")
        for i, ch in enumerate(word):
            esc = re.escape(ch)
            inner = 0 < i < len(word) - 1
            if censor and inner and ch.isalpha() and len(word) >= 4:
                atoms.append(f"[{esc}{re.escape(CENSOR_CHARS)}]")
            elif elongate and i == len(word) - 1 and ch.isalpha():
                atoms.append(f"{esc}+")
            else:
                atoms.append(esc)
    return atoms


def term_regex(term: str, *, censor: bool = True, elongate: bool = True) -> str:
    """Regex for one term (see :func:`term_atoms`)."""
    return "".join(term_atoms(term, censor=censor, elongate=elongate))


def alternation(terms: Iterable[str], *, plural: bool = False, **kw) -> str:
    """One non-capturing alternation of the terms, longest first so "drama queen" wins over "queen"; with
    ``plural``, each term may take "s"/"es", and a final consonant + "y" may become "ies".

    Built as a trie ("dram(?:a queen|atic)") rather than a flat list: Python's regex engine tries a flat
    alternation term by term at every position, which made word lists of a thousand terms the slowest part of
    every rule. The set of strings matched is the same; at each branch longer continuations are tried first.
    """
    uniq = {t.lower() for t in terms if t}
    if plural:  # "busybody" -> "busybodies", "lady" -> "ladies" ("-s"/"-es" come from the suffix below)
        uniq |= {t[:-1] + "ies" for t in uniq if len(t) > 2 and t[-1] == "y" and t[-2] not in "aeiou"}
    uniq = sorted(uniq, key=lambda t: (-len(t), t))
    body = trie_regex([term_atoms(t, **kw) for t in uniq])
    suffix = r"(?:e?s)?" if plural else ""
    return f"(?:{body}){suffix}"


@dataclass
class PatternSet:
    """Named regex fragments that rules may reference as ``{name}``."""

    fragments: dict[str, str] = field(default_factory=dict)
    capture: Mapping[str, str] = field(default_factory=dict)  # fragment -> group name to capture it as

    def expand(self, pattern: str) -> str:
        """Placeholders replaced by their fragments; a captured fragment used again in the same pattern (another
        alternative: ``(?:{label}|{trait_person})``) is captured as ``term_2``, ``term_3``…, since a group name may
        appear only once (read them with :func:`first_group`)."""
        used: dict[str, int] = {}

        def sub(match: re.Match) -> str:
            name = match.group(1)
            if name not in self.fragments:
                raise KeyError(f"unknown placeholder {{{name}}} in rule pattern")
            frag = self.fragments[name]
            group = self.capture.get(name)
            if group:
                used[group] = used.get(group, 0) + 1
                label = group if used[group] == 1 else f"{group}_{used[group]}"
                return f"(?P<{label}>{frag})"
            return f"(?:{frag})"

        return re.sub(r"\{([a-z_]+)\}", sub, pattern)


def first_group(match: re.Match, name: str) -> str | None:
    """The first of the groups ``name``, ``name_2``, ``name_3``… that took part in the match."""
    groups = match.groupdict()
    for key in (name, *(f"{name}_{i}" for i in range(2, 10))):
        if key not in groups:
            break
        if groups[key] is not None:
            return key
    return None


def compile_rule(pattern: str, patterns: PatternSet) -> re.Pattern:
    expanded = patterns.expand(pattern)
    try:
        return re.compile(expanded, re.IGNORECASE)
    except re.error as err:
        raise ValueError(f"rule pattern does not compile: {err}: {pattern!r}") from None


_IRREGULAR_BASE = {"does": "do", "goes": "go", "has": "have", "is": "are", "was": "were"}


def with_base_forms(phrases: Iterable[str]) -> list[str]:
    """Verb phrases in the third person ("twists my words", "stands up for me") plus their base forms ("you always
    twist my words", "my parents never stand up for me"), so a word list need only hold one of them."""
    out = list(phrases)
    seen = set(out)
    for phrase in list(out):
        first, _, rest = phrase.partition(" ")
        low = first.lower()
        if low in _IRREGULAR_BASE:
            base = _IRREGULAR_BASE[low]
        elif low.endswith("ies") and len(low) > 4:
            base = low[:-3] + "y"
        elif low.endswith(("sses", "shes", "ches", "xes", "zes")):
            base = low[:-2]
        elif low.endswith("s") and not low.endswith(("ss", "us", "is")) and len(low) > 3:
            base = low[:-1]
        else:
            continue
        form = f"{base} {rest}".strip()
        if form not in seen:
            seen.add(form)
            out.append(form)
    return out
