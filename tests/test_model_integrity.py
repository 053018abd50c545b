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
    files = {p.name for p in folder.iterdir() if p.suffix in (".npz", ".json") and p.name != "MANIFEST.json"}
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
