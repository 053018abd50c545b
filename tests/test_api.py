"""The public API: names, types, bad input, determinism, order."""

from __future__ import annotations

import json

import pytest

import mbtnlp

SEED = "She is so self-centered, she's just a bitch!"


def test_public_names():
    for name in ("load", "analyze", "Analyzer", "Analysis", "Judgement", "Feeling", "Prompt", "Safety",
                 "Mentalizing", "FEELINGS", "SCHEMA_VERSION", "__version__", "analyze_records", "to_dataframe"):
        assert hasattr(mbtnlp, name), name


def test_seed_scene_trait_and_label(analyzer):
    result = analyzer(SEED)
    assert isinstance(result, mbtnlp.Analysis)
    kinds = sorted(j.kind for j in result.judgements)
    assert kinds == ["label", "trait"]
    for j in result.judgements:
        assert result.text[j.start:j.end] == j.text
        assert j.target == "other" and j.who.lower() == "she"
        assert 0.0 <= j.severity <= 1.0


def test_analyze_convenience_matches_loaded_analyzer(analyzer):
    assert mbtnlp.analyze(SEED).to_dict() == analyzer(SEED).to_dict()


def test_to_dict_is_json_safe_and_versioned(analyzer):
    d = analyzer(SEED).to_dict()
    assert d["schema_version"] == mbtnlp.SCHEMA_VERSION
    assert json.loads(json.dumps(d)) == d
    assert mbtnlp.Analysis.from_dict(d).to_dict() == d


@pytest.mark.parametrize("bad", [None, 42, b"bytes", ["a list"], {"text": "x"}])
def test_non_string_input_is_a_clear_type_error(analyzer, bad):
    with pytest.raises(TypeError, match="expected str"):
        analyzer(bad)


@pytest.mark.parametrize("empty", ["", "   ", "\n\t "])
def test_empty_text_gives_empty_analysis(analyzer, empty):
    result = analyzer(empty)
    assert result.text == empty
    assert result.judgements == () and result.feelings == () and result.prompts == ()
    assert not result.safety.risk and not result.safety.abuse


def test_one_megabyte_text_works(analyzer):
    unit = "We went to the park. He never listens to me. The weather was fine. "
    text = unit * (1_000_000 // len(unit) + 1)
    assert len(text) >= 1_000_000
    result = analyzer(text)
    assert len(result.judgements) > 1000
    assert all(text[j.start:j.end] == j.text for j in result.judgements[:50])


def test_too_long_text_is_refused_clearly(analyzer):
    with pytest.raises(ValueError, match="limit"):
        analyzer("a " * (mbtnlp.api.MAX_CHARS // 2 + 10))


def test_deterministic(analyzer):
    text = "my roommates never clean up, theyre so lazy. i feel like im the only one who cares"
    first = analyzer(text).to_dict()
    assert all(analyzer(text).to_dict() == first for _ in range(3))
    assert mbtnlp.load()(text).to_dict() == first


def test_pipe_keeps_order_and_matches_single_calls(analyzer):
    texts = [SEED, "", "he never listens to me", "Had a lovely walk today.", "I'm such an idiot"] * 7
    piped = list(analyzer.pipe(texts, batch_size=3))
    assert [a.text for a in piped] == texts
    assert [a.to_dict() for a in piped] == [analyzer(t).to_dict() for t in texts]


@pytest.mark.slow
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_pipe_with_two_processes_keeps_order(analyzer, method):
    texts = [f"entry {i}: he never listens to me" if i % 3 == 0 else f"entry {i}: a quiet day" for i in range(60)]
    piped = list(analyzer.pipe(texts, batch_size=7, n_process=2, start_method=method))
    assert [a.text for a in piped] == texts
    assert [bool(a.judgements) for a in piped] == [i % 3 == 0 for i in range(60)]


def test_pipe_rejects_bad_arguments(analyzer):
    with pytest.raises(ValueError):
        list(analyzer.pipe(["x"], batch_size=0))
    with pytest.raises(TypeError):
        list(analyzer.pipe(["fine", 3]))
