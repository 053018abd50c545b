"""Shared fixtures: one analyzer per session (building the pipeline is the slow part)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


@pytest.fixture(scope="session")
def analyzer():
    import mbtnlp

    return mbtnlp.load()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA
