"""``python -m mbtnlp.evaluate {judgements,feelings,safety,mentalizing} [--split test] [--benchmarks DIR]``.

Scores the bundled pipeline on the team-written split (the test split is for reporting; tune on train/dev) and,
with ``--benchmarks``, on external corpora (evaluation only; skipped cleanly when the folder is absent).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from .evaluation.common import repo_data_dir


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m mbtnlp.evaluate", description=__doc__)
    ap.add_argument("task", choices=["judgements", "feelings", "safety", "mentalizing"])
    ap.add_argument("--split", default="test", choices=["train", "dev", "test"])
    ap.add_argument("--data", type=Path, default=None, help="data folder (default: the repository's data/)")
    ap.add_argument("--benchmarks", type=Path, default=None, help="e.g. ../shared/benchmarks (optional)")
    ap.add_argument("--errors", type=int, default=30, help="how many sampled errors to print")
    ap.add_argument("--json", type=Path, default=None, help="also write the full results as JSON here")
    args = ap.parse_args(argv)
    data = args.data or repo_data_dir()
    if not (data / args.task / f"{args.split}.jsonl").exists():
        print(f"no {args.task}/{args.split}.jsonl under {data}: run from a source checkout or pass --data",
              file=sys.stderr)
        return 2
    module = importlib.import_module(f"mbtnlp.evaluation.{args.task}")
    result = module.run(data, args.split)
    try:
        print(module.report(result, n_errors=args.errors))
    except TypeError:
        print(module.report(result))
    out = {"own": result}
    if args.split == "test" and args.task in ("judgements", "feelings"):
        from .evaluation.common import exposed_ids

        exposed = exposed_ids(data / args.task)
        if exposed:
            clean = module.run(data, args.split, exclude_exposed=True)
            keys = [k for k in ("item_precision", "item_recall", "item_f1", "false_alarm_rate", "expressed_f1",
                                "suggested_top3_recall", "neutral_quiet") if k in clean]
            print(f"\nWithout the {len(exposed)} test items quoted in an error analysis (exposed_test.txt; the "
                  f"floors use these figures): n={clean['n']}, " + ", ".join(f"{k} {clean[k]:.3f}" for k in keys))
            out["own_without_exposed"] = clean
    if args.benchmarks is not None and args.task in ("judgements", "feelings"):
        from .evaluation import benchmarks

        if args.benchmarks.is_dir():
            bench = benchmarks.run(args.task, args.benchmarks)
            print()
            print(benchmarks.report(bench))
            out["benchmarks"] = bench
        else:
            print(f"\nbenchmarks folder {args.benchmarks} not found: skipped")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
