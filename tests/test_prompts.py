"""Prompts: MBT's curious voice, correct person reference, safety override."""

from __future__ import annotations

import re

import pytest

import mbtnlp
from mbtnlp.prompts import Mention, PromptWriter

SEED = "She is so self-centered, she's just a bitch!"
DIAGNOSIS = re.compile(r"\b(?:bpd|borderline|narcissis\w*|splitting|disorder|diagnos\w*|personality)\b", re.I)


def _check_voice(prompts):
    for p in prompts:
        assert len(p.text.split()) <= 35, p.text
        assert not DIAGNOSIS.search(p.text), p.text
        assert not re.match(r"\s*why\b", p.text, re.I), p.text
        if p.kind not in ("validation",):
            assert p.text.count("?") == 1, p.text


def test_seed_scene_prompts(analyzer):
    prompts = analyzer(SEED).prompts
    kinds = [p.kind for p in prompts]
    assert kinds[0] == "validation"
    for kind in ("feeling", "antecedent", "alternative", "consequence"):
        assert kind in kinds, kinds
    alt = next(p for p in prompts if p.kind == "alternative")
    assert alt.about == "her" and re.search(r"\b(?:her|she)\b", alt.text)
    cons = next(p for p in prompts if p.kind == "consequence")
    assert "friendship" in cons.text
    _check_voice(prompts)


@pytest.mark.parametrize("who,subj,obj,plural", [
    ("she", "she", "her", False), ("He", "he", "him", False), ("they", "they", "them", True),
    ("my mom", "your mom", "your mom", False), ("my roommates", "your roommates", "your roommates", True),
    ("Sam", "Sam", "Sam", False), ("", "they", "them", True),
    ("my mum and dad", "your mum and dad", "your mum and dad", True), ("Jake & Priya", "Jake & Priya", "Jake & Priya", True),
    ("landlord", "your landlord", "your landlord", False), ("flatmates", "your flatmates", "your flatmates", True),
    ("Mum", "Mum", "Mum", False),  # a relationship word written as a name stays as written
])
def test_mentions_are_addressed_to_the_writer(who, subj, obj, plural):
    m = Mention(who)
    assert (m.subj, m.obj) == (subj, obj)
    assert m.plural == plural


@pytest.mark.parametrize("text,about", [
    ("my mom never listens to me", "your mom"),
    ("my roommates are so lazy, they never clean", "your roommates"),
    ("Jonah is such a liar.", "Jonah"),
    ("he obviously hates me", "him"),
    ("landlord is a greedy crook fr. boiler still broken", "your landlord"),  # chat drops "my"
])
def test_alternative_or_perspective_prompts_name_the_person(analyzer, text, about):
    prompts = analyzer(text).prompts
    other = [p for p in prompts if p.kind in ("alternative", "perspective")]
    assert other and other[0].about == about
    assert about.split()[-1] in other[0].text or about in ("him",) and re.search(r"\b(?:him|he)\b", other[0].text)
    _check_voice(prompts)


def test_plural_agreement(analyzer):
    prompts = analyzer("my roommates are so lazy, they never clean").prompts
    text = " ".join(p.text for p in prompts if p.kind == "perspective")
    assert "your roommates was" not in text


def test_self_judgement_gets_self_compassion_not_alternatives(analyzer):
    prompts = analyzer("I'm such an idiot, I always ruin everything.").prompts
    kinds = [p.kind for p in prompts]
    assert "self_compassion" in kinds
    assert "alternative" not in kinds and "perspective" not in kinds
    _check_voice(prompts)


def test_cap_is_configurable_and_validation_comes_first():
    prompts = mbtnlp.load(max_prompts=2)(SEED).prompts
    assert prompts[0].kind == "validation"
    assert len([p for p in prompts if p.kind != "validation"]) == 2


def test_deterministic_and_varied(analyzer):
    texts = [f"{name} is so selfish, she never helps with anything." for name in
             ("Ana", "Bea", "Cleo", "Dina", "Eve", "Flo", "Gia", "Hana", "Ivy", "Jo")]
    first = [tuple(p.text for p in analyzer(t).prompts) for t in texts]
    assert first == [tuple(p.text for p in analyzer(t).prompts) for t in texts]
    alternatives = {next(p.text.replace(t.split()[0], "X") for p in analyzer(t).prompts if p.kind in
                         ("alternative", "perspective")) for t in texts}
    assert len(alternatives) > 1


@pytest.mark.parametrize("text", [
    "I don't want to be here anymore. Everyone would be better off without me.",
    "He hit me again last night and he's such a monster.",
    "she takes my phone and won't let me see my friends, she's so controlling",
])
def test_safety_overrides_work_prompts(analyzer, text):
    result = analyzer(text)
    assert result.safety.risk or result.safety.abuse
    kinds = {p.kind for p in result.prompts}
    assert kinds <= {"validation", "safety"}
    assert any("safe right now" in p.text for p in result.prompts)
    if result.safety.abuse:
        assert any("not your fault" in p.text for p in result.prompts)


