"""The installed package carries every rule, lexicon and model: it analyses text offline from any folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import mbtnlp

REPO = Path(__file__).resolve().parents[1]


def test_installed_package_works_from_another_folder(tmp_path):
    code = ("import mbtnlp, json, pathlib; r = mbtnlp.analyze(\"She is so self-centered, she's just a bitch!\"); "
            "print(pathlib.Path(mbtnlp.__file__).parent); print(json.dumps([j.kind for j in r.judgements])); "
            "print(len(r.suggested))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True,
                         env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "NO_NETWORK": "1"})
    location, kinds, n_suggested = out.stdout.strip().splitlines()
    assert kinds == '["trait", "label"]' and int(n_suggested) >= 2
    if Path(location).resolve() == (REPO / "mbtnlp").resolve():
        pytest.skip("mbtnlp is imported from the source tree (editable install): wheel contents not checked")
    package = Path(location)
    for rel in ("models/MANIFEST.json", "models/feelings_suggested.npz", "resources/judgements/rules.jsonl",
                "resources/prompts/en.json", "resources/feelings/expressed.tsv"):
        assert (package / rel).exists(), rel


def test_package_version():
    assert mbtnlp.__version__.count(".") == 2
