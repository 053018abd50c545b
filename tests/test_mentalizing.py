"""The mentalizing score: ordering on new sentences, the two-sided cap, gates, evidence, extensibility, the floor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mbtnlp.lexicon import resource_dir
from mbtnlp.mentalizing import MARKERS_FILE, MentalizingScorer

ROOT = Path(__file__).resolve().parent.parent

REFLECTIVE = (
    "My neighbour Tomasz complained again about the music on Saturday night. I felt embarrassed and then "
    "prickly, and I answered him quite curtly, which probably didn't help. Looking back, he has a newborn and "
    "I suspect he hadn't slept in days; from his side our party must have sounded endless. Or maybe he was "
    "just worried the baby would wake. I wonder why I get so defensive whenever someone points out a mistake "
    "of mine - part of me still hears my dad telling me off. I want to knock on his door and apologise."
)
RANT = (
    "My neighbour Tomasz complained again about the music on Saturday night. He is a miserable old grump and "
    "he has always hated us. He obviously does it on purpose because he knows it ruins our weekend. If he "
    "had any decency he would have just come round. He never lets anything go and he never will. Typical."
)
HEDGING = (
    "Not sure what is going on with my cousin Bea lately. Maybe she is busy, maybe not. Could be work, could "
    "be her flat, could be anything really, or nothing at all. Who knows. Whatever, idk, people are "
    "impossible to read and I am not going to think about it."
)


@pytest.fixture(scope="module")
def scorer() -> MentalizingScorer:
    return MentalizingScorer()


def test_reflective_entry_scores_higher_than_rant(scorer):
    rich, rant = scorer.score(REFLECTIVE), scorer.score(RANT)
    assert rich["scored"] and rant["scored"]
    assert rich["score"] >= 2.0
    assert rant["score"] <= 1.0
    assert rich["score"] - rant["score"] >= 1.2
    for marker in ("perspective", "own_part", "curiosity", "alternatives"):
        assert rich["markers"][marker] >= 1, marker
    assert rant["markers"]["certainty"] >= 1 and rant["markers"]["absolute"] >= 1
    assert rant["markers"]["proof_demand"] >= 1


def test_hedging_without_content_is_capped(scorer):
    res = scorer.score(HEDGING)
    assert res["scored"]
    assert res["markers"]["hedge_only"] == 1
    assert res["score"] <= 1.0
    assert "hedge_only" in res["flags"]
    # the same hedges around concrete content are not capped
    grounded = scorer.score("My cousin Bea went quiet on me after the wedding. Maybe she felt hurt that I left "
                            "early, or maybe she is just exhausted from organising it all. I think I was short "
                            "with her on the phone because I was stressed, so I will ring her and ask.")
    assert grounded["markers"]["hedge_only"] == 0
    assert grounded["score"] > res["score"]


def test_too_short_and_empty_are_not_scored(scorer):
    short = scorer.score("He forgot my birthday again. Maybe he was busy.")
    assert short["score"] is None and not short["scored"] and short["reason"] == "too short"
    empty = scorer.score("   ")
    assert empty["score"] is None and empty["reason"] == "empty"


def test_safety_flag_means_not_scored(scorer):
    res = scorer.score(REFLECTIVE, [], {"risk": True, "abuse": False, "third_party": False, "evidence": []})
    assert res["score"] is None and not res["scored"] and res["reason"] == "safety flag"
    res = scorer.score(REFLECTIVE, [], {"risk": False, "abuse": True})
    assert res["reason"] == "safety flag"
    assert scorer.score(REFLECTIVE, [], {"risk": False, "abuse": False})["scored"]


def test_evidence_offsets_and_plain_types(scorer):
    for text in (REFLECTIVE, RANT, HEDGING):
        res = scorer.score(text)
        assert res["evidence"]
        for ev in res["evidence"]:
            assert 0 <= ev["start"] < ev["end"] <= len(text)
            assert text[ev["start"]:ev["end"]] == ev["text"]
            assert ev["cue"] in res["markers"]
        assert all(type(v) is int for v in res["markers"].values())
        json.dumps(res)  # plain JSON-safe values


def test_score_in_range_and_deterministic(scorer):
    a, b = scorer.score(REFLECTIVE), scorer.score(REFLECTIVE)
    assert a == b
    assert 0.0 <= a["score"] <= 3.0 and round(a["score"], 2) == a["score"]


def test_length_alone_does_not_raise_the_score(scorer):
    once = scorer.score(RANT)["score"]
    thrice = scorer.score(" ".join([RANT] * 3))["score"]
    assert abs(thrice - once) <= 0.3


def test_jargon_is_a_flag_not_a_penalty(scorer):
    plain = ("My boss redid my slides without asking. I felt embarrassed and went quiet in the meeting. Maybe he "
             "was nervous about the client and did not trust anyone's work today.")
    jargon = plain + " Classic narcissist energy, so toxic, I need boundaries."
    res = scorer.score(jargon)
    assert res["markers"]["jargon"] >= 1
    assert "jargon" in res["flags"] or res["markers"]["granularity"]  # flagged unless feelings are specific
    assert not any(f.endswith(":jargon") for f in scorer.model["features"])  # never weighted in the model


def test_markers_json_is_extensible(tmp_path):
    doc = json.loads((resource_dir("mentalizing") / MARKERS_FILE).read_text(encoding="utf-8"))
    doc["markers"]["other_mind"]["patterns"].append(r"\b{other}\s+was\s+quietly\s+gutted\b")
    doc["markers"]["gratitude"] = {"code": "user", "polarity": "positive", "description": "thanks named",
                                   "patterns": [r"\bi(?:'m|\s+am)\s+grateful\b"]}
    (tmp_path / MARKERS_FILE).write_text(json.dumps(doc), encoding="utf-8")
    custom = MentalizingScorer(markers=str(tmp_path))
    text = ("Ana lost the final on penalties and she was quietly gutted on the drive home. I'm grateful she let me "
            "sit with her in it, even though I didn't know what to say to her.")
    res = custom.score(text)
    assert res["markers"]["gratitude"] == 1
    assert any(e["cue"] == "gratitude" for e in res["evidence"])
    assert MentalizingScorer().score(text)["markers"].get("gratitude") is None
    # run-time additions, saved with the component
    custom.add_patterns("gratitude", [r"\bthankful\b"])
    out = tmp_path / "saved"
    custom.to_disk(out)
    reloaded = MentalizingScorer().from_disk(out)
    assert reloaded.score("I'm thankful my brother picked me up, even though he was grumpy about the hour and "
                          "said so twice.")["markers"]["gratitude"] == 1
    clone = MentalizingScorer().from_bytes(custom.to_bytes())
    assert clone.score(text) == custom.score(text)


def test_bad_pattern_is_reported(tmp_path):
    doc = {"fragments": {}, "markers": {"broken": {"polarity": "positive", "patterns": ["(unclosed"]}}}
    (tmp_path / MARKERS_FILE).write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValueError, match="broken"):
        MentalizingScorer(markers=str(tmp_path))


def test_spacy_component_sets_extension(scorer):
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = scorer(nlp(REFLECTIVE))
    assert doc._.mbtnlp_mentalizing["score"] == scorer.score(REFLECTIVE)["score"]
    doc = nlp(RANT)
    doc._.mbtnlp_safety = {"risk": True}
    assert scorer(doc)._.mbtnlp_mentalizing["reason"] == "safety flag"


def test_floor_on_test_split():
    from mbtnlp.evaluation.mentalizing import report, run

    result = run(ROOT / "data" / "mentalizing", split="test")
    assert result["n_scored"] >= 0.9 * result["n"]
    assert result["spearman"] >= 0.6, report(result)
    assert abs(result["length_partial_r"]) <= 0.2, report(result)
    means = result["mean_by_rating"]
    assert means[0] < means[2] and means[1] < means[3]