def test_no_prompts_for_neutral_entry(analyzer):
    assert analyzer("Went to the market and bought tomatoes.").prompts == ()


def test_caution_keeps_prompts_with_the_writer():
    """Close to a safety flag: no prompts inviting other explanations of someone's behaviour."""
    import mbtnlp
    from mbtnlp.prompts import OTHERS_KINDS

    analyzer = mbtnlp.load()
    writer = analyzer.nlp.get_pipe("mbtnlp_prompts")
    text = "She is so self-centered, she's just a bitch!"
    doc = analyzer.nlp(text)
    args = (text, doc._.mbtnlp_judgements, doc._.mbtnlp_feelings)
    plain = writer.write(*args, {"risk": False, "abuse": False})
    careful = writer.write(*args, {"risk": False, "abuse": False, "caution": True})
    assert any(p["kind"] in OTHERS_KINDS for p in plain)
    assert careful and not any(p["kind"] in OTHERS_KINDS for p in careful)
    assert careful[0]["kind"] == "validation"


@pytest.mark.parametrize("text,phrase", [
    ("Dr Okafor is completely incompetent, she didn't even look at my results.", "your relationship with Dr Okafor"),
    ("my flatmates are disgusting slobs who never clean up", "your relationship with your flatmates"),
    ("my boss obviously wants me gone", "how you and your boss work together"),
    ("my boyfriend is such a liar", "your relationship"),
    ("He's such a liar, he obviously cheated on me with her.", "your relationship"),  # what he did says partner
    ("She is so self-centered, she's just a bitch!", "the friendship"),
])
def test_consequence_prompts_name_the_relationship_it_is(analyzer, text, phrase):
    """A doctor or a flatmate is not a friendship: the cue words live in en.json ("relationship_cues")."""
    writer = PromptWriter(max_prompts=8)
    result = analyzer(text)
    assert result.judgements
    prompts = writer.write(text, [j.to_dict() for j in result.judgements], [], {})
    cons = [p for p in prompts if p["kind"] == "consequence"]
    assert cons and cons[0]["about"] == phrase


def test_joined_people_are_judged_together_and_addressed_as_they(analyzer):
    result = analyzer("my mum and dad never listen to a word i say")
    j = result.judgements[0]
    assert j.who == "my mum and dad" and j.text.startswith("my mum and dad")
    text = " ".join(p.text for p in result.prompts if p.kind in ("perspective", "alternative"))
    assert "your mum and dad" in text and " he " not in f" {text} " and " she " not in f" {text} "


@pytest.mark.parametrize("text", [
    "my best friend texted me she wants to die and now she's not answering",
    "My sister's husband hits her and she won't leave him. He's a monster.",
    "a boy in my class has cuts all up his arms and says it's his cat",
])
def test_someone_else_at_risk_gets_support_prompts_not_other_explanations(analyzer, text):
    """The third-party route: worry for someone else is met with support, never with other explanations of an
    abuser or guesses at what lies beneath."""
    result = analyzer(text)
    assert result.safety.third_party and not (result.safety.risk or result.safety.abuse), result.safety
    kinds = [p.kind for p in result.prompts]
    assert kinds and set(kinds) <= {"validation", "safety"}, kinds
    assert not result.suggested
    _check_voice(result.prompts)


def test_every_feeling_phrase_reads_well_in_every_template_that_takes_one():
    """A feeling phrase ("a sense that it's unfair") must fit every slot it fills: "this feeling of a sense that
    it's unfair" was a real output. Articles and quantifiers may not follow "feeling of"."""
    writer = PromptWriter()
    fill = {"subj": "she", "obj": "her", "poss": "her", "Subj": "She", "were": "was",
            "relationship": "the friendship", "crisis": "a helpline"}
    for feeling in mbtnlp.FEELINGS:
        phrase = writer._feeling_phrase(feeling, fill)
        for kind, options in writer.templates.items():
            if not isinstance(options, list):
                continue
            for template in options:
                if "{feeling_one}" not in template and "{feelings}" not in template:
                    continue
                text = template.format(**fill, feeling_one=phrase, feelings=phrase)
                assert not re.search(r"\bfeelings? of (?:a|an|some|the|worry|hurt)\b", text), text
                assert len(text.split()) <= 35, text
                assert text.count("?") == 1, text


@pytest.mark.parametrize("who, again, verb", [("my dad", "he", "was"), ("Kevin", "they", "were"),
                                               ("my roommates", "they", "were"), ("she", "she", "was")])
def test_a_person_mentioned_twice_is_a_pronoun_the_second_time_with_agreement(who, again, verb):
    """"...for your dad ... how your dad was acting" read stiffly, and "how Kevin were acting" was wrong."""
    fill = Mention(who).fill()
    assert fill["subj_pron"] == again
    assert fill["were"] == verb
    writer = PromptWriter()
    for template in writer.templates["perspective"] + writer.templates["alternative"]:
        text = template.format(**fill)
        assert not re.search(r"\b(?:Kevin|your dad|your roommates) (?:was|were) acting\b", text), text
        assert text.count(fill["obj"]) <= 1 or fill["obj"] in ("her", "him", "them"), text
