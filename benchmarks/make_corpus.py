"""A deterministic, journal-like benchmark corpus recombined from the team-written data.

Sources: the ``text`` of every line of ``data/feelings/*.jsonl`` and ``data/judgements/*.jsonl`` (3,316 short
texts, ~29 words each). Each entry joins 1-3 source texts (weights 2:2:1), sometimes with its sentences shuffled,
so that entries look like a day's journal note (~50 words) and the same seed always gives the same corpus.
Entries are produced lazily, so 200,000 of them cost no memory.

    python benchmarks/make_corpus.py --n 20000 --out /tmp/corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("feelings", "judgements")
SEED = 20240611
_SENT = re.compile(r"(?<=[.!?])\s+")


def source_texts(root: Path = ROOT) -> list[str]:
    texts = []
    for name in SOURCES:
        for path in sorted((root / "data" / name).glob("*.jsonl")):
            with path.open(encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        text = json.loads(line).get("text")
                        if isinstance(text, str) and text.strip():
                            texts.append(text.strip())
    if not texts:
        raise FileNotFoundError(f"no texts under {root / 'data'}/{{{','.join(SOURCES)}}}/*.jsonl")
    return texts


def iter_corpus(n: int, seed: int = SEED, root: Path = ROOT) -> Iterator[str]:
    """``n`` journal-like entries, deterministic for a given seed and data."""
    texts = source_texts(root)
    rng = random.Random(seed)
    for _ in range(n):
        parts = rng.sample(texts, rng.choices((1, 2, 3), weights=(2, 2, 1))[0])
        if len(parts) > 1 and rng.random() < 0.3:  # interleave sentences of different texts
            sents = [s for p in parts for s in _SENT.split(p) if s]
            rng.shuffle(sents)
            yield " ".join(sents)
        else:
            yield " ".join(parts)


def make_corpus(n: int, seed: int = SEED, root: Path = ROOT) -> list[str]:
    return list(iter_corpus(n, seed, root))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", default="-", help="JSONL path ({id, text}); '-' for stdout")
    args = ap.parse_args()
    out = open(args.out, "w", encoding="utf-8") if args.out != "-" else None
    try:
        for i, text in enumerate(iter_corpus(args.n, args.seed), 1):
            line = json.dumps({"id": f"b{i:07d}", "text": text}, ensure_ascii=False)
            print(line, file=out) if out else print(line)
    finally:
        if out:
            out.close()


if __name__ == "__main__":
    main()
