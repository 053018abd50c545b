"""The notebooks in notebooks/: committed without outputs, and each one executes headless without errors.

Execution uses a temporary kernel spec whose argv is this interpreter (sys.executable), so the kernel is the
test environment's Python even when no "python3" kernel (or the wrong one) is installed. The committed files are
only read; the executed copies go to a temporary folder.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = ["01_quickstart.ipynb", "02_journal_analysis.ipynb", "03_evaluation.ipynb"]
KERNEL_NAME = "mbtnlp-test"
TIMEOUT_S = 120


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebook_has_no_outputs(name):
    nb = json.loads((NOTEBOOK_DIR / name).read_text(encoding="utf-8"))
    assert nb["cells"], f"{name} is empty"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{name} cell {i} has outputs"
            assert cell.get("execution_count") is None, f"{name} cell {i} has an execution_count"


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """A kernel spec for sys.executable, found through JUPYTER_PATH (nothing is installed in the user's home)."""
    pytest.importorskip("nbclient")
    pytest.importorskip("nbformat")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    pytest.importorskip("pandas")
    base = tmp_path_factory.mktemp("jupyter")
    spec_dir = base / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "mbtnlp test (this Python)",
        "language": "python",
    }), encoding="utf-8")
    saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH",)}
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(base), saved["JUPYTER_PATH"]]))
    yield KERNEL_NAME
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_executes(name, kernel_env, tmp_path):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    source = NOTEBOOK_DIR / name
    before = source.read_bytes()
    nb = nbformat.read(source, as_version=4)
    client = NotebookClient(nb, timeout=TIMEOUT_S, kernel_name=kernel_env, allow_errors=False,
                            resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    t0 = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as err:
        pytest.fail(f"{name} raised in a cell:\n{err}")
    finally:
        nbformat.write(nb, tmp_path / name)  # the executed copy, for inspection
    elapsed = time.perf_counter() - t0
    errors = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])
              if out.get("output_type") == "error"]
    assert not errors, f"{name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    assert elapsed < TIMEOUT_S, f"{name} took {elapsed:.0f}s"
    assert source.read_bytes() == before, "the committed notebook was modified"
