"""Property tests: any unicode text is analysed without crashing, and every offset is valid."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mbtnlp

ANALYZER = mbtnlp.load()
WORDS = st.sampled_from(["she", "he's", "is", "so", "selfish", "a", "b*tch", "never", "listens", "I'm", "idiot",
                         "always", "on", "purpose", "not", "maybe", "lol", "!", "?", "\n", "😀", "ß", "İ", "\u200b"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=40).map(" ".join)))
def test_offsets_are_valid_for_any_text(text):
    result = ANALYZER(text)
    assert result.text == text
    for j in result.judgements:
        assert 0 <= j.start < j.end <= len(text) and text[j.start:j.end] == j.text
    for f in result.feelings:
        for e in f.evidence:
            assert text[e.start:e.end] == e.text
    for e in result.safety.evidence + result.mentalizing.evidence:
        assert text[e.start:e.end] == e.text
