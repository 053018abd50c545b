"""Find, verify and load the bundled models.

Every model file is listed in ``MANIFEST.json`` with its sha256; a file that does not match is refused with a
clear error before anything reads it. Bundled models are plain numpy/JSON (see ``linear.py``); a user's own
joblib/pickle file is only opened when the caller passes ``trust=True``.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .linear import LinearModel

MANIFEST = "MANIFEST.json"


class ModelIntegrityError(RuntimeError):
    """A model file is missing or does not match the sha256 in its manifest."""


def default_models_dir() -> Path:
    """``mbtnlp/models`` inside an installed wheel; the repository's ``models/`` in a source checkout."""
    packaged = Path(str(resources.files("mbtnlp"))) / "models"
    if (packaged / MANIFEST).exists():
        return packaged
    checkout = Path(str(resources.files("mbtnlp"))).parent / "models"
    if (checkout / MANIFEST).exists():
        return checkout
    raise ModelIntegrityError("mbtnlp's bundled models were not found: the installation is incomplete "
                              "(expected mbtnlp/models/MANIFEST.json). Reinstall the package.")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.exists():
        raise ModelIntegrityError(f"no {MANIFEST} in {folder}")
    return json.loads(path.read_text(encoding="utf-8"))


def verify(folder: Path, files: list[str] | None = None) -> dict[str, Any]:
    """Check the sha256 of the listed files (all in the manifest by default); return the manifest."""
    manifest = read_manifest(folder)
    listed = manifest.get("files", {})
    for name in files or list(listed):
        if name not in listed:
            raise ModelIntegrityError(f"{name} is not listed in {folder / MANIFEST}")
        path = folder / name
        if not path.exists():
            raise ModelIntegrityError(f"model file {path} is missing")
        digest = sha256(path)
        if digest != listed[name]["sha256"]:
            raise ModelIntegrityError(f"model file {path} does not match its manifest "
                                      f"(sha256 {digest[:12]}..., expected {listed[name]['sha256'][:12]}...)")
    return manifest


@lru_cache(maxsize=8)
def load_linear(name: str, folder: str | None = None) -> LinearModel:
    """Verify then load a bundled linear model (``name.npz`` + ``name.json``)."""
    base = Path(folder) if folder else default_models_dir()
    verify(base, [f"{name}.npz", f"{name}.json"])
    return LinearModel.load(base, name)


@lru_cache(maxsize=2)
def load_warm_words(folder: str | None = None) -> tuple[str, ...]:
    """Verify then read the bundled word list that warms the tokenizer (``warm_words.txt``, one word per line);
    empty when a models folder has none (an older one)."""
    base = Path(folder) if folder else default_models_dir()
    if "warm_words.txt" not in read_manifest(base).get("files", {}):
        return ()
    verify(base, ["warm_words.txt"])
    return tuple((base / "warm_words.txt").read_text(encoding="utf-8").split("\n"))


def load_untrusted(path: str | Path, *, trust: bool = False) -> Any:
    """Load a user's joblib/pickle model. Unpickling runs code, so the caller must say ``trust=True``."""
    if not trust:
        raise PermissionError(f"refusing to unpickle {path}: pickle files can execute code. "
                              "Pass trust=True only for files you created yourself.")
    import joblib

    return joblib.load(path)
