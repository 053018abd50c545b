"""spaCy factory registrations and Doc extensions, in one place.

Declared under the ``spacy_factories`` entry point too, so ``spacy.load()`` of a saved pipeline works in a worker
process that never imported mbtnlp. Extensions hold only plain (msgpack-safe) values; ``doc._.mbtnlp`` rebuilds the
rich :class:`~mbtnlp.results.Analysis` on demand.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .judgements import JudgementDetector

EXTENSIONS = ("mbtnlp_judgements", "mbtnlp_feelings", "mbtnlp_safety", "mbtnlp_mentalizing", "mbtnlp_prompts")


def register_extensions() -> None:
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Doc.has_extension("mbtnlp"):
        from .analysis import analysis_from_doc

        Doc.set_extension("mbtnlp", getter=analysis_from_doc)


register_extensions()


@Language.factory("mbtnlp_judgements", default_config={"rules": "default", "extra_rules": None},
                  assigns=["doc.spans", "doc._.mbtnlp_judgements"], requires=["doc.sents"])
def make_judgements(nlp: Language, name: str, rules: str, extra_rules: str | None) -> JudgementDetector:
    return JudgementDetector(nlp, name, rules=rules, extra_rules=extra_rules)


@Language.factory("mbtnlp_feelings", default_config={"threshold": 0.15, "gate": 0.45, "gate_unsignalled": 0.43,
                                                     "max_suggested": 4},
                  assigns=["doc._.mbtnlp_feelings"], requires=["doc._.mbtnlp_judgements"])
def make_feelings(nlp: Language, name: str, threshold: float, gate: float, gate_unsignalled: float,
                  max_suggested: int):
    from .feelings import FeelingLabeller

    return FeelingLabeller(nlp, name, threshold=threshold, gate=gate, gate_unsignalled=gate_unsignalled,
                           max_suggested=max_suggested)


@Language.factory("mbtnlp_safety", default_config={"rules": "default", "risk_model": "default", "risk_threshold": 0.5,
                                                  "abuse_model": "default", "abuse_threshold": 0.7,
                                                  "caution_threshold": 0.3, "third_party_model": "default",
                                                  "third_party_threshold": 0.7},
                  assigns=["doc._.mbtnlp_safety"])
def make_safety(nlp: Language, name: str, rules: str, risk_model: str | None, risk_threshold: float,
                abuse_model: str | None, abuse_threshold: float, caution_threshold: float,
                third_party_model: str | None, third_party_threshold: float):
    from .safety import SafetyGate

    return SafetyGate(nlp, name, rules=rules, risk_model=risk_model, risk_threshold=risk_threshold,
                      abuse_model=abuse_model, abuse_threshold=abuse_threshold,
                      caution_threshold=caution_threshold, third_party_model=third_party_model,
                      third_party_threshold=third_party_threshold)


@Language.factory("mbtnlp_mentalizing", default_config={"min_words": 12}, assigns=["doc._.mbtnlp_mentalizing"],
                  requires=["doc._.mbtnlp_judgements", "doc._.mbtnlp_safety"])
def make_mentalizing(nlp: Language, name: str, min_words: int):
    from .mentalizing import MentalizingScorer

    return MentalizingScorer(nlp, name, min_words=min_words)


@Language.factory("mbtnlp_prompts", default_config={"max_prompts": 4, "locale": "default"},
                  assigns=["doc._.mbtnlp_prompts"],
                  requires=["doc._.mbtnlp_judgements", "doc._.mbtnlp_feelings", "doc._.mbtnlp_safety"])
def make_prompts(nlp: Language, name: str, max_prompts: int, locale: str):
    from .prompts import PromptWriter

    return PromptWriter(nlp, name, max_prompts=max_prompts, locale=locale)
