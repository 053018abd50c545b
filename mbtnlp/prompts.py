"""MBT prompts: the ``mbtnlp_prompts`` component.

Short, tentative questions in a not-knowing voice, built from the other components' plain output. The safety
gate overrides everything: under a risk or abuse flag only validation and safety prompts are produced, never an
invitation to explain the other person's behaviour (design notes SR-3, SR-4).
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .lexicon import read_terms, resource_dir
from .spans import doc_text, drop_doc_text

#: prompts that invite other explanations of someone's behaviour: never under a safety flag, nor under caution
OTHERS_KINDS = ("alternative", "perspective", "consequence")
QUESTION_KINDS = ("feeling", "antecedent", "alternative", "perspective", "consequence", "pattern", "self_compassion")
SHE = {"mom", "mum", "mother", "mommy", "mama", "sister", "sis", "aunt", "auntie", "wife", "girlfriend", "gf",
       "daughter", "grandma", "grandmother", "nan", "nana", "gran", "granny", "niece", "stepmom", "stepmum",
       "stepmother", "fiancee", "fiancée", "landlady", "mother-in-law", "sister-in-law", "ex-girlfriend", "ex-wife",
       "bestie", "girl", "woman", "lady"}
HE = {"dad", "father", "daddy", "papa", "brother", "bro", "uncle", "husband", "boyfriend", "bf", "son", "grandpa",
      "grandfather", "nephew", "stepdad", "stepfather", "fiance", "fiancé", "landlord", "father-in-law",
      "brother-in-law", "ex-boyfriend", "ex-husband", "hubby", "guy", "man", "dude"}
#: Fallback when a user's template file has no "relationship_cues" (the bundled en.json has them, as data).
RELATION_CUES = {
    "subject_order": ["partner", "family", "work", "friend"],
    "text_order": ["friend", "partner", "family", "work"],
    "partner": r"\b(?:boyfriend|girlfriend|bf|gf|husband|wife|partner|fianc[eé]e?|hubby|dating|date|ex)\b",
    "family": r"\b(?:mom|mum|mother|dad|father|sister|brother|sis|bro|aunt|uncle|cousin|grandma|grandpa|nan|son|"
              r"daughter|parents?|in-laws?|stepmom|stepdad|family)\b",
    "work": r"\b(?:boss|manager|coworkers?|co-workers?|colleagues?|supervisor|team\s*lead|work|office|shift)\b",
    "friend": r"\b(?:friends?|bff|bestie|mate|buddy|pal|roommates?|flatmates?|housemates?)\b",
}


# relationship words written as a name ("Mum said", "Coach made us run"): kept as written, like a name
_CALLED_BY_NAME = frozenset("mum mom mam dad mama papa nan nana gran granny grandma grandpa grandad coach sis bro "
                            "auntie aunty aunt uncle".split())


class Mention:
    """The judged person as addressed to the writer ("my mom" -> "your mom")."""

    def __init__(self, who: str) -> None:
        w = (who or "").strip()
        low = w.lower()
        words = low.split()
        head = words[-1] if words else ""
        joint = "and" in words[1:-1] or "&" in words[1:-1]  # "my mum and dad", "Jake and Priya": they
        self.plural = False
        if low in ("she", "her"):
            self.subj, self.obj, self.poss, self.pron = "she", "her", "her", "she"
        elif low in ("he", "him"):
            self.subj, self.obj, self.poss, self.pron = "he", "him", "his", "he"
        elif low in ("they", "them", "", "you", "u", "everyone", "everybody", "nobody", "no one", "people", "ppl"):
            self.subj, self.obj, self.poss, self.pron = "they", "them", "their", "they"
            self.plural = True
        elif words and words[0] in ("my", "our", "all", "both"):
            # "my mom" -> "your mom"; "all my friends" -> "your friends"
            rest = re.sub(r"^(?:all|both)\s+(?:of\s+)?", "", w, flags=re.IGNORECASE)
            rest = re.sub(r"^(?:my|our)\s+", "", rest, flags=re.IGNORECASE)
            self.subj = self.obj = f"your {rest}"
            self.plural = joint or words[0] in ("all", "both") or (head.endswith("s") and head not in ("boss", "bus"))
            self.poss = f"your {rest}'" if self.plural and head.endswith("s") else f"your {rest}'s"
            self.pron = "they" if self.plural else ("she" if head in SHE else "he" if head in HE else "they")
        elif words and words[0] in ("his", "her", "their", "the", "this", "that"):
            self.subj = self.obj = w[0].lower() + w[1:]
            self.poss = f"{self.subj}'s"
            self.plural = joint or (head.endswith("s") and head != "boss")
            self.pron = "they" if self.plural else ("she" if head in SHE else "he" if head in HE else "they")
        elif len(words) == 1 and low.rstrip("s") in _person_words() and (w == low or low not in _CALLED_BY_NAME):
            # a bare person noun from chat ("landlord is a greedy crook fr") -> "your landlord"
            self.subj = self.obj = f"your {low}"
            self.plural = low.endswith("s") and low not in ("boss", "bus")
            self.poss = f"your {low}'" if self.plural else f"your {low}'s"
            self.pron = "they" if self.plural else ("she" if low in SHE else "he" if low in HE else "they")
        else:  # a name, kept as written
            self.subj = self.obj = w
            self.poss = f"{w}'" if w.endswith("s") and not joint else f"{w}'s"
            self.pron = "they"
            self.plural = joint
        self.surface = self.obj

    @property
    def were(self) -> str:
        return "were" if self.plural or self.pron == "they" else "was"

    def fill(self) -> dict[str, str]:
        is_pronoun = self.subj in ("she", "he", "they")  # a second mention of "she" is "she" again
        return {"subj": self.subj, "obj": self.obj, "poss": self.poss, "Subj": self.subj[:1].upper() + self.subj[1:],
                "subj_pron": self.subj if is_pronoun else self.pron, "were": self.were,
                "obj_pron": self.obj if is_pronoun else {"she": "her", "he": "him"}.get(self.pron, "them")}


_BARE_PRONOUNS = {"she", "he", "they", "her", "him", "them"}


def _named(main: dict, others: list[dict], text: str = "") -> str:
    """The judged person's most telling mention: "my roommates are so lazy, they never clean" is about "my
    roommates", not "they". A pronoun takes the nearest earlier mention that agrees with it (a plural for "they";
    for "she"/"he", a mention of that gender or a name)."""
    who = main["who"]
    pron = who.lower()
    if pron not in _BARE_PRONOUNS:
        return who
    for j in sorted(others, key=lambda j: -j["start"]):
        if j["start"] >= main["start"] or j["who"].lower() in _BARE_PRONOUNS | {"you", "u", "i"}:
            continue
        m = Mention(j["who"])
        if _agrees(pron, m):
            return j["who"]
    # no judgement names them: the nearest "my/our <person>" before the pronoun ("my flatmates are so messy,
    # they never wash up")
    people = _person_words()
    for found in reversed(list(_MY_PERSON.finditer(text, 0, main["start"]))):
        for head in (2, 1):  # "my best friend" (two words), else "my flatmates"
            word = found.group(head)
            if word and word.lower().rstrip("s") in people:
                mention = text[found.start():found.end(head)]
                if _agrees(pron, Mention(mention)):
                    return mention
                break
    return who


def _agrees(pron: str, m: "Mention") -> bool:
    return ((pron in ("they", "them") and m.plural) or (pron in ("she", "her") and m.pron in ("she", "they")
                                                         and not m.plural)
            or (pron in ("he", "him") and m.pron in ("he", "they") and not m.plural))


_MY_PERSON = re.compile(r"\b(?:my|our)\s+([\w-]+)(?:\s+([\w-]+))?", re.IGNORECASE)


@lru_cache(maxsize=1)
def _person_words() -> frozenset[str]:
    """The person nouns of the judgement word list (``resources/judgements/persons.tsv``), singular."""
    rows = read_terms(resource_dir("judgements") / "persons.tsv")
    return frozenset(r[0].lower().rstrip("s") for r in rows if " " not in r[0])


def _choose(options: list[str], text: str, kind: str) -> str:
    """Deterministic, varied choice: the same text always gets the same variant."""
    h = int(hashlib.sha256(f"{kind}\x00{text}".encode("utf-8")).hexdigest()[:8], 16)
    return options[h % len(options)]


class PromptWriter:
    """Builds the prompts for one entry from the judgements, feelings and safety flags."""

    def __init__(self, nlp: Language | None = None, name: str = "mbtnlp_prompts", *, templates: str = "default",
                 max_prompts: int = 4, locale: str = "default") -> None:
        self.name = name
        path = resource_dir("prompts") / "en.json" if templates in (None, "default") else Path(templates)
        self.templates: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        self.max_prompts = max_prompts
        self.locale = locale

    def __call__(self, doc: Doc) -> Doc:
        doc._.mbtnlp_prompts = self.write(doc_text(doc), doc._.mbtnlp_judgements or [], doc._.mbtnlp_feelings or [],
                                          doc._.mbtnlp_safety or {})
        drop_doc_text(doc)  # the last component: leave user_data as it found it
        return doc

    def write(self, text: str, judgements: list[dict], feelings: list[dict], safety: dict) -> list[dict]:
        if not text.strip():
            return []
        if safety.get("risk") or safety.get("abuse") or safety.get("third_party"):
            return self._safety(text, safety)  # someone else at risk or harmed: support, never other explanations
        t = self.templates
        others = [j for j in judgements if j["target"] == "other"]
        selves = [j for j in judgements if j["target"] == "self"]
        suggested = [f["name"] for f in feelings if f["status"] == "suggested"]
        expressed = [f["name"] for f in feelings if f["status"] == "expressed"]
        if not (others or selves or suggested or expressed):
            return []  # nothing interpersonal or painful to work with: stay quiet
        main = max(others, key=lambda j: (j["severity"], -j["start"])) if others else None
        who = Mention(_named(main, others, text)) if main else None
        fill = who.fill() if who else Mention("").fill()
        fill["relationship"] = self._relationship(text, who)
        out: list[dict] = []
        validation = t["validation_self"] if selves and not others else t["validation"]
        out.append({"kind": "validation", "text": _choose(validation, text, "validation"), "about": None,
                    "feeling": None})
        questions: list[dict] = []
        if suggested:
            phrases = [self._feeling_phrase(f, fill) for f in suggested[:2]]
            fill["feelings"] = ", or ".join(phrases)
            questions.append(self._q("feeling", text, fill, about=None, feeling=suggested[0]))
        elif not expressed:
            questions.append({"kind": "feeling", "text": _choose(t["feeling_open"], text, "feeling_open"),
                              "about": None, "feeling": None})
        if judgements:
            options = t["antecedent"] if who else [x for x in t["antecedent"] if "{obj}" not in x]
            chosen = _choose(options, text, "antecedent")
            questions.append({"kind": "antecedent", "text": chosen.format(**fill),
                              "about": fill["obj"] if "{obj}" in chosen else None, "feeling": None})
        if selves:
            questions.append(self._q("self_compassion", text, fill, about=None))
        if main:
            kind = "alternative" if main["kind"] in ("label", "trait", "mind_reading", "overgeneralization") else "perspective"
            if main["kind"] == "overgeneralization" and len(text) % 2:  # vary between the two families
                kind = "perspective"
            questions.append(self._q(kind, text, fill, about=fill["obj"]))
            questions.append(self._q("consequence", text, fill, about=fill["relationship"]))
        elif suggested and len(questions) < self.max_prompts:
            fill["feeling_one"] = self._feeling_phrase(suggested[0], fill)
            questions.append(self._q("pattern", text, fill, about=None, feeling=suggested[0]))
        if safety.get("caution"):  # close to a safety flag: do not invite other explanations of anyone's acts
            questions = [q for q in questions if q["kind"] not in OTHERS_KINDS]
        return out + questions[: self.max_prompts]

    # -- pieces ----------------------------------------------------------------------------------------
    def _q(self, kind: str, text: str, fill: dict, *, about: str | None, feeling: str | None = None) -> dict:
        return {"kind": kind, "text": _choose(self.templates[kind], text, kind).format(**fill), "about": about,
                "feeling": feeling}

    def _feeling_phrase(self, feeling: str, fill: dict) -> str:
        return self.templates["feeling_phrases"].get(feeling, feeling.replace("_", " ")).format(**fill)

    def _relationship(self, text: str, who: Mention | None) -> str:
        rel = self.templates["relationships"]
        if who is None:
            return "things between you"
        cues = self.templates.get("relationship_cues", RELATION_CUES)
        for order, probe in (("subject_order", who.subj), ("text_order", f"{who.subj} {text}")):
            for kind in cues[order]:
                if kind in rel and re.search(cues[kind], probe, re.IGNORECASE):
                    return rel[kind].format(obj=who.obj)
        return rel["default"].format(obj=who.obj)

    def _safety(self, text: str, safety: dict) -> list[dict]:
        from .safety import support_resources

        support = support_resources(self.locale)
        lines = [f"{c['name']} ({c['contact']})" if c.get("contact") else c["name"]
                 for c in support.get("crisis_lines", [])]
        crisis = lines[0] if lines else "a crisis line or emergency service near you"
        key = ("safety_risk" if safety.get("risk") else "safety_abuse" if safety.get("abuse")
               else "safety_third_party")
        prompts = []
        for i, line in enumerate(self.templates.get(key) or self.templates["safety_abuse"]):
            kind = "validation" if i == 0 else "safety"
            prompts.append({"kind": kind, "text": line.format(crisis=crisis), "about": None, "feeling": None})
        if safety.get("risk") and safety.get("abuse"):
            prompts.insert(1, {"kind": "validation", "text": "What happened to you is not your fault.",
                               "about": None, "feeling": None})
        return prompts
