"""Rebuild the frozen :class:`Analysis` from the plain values stored on a Doc."""

from __future__ import annotations

from spacy.tokens import Doc

from .results import Analysis, Evidence, Feeling, Judgement, Mentalizing, Prompt, Safety


def _evidence(items) -> tuple[Evidence, ...]:
    return tuple(Evidence(e["text"], e["start"], e["end"], e.get("cue", "")) for e in items or ())


def analysis_from_doc(doc: Doc) -> Analysis:
    judgements = tuple(Judgement(j["text"], j["start"], j["end"], j["kind"], j["target"], j["who"],
                                 j["severity"], j.get("rule", "")) for j in doc._.mbtnlp_judgements or ())
    feelings = tuple(Feeling(f["name"], f["status"], f["score"], _evidence(f.get("evidence")))
                     for f in doc._.mbtnlp_feelings or ())
    prompts = tuple(Prompt(p["kind"], p["text"], p.get("about"), p.get("feeling")) for p in doc._.mbtnlp_prompts or ())
    s = doc._.mbtnlp_safety or {}
    safety = Safety(bool(s.get("risk")), bool(s.get("abuse")), bool(s.get("third_party")), _evidence(s.get("evidence")),
                    bool(s.get("caution")))
    m = doc._.mbtnlp_mentalizing
    if m:
        mentalizing = Mentalizing(m.get("score"), dict(m.get("markers", {})), _evidence(m.get("evidence")),
                                  bool(m.get("scored")), m.get("reason", ""))
    else:
        mentalizing = Mentalizing(None, scored=False, reason="not run")
    return Analysis(doc.text, judgements, feelings, prompts, safety, mentalizing)
