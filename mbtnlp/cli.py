"""The ``mbtnlp`` command: ``demo``, ``analyze`` (batch, streaming, resumable) and ``report``."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Iterator, TextIO

from . import __version__

EXAMPLE = ("She is so self-centered, she's just a bitch! She's been spending all her time with the popular "
           "crowd and barely texts me back.")
EXIT_ROWS_FAILED = 3
EXIT_INTERRUPTED = 130


def format_analysis(result) -> str:
    """A readable, plain-text view of one analysis (for people, not programs)."""
    lines = [f"Text: {result.text}", ""]
    s = result.safety
    if s.risk or s.abuse:
        flags = [name for name, on in (("risk of self-harm or suicide", s.risk), ("abuse", s.abuse)) if on]
        lines += [f"SAFETY: {' and '.join(flags)} (evidence: {'; '.join(repr(e.text) for e in s.evidence)})", ""]
    elif s.caution:
        lines += ["Caution: close to a safety flag, so no prompts ask for other explanations of anyone's behaviour", ""]
    lines.append("Harsh judgements:" if result.judgements else "Harsh judgements: none found")
    for j in result.judgements:
        lines.append(f"  - {j.text!r}: {j.kind.replace('_', ' ')} about {j.who or 'someone'} "
                     f"({'self' if j.target == 'self' else 'other'}, severity {j.severity:.2f})")
    lines.append("Feelings:" if result.feelings else "Feelings: none found")
    for f in result.feelings:
        ev = ", ".join(repr(e.text) for e in f.evidence)
        lines.append(f"  - {f.name.replace('_', ' ')} ({f.status}, {f.score:.2f})" + (f" because of {ev}" if ev else ""))
    m = result.mentalizing
    lines.append(f"Mentalizing (descriptive, 0-3): {m.score:.2f}" if m.score is not None
                 else f"Mentalizing: not scored ({m.reason})")
    if result.prompts:
        lines += ["", "Prompts:"]
        lines += [f"  [{p.kind}] {p.text}" for p in result.prompts]
    return "\n".join(lines)


def cmd_demo(args: argparse.Namespace) -> int:
    import mbtnlp

    text = " ".join(args.text) if args.text else EXAMPLE
    result = mbtnlp.load(locale=args.locale)(text)
    print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) if args.json else format_analysis(result))
    return 0


# -- analyze ------------------------------------------------------------------------------------------------
class Progress:
    """entries, entries/s, ETA on a terminal; silent when piped or --quiet."""

    def __init__(self, total: int | None, enabled: bool) -> None:
        self.total, self.enabled, self.start, self.n, self.last = total, enabled, time.monotonic(), 0, 0.0

    def step(self) -> None:
        self.n += 1
        now = time.monotonic()
        if self.enabled and (now - self.last > 0.2):
            self.last = now
            rate = self.n / max(now - self.start, 1e-9)
            eta = f", ETA {int((self.total - self.n) / rate)}s" if self.total and rate > 0 else ""
            total = f"/{self.total}" if self.total else ""
            sys.stderr.write(f"\r{self.n}{total} entries, {rate:.0f} entries/s{eta}   ")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def _existing_ids(path: Path, fmt: str) -> list[str]:
    """Ids already written. A half-written last row (an interrupted run) is cut off first."""
    if not path.exists():
        return []
    data = path.read_bytes()
    keep = data.rfind(b"\n") + 1  # whatever follows the last newline is a partial row
    if keep < len(data):
        with path.open("r+b") as f:
            f.truncate(keep)
    lines = data[:keep].decode("utf-8").splitlines()
    if fmt == "csv":
        return [row[0] for row in list(csv.reader(lines))[1:] if row]
    ids = []
    for line in lines:
        try:
            ids.append(str(json.loads(line)["id"]))
        except (json.JSONDecodeError, KeyError):
            break
    return ids


class RowWriter:
    def __init__(self, fh: TextIO, fmt: str, header: bool) -> None:
        self.fh, self.fmt = fh, fmt
        if fmt == "csv":
            from .batch import FLAT_COLUMNS

            self.csv = csv.DictWriter(fh, fieldnames=FLAT_COLUMNS, extrasaction="ignore")
            if header:
                self.csv.writeheader()

    def write(self, row: dict) -> None:
        if self.fmt == "csv":
            from .batch import flatten

            self.csv.writerow(flatten(row))
        else:
            self.fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def cmd_analyze(args: argparse.Namespace) -> int:
    import mbtnlp
    from .batch import analyze_records, count_records, read_input

    fmt = args.format or ("csv" if args.output and args.output.endswith(".csv") else "jsonl")
    if args.input != "-" and not Path(args.input).exists():
        print(f"mbtnlp analyze: input not found: {args.input}", file=sys.stderr)
        return 2
    try:
        records: Iterator[Any] = read_input(args.input, text_field=args.text_field)
        total = count_records(args.input) if args.input != "-" else None
    except (FileNotFoundError, ValueError) as err:
        print(f"mbtnlp analyze: {err}", file=sys.stderr)
        return 2
    analyzer = mbtnlp.load(locale=args.locale)
    out_path = Path(args.output) if args.output else None
    partial = out_path.with_name(out_path.name + ".partial") if out_path else None
    done: set[str] = set()
    if out_path and args.resume:
        source = partial if partial.exists() else out_path
        done = set(_existing_ids(source, fmt))
        if source == out_path and out_path.exists():
            os.replace(out_path, partial)
    elif partial and partial.exists():
        partial.unlink()
    records = _numbered(records, args.id_field)
    if done:
        records = (r for r in records if str(_record_id(r, args.id_field)) not in done)
    fh: TextIO
    if out_path:
        fh = partial.open("a", encoding="utf-8", newline="")
        writer = RowWriter(fh, fmt, header=not done)
    else:
        fh = sys.stdout
        writer = RowWriter(fh, fmt, header=True)
    progress = Progress(total, enabled=sys.stderr.isatty() and not args.quiet)
    n = failed = 0
    try:
        for row in analyze_records(records, text_field=args.text_field, id_field=args.id_field,
                                   date_field=args.date_field, analyzer=analyzer, batch_size=args.batch_size,
                                   n_process=args.n_process):
            writer.write(row)
            n += 1
            failed += bool(row.get("error"))
            progress.step()
    except KeyboardInterrupt:
        progress.close()
        fh.flush()
        if out_path:
            fh.close()
            print(f"interrupted after {n} rows; the partial output is {partial} - rerun with --resume",
                  file=sys.stderr)
        return EXIT_INTERRUPTED
    progress.close()
    if out_path:
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        os.replace(partial, out_path)
    print(f"mbtnlp analyze: {n} rows written, {failed} failed" + (f", {len(done)} already present" if done else ""),
          file=sys.stderr)
    return EXIT_ROWS_FAILED if failed else 0


def _record_id(rec: Any, id_field: str) -> Any:
    from .batch import Record

    return rec.id if isinstance(rec, Record) else rec.get(id_field)


def _numbered(records: Iterator[Any], id_field: str) -> Iterator[Any]:
    """Give rows without an id their row number before any resume-skipping, so ids are stable across runs."""
    for n, rec in enumerate(records, 1):
        if isinstance(rec, dict) and rec.get(id_field) in (None, ""):
            rec = {**rec, id_field: n}
        yield rec


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    try:
        write_report(args.results, args.output)
    except ImportError as err:
        print(f"mbtnlp report: {err}", file=sys.stderr)
        return 2
    print(f"report written to {args.output}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="mbtnlp", description="Harsh judgements, feelings and MBT-style prompts for "
                                 "journal text. Runs offline; never logs your text.")
    ap.add_argument("--version", action="version", version=f"mbtnlp {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("demo", help="analyse one text and print a readable analysis")
    d.add_argument("text", nargs="*", help="the text (default: a bundled example)")
    d.add_argument("--json", action="store_true", help="print the JSON analysis instead")
    d.add_argument("--locale", default="default", help="locale for safety resources (e.g. en-GB)")
    d.set_defaults(func=cmd_demo)
    a = sub.add_parser("analyze", help="analyse many entries (jsonl/csv/tsv/txt/folder/-) into JSONL or CSV")
    a.add_argument("input", help=".jsonl, .csv, .tsv, .txt (one entry per line), a folder of .txt/.md, or - (stdin)")
    a.add_argument("-o", "--output", help="output file (default: stdout); written atomically")
    a.add_argument("--text-field", default="text")
    a.add_argument("--id-field", default="id")
    a.add_argument("--date-field", default=None)
    a.add_argument("--format", choices=["jsonl", "csv"], default=None, help="default: from -o's suffix, else jsonl")
    a.add_argument("--batch-size", type=int, default=256)
    a.add_argument("--n-process", type=int, default=1)
    a.add_argument("--resume", action="store_true", help="append after the rows already in OUTPUT, skipping their ids")
    a.add_argument("--quiet", action="store_true", help="no progress bar")
    a.add_argument("--locale", default="default")
    a.set_defaults(func=cmd_analyze)
    r = sub.add_parser("report", help="an HTML report (plots embedded) from analyze's JSONL output")
    r.add_argument("results")
    r.add_argument("-o", "--output", default="report.html")
    r.set_defaults(func=cmd_report)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
