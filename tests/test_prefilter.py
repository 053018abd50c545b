"""The prefilter only skips rules (and sentences) where they could not have matched: same matches as brute force."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from mbtnlp.lexicon import alternation
from mbtnlp.prefilter import (LiteralIndex, RuleScreen, literal_condition, may_cross, sentence_windows,
                              split_alternatives, trie_regex)

RULES = [
    r"\b(?:he|she)\s+(?:hit|slapped|shoved)\s+me\b",
    r"\bi\s+(?:want|wanna)\s+to\s+die\b|\bkms\b",
    r"\bno\s+one\s+would\s+(?:miss me|care)[.!]?",      # may contain "." or "!": must see the whole text
    r"(?<=not\s)angry\b",
    r"\b(?:sui?c+ide|sewer\s*slide)\w*",
    r"\b\w+ly\s+(?:hate|hates)\b",
    r"[^.!?\n]{0,10}\bcut\b",
]
TEXTS = [
    "He hit me. She slapped me! he shoved me", "i want to die. kms", "No one would care. no one would miss me!",
    "I'm not angry. Not angry at all", "sucide thoughts again... sewerslide", "she really hates me. He truly hates",
    "I cut. my hair. cut it", "", "...", "a.b.c", "Hit me? he HIT ME.\n\nshe slapped   me",
]


def brute(regexes, text):
    return [(i, m.span()) for i, rx in enumerate(regexes) for m in rx.finditer(text)]


def screened(screen, text):
    return [(i, m.span()) for i, m in screen.matches(text)]


@pytest.fixture(scope="module")
def screen():
    return RuleScreen([re.compile(p, re.IGNORECASE) for p in RULES])


@pytest.fixture(scope="module")
def split_screen():
    return RuleScreen([re.compile(p, re.IGNORECASE) for p in RULES], split=True)


@pytest.mark.parametrize("text", TEXTS)
def test_same_matches_as_running_every_rule(screen, text):
    assert screened(screen, text) == brute(screen.rules, text)


@pytest.mark.parametrize("text", TEXTS)
def test_split_alternations_give_the_alternation_s_matches(split_screen, text):
    assert screened(split_screen, text) == brute(split_screen.rules, text)
    assert len(split_screen.parts) > len(split_screen.rules)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["he", "hit", "me", "i", "want", "to", "die", "kms", "no", "one", "would", "care",
                                 "not", "angry", "sucide", "cut", "really", "hates", ".", "!", "?", "\n", "  ", "x"]),
                max_size=25))
def test_same_matches_on_random_word_soup(screen, split_screen, words):
    text = " ".join(words).replace(" .", ".")
    assert screened(screen, text) == brute(screen.rules, text)
    assert screened(split_screen, text) == brute(split_screen.rules, text)


def test_punctuation_capable_rules_are_not_sentence_local():
    assert may_cross(re.compile(RULES[2]))
    assert not may_cross(re.compile(RULES[0]))
    assert not may_cross(re.compile(RULES[6]))  # the class excludes .!? explicitly


def test_literal_index_is_exact():
    lits = ["kill", "killing", "ill", "in", "me", "ki"]
    idx = LiteralIndex(lits)
    for text in ["killing me", "skill", "nothing", "min", ""]:
        assert idx.present(text) == {s for s in lits if s in text}


def test_condition_keeps_and_or_structure():
    cond = literal_condition(re.compile(r"\bhe\s+hit\b|\bshe\s+slapped\b"))
    assert cond[0] == "or"


def test_trie_alternation_matches_the_same_strings():
    terms = ["drama queen", "queen", "dram", "idiot", "idiots", "b*tch", "bitch", "so"]
    flat = re.compile("(?:" + "|".join(re.escape(t) for t in terms) + ")")
    trie = re.compile(trie_regex([[re.escape(c) for c in t] for t in terms]))
    for t in terms:
        assert trie.fullmatch(t) and flat.fullmatch(t)
    assert re.fullmatch(alternation(terms), "drama   queen", re.IGNORECASE)
    assert re.fullmatch(alternation(terms), "idiottt", re.IGNORECASE)


def test_windows_cover_the_text():
    text = "One. Two!! three? four"
    spans = sentence_windows(text)
    assert "".join(text[s:e] for s, e in spans) == text
    assert len(spans) == 4


def test_split_alternatives_respects_groups_classes_and_escapes():
    assert split_alternatives("(?:a|b(?:c|d))|e") == ["a", "b(?:c|d)", "e"]
    assert split_alternatives("(?:a|b)x") == ["(?:a|b)x"]
    assert split_alternatives("[|(]|q") == ["[|(]", "q"]
    assert split_alternatives(r"(?:a\)|b)") == [r"a\)", "b"]
    assert split_alternatives("(?:x|y)?") == ["(?:x|y)?"]
    assert split_alternatives("[]|]|z") == ["[]|]", "z"]
