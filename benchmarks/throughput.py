"""Throughput and memory of mbtnlp against a bare spaCy pipeline, in one process. Not a test.

    python benchmarks/throughput.py                 # 20,000 entries: bare vs judgements-only vs full, n_process=2
    python benchmarks/throughput.py --quick         # 2,000 entries (a smoke run; the n_process figure is indicative)
    python benchmarks/throughput.py --rss           # + peak RSS after 20,000 vs 200,000 entries streamed (slow)
    python benchmarks/throughput.py --rss --rss-n 50000

Figures (one markdown table on stdout):

* bare      ``spacy.blank("en")`` + sentencizer, plain ``nlp.pipe`` (tokenizing + sentence splitting only): the
            denominator of every ratio, spaCy as most code runs it;
* bare in zones  the same, each batch in a spaCy memory zone (the memory discipline of ``Analyzer.pipe``).
            Context only: inside a zone spaCy caches neither new lexemes nor how it split a word, so it is several
            times slower than plain ``nlp.pipe``. Until 0.2 this was the denominator, which made every ratio look
            3-4x better than against plain spaCy (CHANGELOG);
* core      bare + ``mbtnlp_judgements`` (judgements only), plain ``nlp.pipe``;
* full      ``mbtnlp.load().pipe`` (safety, judgements, feelings, mentalizing, prompts -> ``Analysis`` objects);
* ratios    time / bare time, timed in interleaved rounds (every pipeline on each fifth of the corpus in
            turn, so drift on a shared machine hits all alike), with the range of the per-round ratios;
            per-component time on a sample of the corpus (where the time goes);
* n_process ``Analyzer.pipe(n_process=2)`` (pool start-up included; forked workers inherit the built pipeline, spawned ones build their own) vs 1;
* RSS       ``resource.getrusage`` peak RSS (``ru_maxrss``) and current RSS (psutil) of this process after the
            first 20,000 entries and after ``--rss-n`` entries, streamed lazily through ``Analyzer.pipe`` (run
            first, before any corpus list is built, so the peak is the pipeline's).

Every timed pipeline is built and warmed up (200 entries) before timing; words = whitespace-separated tokens of
the input. The corpus is built by ``benchmarks/make_corpus.py`` (fixed seed) from the team-written data.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shlex
import sys
import time
from itertools import islice
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import spacy  # noqa: E402

import mbtnlp  # noqa: E402
from make_corpus import SEED, iter_corpus, make_corpus  # noqa: E402

WARMUP = 200
BATCH = 256


def _rss_now_mb() -> float | None:
    try:
        import psutil
    except ImportError:
        return None
    return psutil.Process().memory_info().rss / 2**20


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def _time(fn, texts: list[str]) -> float:
    t0 = time.perf_counter()
    n = 0
    for _ in fn(texts):
        n += 1
    elapsed = time.perf_counter() - t0
    assert n == len(texts), (n, len(texts))
    return elapsed


def _bare_nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = mbtnlp.api.MAX_CHARS + 1
    return nlp


def _core_nlp():
    nlp = _bare_nlp()
    nlp.add_pipe("mbtnlp_judgements")
    return nlp


def _spacy_pipe(nlp):
    def run(texts):
        yield from nlp.pipe(texts, batch_size=BATCH)
    return run


def _spacy_pipe_in_zones(nlp):
    def run(texts):
        for i in range(0, len(texts), BATCH):  # one zone per batch, as Analyzer.pipe
            with nlp.memory_zone():
                yield from nlp.pipe(texts[i:i + BATCH], batch_size=BATCH)
    return run


def measure_rss(rss_n: int, first: int) -> list[tuple[str, str]]:
    analyzer = mbtnlp.load()
    list(analyzer.pipe(iter_corpus(WARMUP, SEED + 1)))
    marks = {first, rss_n}
    rows = [("RSS after load + warm-up (current / peak)", f"{_rss_now_mb():,.0f} / {_peak_rss_mb():,.0f} MB")]
    t0 = time.perf_counter()
    for i, _ in enumerate(analyzer.pipe(iter_corpus(rss_n), batch_size=BATCH), 1):
        if i in marks:
            now = _rss_now_mb()
            rows.append((f"RSS after {i:,} entries streamed (current / peak)",
                         f"{now:,.0f} / {_peak_rss_mb():,.0f} MB" if now is not None else f"- / {_peak_rss_mb():,.0f} MB"))
            print(f"  [rss] {i:,} entries, {time.perf_counter() - t0:,.0f} s", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="mbtnlp throughput vs bare spaCy (one process)")
    ap.add_argument("--n", type=int, default=None, help="entries to time (default 20,000; --quick: 2,000)")
    ap.add_argument("--n-process", type=int, default=2, help="processes for the speed-up figure (default 2)")
    ap.add_argument("--quick", action="store_true", help="2,000 entries: a smoke run")
    ap.add_argument("--rss", action="store_true", help="also measure peak RSS over a long stream (slow)")
    ap.add_argument("--rss-n", type=int, default=200_000, help="entries streamed for --rss (default 200,000)")
    ap.add_argument("--no-speedup", action="store_true", help="skip the n_process run")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved timing rounds (default 5)")
    args = ap.parse_args(argv)
    n = args.n or (2_000 if args.quick else 20_000)
    command = "python " + shlex.join(["benchmarks/throughput.py", *(sys.argv[1:] if argv is None else argv)])
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731

    rows: list[tuple[str, str]] = []
    if args.rss:  # first, before any big list exists in this process
        first = min(20_000, max(1, args.rss_n // 10))
        log(f"RSS: streaming {args.rss_n:,} entries (marks at {first:,} and {args.rss_n:,}) ...")
        rss_rows = measure_rss(args.rss_n, first)
    else:
        rss_rows = []

    texts = make_corpus(n)
    words = sum(len(t.split()) for t in texts)
    warm = make_corpus(WARMUP, SEED + 1)

    t0 = time.perf_counter()
    bare = _bare_nlp()
    t_load_bare = time.perf_counter() - t0
    bare_zoned = _bare_nlp()
    t0 = time.perf_counter()
    core = _core_nlp()
    t_load_core = time.perf_counter() - t0
    t0 = time.perf_counter()
    analyzer = mbtnlp.load()
    t_load_full = time.perf_counter() - t0

    runs = {"bare": _spacy_pipe(bare), "bare in zones": _spacy_pipe_in_zones(bare_zoned), "core": _spacy_pipe(core),
            "full": lambda xs: analyzer.pipe(xs, batch_size=BATCH)}
    for fn in runs.values():
        _time(fn, warm)
    # interleaved rounds: each round times every pipeline on the next slice of the corpus, so a slow spell of a
    # shared machine falls on all of them alike instead of on whichever ran then; the totals cover the whole corpus
    rounds = max(1, min(args.rounds, n // BATCH))
    times = {name: 0.0 for name in runs}
    per_round: dict[str, list[float]] = {name: [] for name in runs}
    log(f"timing {' / '.join(runs)} on {n:,} entries in {rounds} interleaved rounds ...")
    for r in range(rounds):
        chunk = texts[r * n // rounds:(r + 1) * n // rounds]
        for name, fn in runs.items():
            t = _time(fn, chunk)
            times[name] += t
            per_round[name].append(t)
    for name in runs:
        log(f"  {name}: {times[name]:.1f} s")

    def spread(name: str, base: str = "bare") -> str:
        ratios = sorted(t / b for t, b in zip(per_round[name], per_round[base]))
        return f" (rounds: {ratios[0]:.1f}–{ratios[-1]:.1f}x)" if len(ratios) > 1 else ""

    # where the time goes: each component of the full pipeline on a sample, one component at a time
    sample = texts[: min(n, 500)]
    comp_times: dict[str, float] = {}
    with analyzer.nlp.memory_zone():
        t0 = time.perf_counter()
        docs = [analyzer.nlp.make_doc(t) for t in sample]
        comp_times["tokenizer"] = time.perf_counter() - t0
        for pname, proc in analyzer.nlp.pipeline:
            t0 = time.perf_counter()
            docs = list(proc.pipe(docs, batch_size=BATCH)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
            comp_times[pname] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for d in docs:
            mbtnlp.api.analysis_from_doc(d)
        comp_times["Analysis objects"] = time.perf_counter() - t0
        del docs

    speed = None
    if not args.no_speedup and args.n_process > 1:
        log(f"timing full with n_process={args.n_process} on {n:,} entries ...")
        t_np = _time(lambda xs: analyzer.pipe(xs, batch_size=BATCH, n_process=args.n_process), texts)
        speed = (t_np, times["full"] / t_np)
        log(f"  n_process={args.n_process}: {t_np:.1f} s")

    def per_s(name: str) -> str:
        t = times[name]
        return f"{n / t:,.1f} entries/s, {words / t:,.0f} words/s ({t:,.1f} s)"

    rows += [
        ("corpus", f"{n:,} entries, {words:,} words ({words / n:.1f} words/entry), seed {SEED}"),
        ("machine", f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
                    f"spaCy {spacy.__version__}, mbtnlp {mbtnlp.__version__}"),
        ("pipeline build: bare / core / full", f"{t_load_bare:.2f} / {t_load_core:.2f} / {t_load_full:.2f} s"),
        ("bare: blank('en') + sentencizer, nlp.pipe", per_s("bare")),
        ("bare in memory zones (context)", per_s("bare in zones")),
        ("core: + mbtnlp_judgements, nlp.pipe", per_s("core")),
        ("full: Analyzer.pipe (n_process=1)", per_s("full")),
        ("ratio core / bare (time)", f"{times['core'] / times['bare']:,.1f}x{spread('core')}"),
        ("ratio full / bare (time)", f"{times['full'] / times['bare']:,.1f}x{spread('full')}"),
        ("(context) ratio full / bare in memory zones", f"{times['full'] / times['bare in zones']:,.1f}x"
                                                         f"{spread('full', 'bare in zones')}"),
    ]
    total = sum(comp_times.values())
    rows.append((f"full, time by component ({len(sample):,} entries)",
                 "; ".join(f"{k} {v / total:.0%} ({v * 1000 / len(sample):.2f} ms/entry)"
                           for k, v in comp_times.items())))
    if speed:
        t_np, ratio = speed
        rows.append((f"full: Analyzer.pipe (n_process={args.n_process})",
                     f"{n / t_np:,.1f} entries/s ({t_np:,.1f} s incl. pool start); speed-up {ratio:.2f}x"))
    rows += rss_rows

    print()
    print(f"Command: `{command}`")
    print()
    print("| measure | value |")
    print("|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    main()
