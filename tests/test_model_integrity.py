"""Bundled models: manifest with sha256, verified before use, no pickle, no version warnings."""

from __future__ import annotations

import json
import shutil
import warnings

import numpy as np
import pytest

from mbtnlp import model_io
from mbtnlp.model_io import ModelIntegrityError


def test_manifest_lists_every_model_file_with_sha256():
    folder = model_io.default_models_dir()
    manifest = model_io.read_manifest(folder)
    files = {p.name for p in folder.iterdir() if p.suffix in (".npz", ".json", ".txt") and p.name != "MANIFEST.json"}
    assert files and files <= set(manifest["files"])
    for name, meta in manifest["files"].items():
        assert model_io.sha256(folder / name) == meta["sha256"], name
    for model in manifest["models"].values():
        assert "training_data_sha256" in model
    assert {"scikit_learn", "numpy", "mbtnlp"} <= set(manifest["versions"])


def test_tampered_model_is_refused(tmp_path):
    src = model_io.default_models_dir()
    dst = tmp_path / "models"
    shutil.copytree(src, dst)
    with (dst / "feelings_suggested.npz").open("ab") as f:
        f.write(b"tampered")
    model_io.load_linear.cache_clear()
    with pytest.raises(ModelIntegrityError, match="does not match"):
        model_io.load_linear("feelings_suggested", str(dst))
    (dst / "feelings_expressed.json").unlink()
    with pytest.raises(ModelIntegrityError, match="missing"):
        model_io.load_linear("feelings_expressed", str(dst))


def test_models_load_without_warnings_and_without_pickle():
    model_io.load_linear.cache_clear()
    folder = model_io.default_models_dir()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ("feelings_expressed", "feelings_suggested", "judgements_sentence"):
            model = model_io.load_linear(name)
            assert model.coef.shape[0] == len(model.labels)
            with np.load(folder / f"{name}.npz", allow_pickle=False) as arrays:
                assert all(arrays[k].dtype != object for k in arrays.files)
            json.loads((folder / f"{name}.json").read_text())


def test_user_pickle_needs_explicit_trust(tmp_path):
    import joblib

    path = tmp_path / "model.joblib"
    joblib.dump({"a": 1}, path)
    with pytest.raises(PermissionError, match="trust=True"):
        model_io.load_untrusted(path)
    assert model_io.load_untrusted(path, trust=True) == {"a": 1}


def test_warm_words_are_verified_and_change_no_analysis(tmp_path):
    import spacy

    from mbtnlp.api import warm_tokenizer

    words = model_io.load_warm_words()
    assert len(words) > 1000 and "the" in words
    dst = tmp_path / "models"
    shutil.copytree(model_io.default_models_dir(), dst)
    with (dst / "warm_words.txt").open("a", encoding="utf-8") as f:
        f.write("\nextra")
    model_io.load_warm_words.cache_clear()
    with pytest.raises(ModelIntegrityError, match="does not match"):
        model_io.load_warm_words(str(dst))
    model_io.load_warm_words.cache_clear()
    # warming caches splits and lexemes only: tokens inside a memory zone are the same with and without it
    texts = ["shes sooo self-centered, she's just a b*tch!!", "I can't... he never listens (ever).", "e-mail me @ 5pm"]
    tokens = {}
    for name in ("cold", "warm"):
        nlp = spacy.blank("en")
        if name == "warm":
            warm_tokenizer(nlp)
        with nlp.memory_zone():
            tokens[name] = [[(t.text, t.whitespace_) for t in d] for d in nlp.pipe(texts)]
    assert tokens["cold"] == tokens["warm"]
