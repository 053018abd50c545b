"""Small helpers shared by the evaluation modules."""

from __future__ import annotations

from pathlib import Path


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def table(header: list[str], rows: list[list]) -> list[str]:
    """A markdown table as lines."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out


def repo_data_dir() -> Path:
    """The repository's data/ folder (evaluation runs from a source checkout)."""
    return Path(__file__).resolve().parents[2] / "data"


def exposed_ids(folder: Path) -> set[str]:
    """Ids in ``folder/exposed_test.txt``: test items seen while improving the rules (reported apart)."""
    path = Path(folder) / "exposed_test.txt"
    if not path.exists():
        return set()
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def load_items(data_dir: Path, name: str, split: str, exclude_exposed: bool = False) -> list[dict]:
    """The items of ``data_dir/name/split.jsonl``, without the exposed test items when asked."""
    from ..lexicon import read_jsonl

    items = read_jsonl(Path(data_dir) / name / f"{split}.jsonl")
    if exclude_exposed:
        exposed = exposed_ids(Path(data_dir) / name)
        items = [i for i in items if i["id"] not in exposed]
    return items
