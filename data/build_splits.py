"""Build the fixed train/dev/test splits of every team-written data set from its raw/ files.

The split of an item depends only on its id (sha256), so it never changes when items are added elsewhere.
Run: python data/build_splits.py   (deterministic; rewrites data/*/{train,dev,test}.jsonl)
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SETS = ("judgements", "feelings", "safety", "mentalizing")
FRACTIONS = (("test", 0.20), ("dev", 0.15), ("train", 0.65))


def split_of(item_id: str) -> str:
    h = int(hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    acc = 0.0
    for name, frac in FRACTIONS:
        acc += frac
        if h < acc:
            return name
    return "train"


def add_offsets(item: dict) -> dict:
    """Judgement spans are annotated as text; store their character offsets too."""
    text = item["text"]
    for j in item.get("judgements", []):
        start = text.find(j["span"])
        if start < 0:
            raise ValueError(f"{item['id']}: span {j['span']!r} not in text")
        j["start"], j["end"] = start, start + len(j["span"])
    return item


def main() -> None:
    for name in SETS:
        raw = sorted((HERE / name / "raw").glob("*.jsonl"))
        items = []
        for path in raw:
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    items.append(add_offsets(json.loads(line)))
        ids = [i["id"] for i in items]
        assert len(ids) == len(set(ids)), f"duplicate ids in {name}"
        out = {s: [] for s, _ in FRACTIONS}
        for item in items:
            out[split_of(item["id"])].append(item)
        for split, rows in out.items():
            with (HERE / name / f"{split}.jsonl").open("w", encoding="utf-8") as f:
                for row in rows:
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(name, {s: len(r) for s, r in out.items()})


if __name__ == "__main__":
    main()
