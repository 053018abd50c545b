"""A self-contained HTML report of ``mbtnlp analyze`` output, for a person to look at.

    from mbtnlp.report import write_report
    write_report("results.jsonl", "report.html")

The page has no external links or scripts: plots are embedded as base64 PNG. Safety-flagged entries come first,
with their evidence only (never the whole entry unless ``include_text=True``). Then counts, harsh judgements per
week (by kind), feelings per week (expressed vs suggested), the mentalizing trend, who is judged most, and a table
of all entries (flagged first). Entries without a date are bucketed by their position in the input.

:func:`build_report_data` returns the aggregated plain numbers (no matplotlib needed); the ``plot_*`` functions
draw one chart from those numbers onto a matplotlib ``Axes`` (handy in notebooks, e.g. one chart per person).
Output is deterministic: the same rows give byte-identical HTML.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import median
from typing import Any, Iterable

from . import __version__

MATPLOTLIB_MISSING = 'the report needs matplotlib: pip install "mbtnlp[report]"'
KIND_ORDER = ("label", "trait", "overgeneralization", "mind_reading")
TREND_WINDOW = 5
MAX_EVIDENCE_CHARS = 200
MAX_WHO = 15
MAX_WEEK_BUCKETS = 104  # longer spans are bucketed by month
MENTALIZING_NOTE = ("The mentalizing score is a descriptive measure of the text (0-3: how much the writing "
                    "wonders about minds, feelings and other explanations). It is not a clinical "
                    "reflective-functioning score and says nothing about the person.")
PRIVACY_NOTE = ("This page shows short evidence excerpts only, never whole entries. It stays on this computer: "
                "it loads nothing from the internet.")
LIMITS_NOTE = ("mbtnlp is a reflection aid, not a diagnosis. Safety flags route attention to entries that may "
               "need care; they are not risk probabilities and can be wrong in both directions.")
SUPPORT_NOTE = ("If someone is in immediate danger, contact local emergency services. If you are the writer "
                "and something here is true for you now, consider talking to someone you trust, your doctor, "
                "or a local crisis line.")
_COLORS = {"label": "#c0504d", "trait": "#e5873a", "overgeneralization": "#8064a2", "mind_reading": "#4f81bd",
           "expressed": "#2e7d32", "suggested": "#9e9e9e", "score": "#4f81bd", "trend": "#1a1a1a",
           "who": "#c0504d", "other": "#7f7f7f"}


# -- reading ----------------------------------------------------------------------------------------------------
def read_results(results: str | Path | Iterable[dict]) -> list[dict]:
    """Rows from a JSONL file written by ``mbtnlp analyze`` (or an iterable of row dicts, returned as a list).

    Blank lines are skipped; a line that is not a JSON object becomes an error row, so it is counted as failed.
    """
    if isinstance(results, (str, Path)):
        rows: list[dict] = []
        with Path(results).open("r", encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as err:
                    rows.append({"id": f"line {n}", "error": f"invalid JSON in results ({err.msg})"})
                    continue
                rows.append(obj if isinstance(obj, dict) else {"id": f"line {n}", "error": "not a JSON object"})
        return rows
    return [r if isinstance(r, dict) else {"id": n, "error": "not a row dict"} for n, r in enumerate(results, 1)]


# -- helpers ------------------------------------------------------------------------------------------------------
def _parse_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        s = value.strip()
        for candidate in (s[:10], s[:10].replace("/", "-")):
            try:
                return date.fromisoformat(candidate)
            except ValueError:
                pass
        try:
            return datetime.fromisoformat(s.replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None


def _is_error(row: dict) -> bool:
    return bool(row.get("error")) or not isinstance(row.get("safety"), dict)


def _flags(row: dict) -> list[str]:
    s = row.get("safety") or {}
    return [name for name in ("risk", "abuse") if s.get(name)]


def _clip(text: Any, limit: int = MAX_EVIDENCE_CHARS) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _plain(value: Any) -> Any:
    """A JSON-friendly scalar for ids and dates."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _bucket_keys(rows: list[dict]) -> tuple[str, list[str], list[str]]:
    """(unit, label per row, ordered bucket labels). Units: week, month (long spans) or entries (no dates)."""
    dates = [_parse_date(r.get("date")) for r in rows]
    known = [d for d in dates if d is not None]
    if not known:
        n = len(rows)
        size = 7 if n <= 140 else math.ceil(n / 20)
        span = lambda a, b: str(a) if a == b else f"{a}-{b}"  # noqa: E731
        labels = [span((i // size) * size + 1, min((i // size + 1) * size, n)) for i in range(n)]
        order = list(dict.fromkeys(labels))
        return "entries", labels, order
    first, last = min(known), max(known)
    monday = lambda d: d - timedelta(days=d.weekday())  # noqa: E731
    if (monday(last) - monday(first)).days // 7 + 1 > MAX_WEEK_BUCKETS:
        unit = "month"
        key = lambda d: f"{d.year:04d}-{d.month:02d}"  # noqa: E731
        order, y, m = [], first.year, first.month
        while (y, m) <= (last.year, last.month):
            order.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        unit = "week"
        key = lambda d: monday(d).isoformat()  # noqa: E731
        order, d = [], monday(first)
        while d <= last:
            order.append(d.isoformat())
            d += timedelta(days=7)
    labels = [key(d) if d is not None else "undated" for d in dates]
    if "undated" in labels:
        order.append("undated")
    return unit, labels, order


def _rolling_median(values: list[float], window: int) -> list[float | None]:
    return [None if i + 1 < window else round(median(values[i + 1 - window: i + 1]), 4) for i in range(len(values))]


# -- data ---------------------------------------------------------------------------------------------------------
def build_report_data(rows: Iterable[dict], *, include_text: bool = False) -> dict[str, Any]:
    """The report's aggregated plain numbers (JSON-safe; no matplotlib needed).

    Keys: ``n_rows``, ``n_failed``, ``n_analysed``, ``n_flagged``, ``n_risk``, ``n_abuse``, ``n_judgements``,
    ``n_self_judgements``, ``n_other_judgements``, ``n_expressed``, ``n_suggested``; ``bucket_unit`` (week, month or
    entries) and ``buckets`` (ordered labels; weeks are labelled by their Monday, empty weeks included) with the
    parallel lists ``entries_per_bucket``, ``judgements_per_bucket`` ({kind: n}) and ``feelings_per_bucket``
    ({"expressed": n, "suggested": n}); ``judgement_kinds``; ``who`` ([name, n], other people only, lowercased,
    most judged first); ``top_feelings`` ({"expressed"/"suggested": [[name, n], ...]}); ``mentalizing``
    ({"points", "trend", "window", "n_scored", "n_not_scored", "median"}); ``flagged`` (safety-flagged entries, in
    input order, with evidence) and ``entries`` (one summary per row, flagged first, no text unless asked).
    """
    rows = list(rows)
    unit, labels, order = _bucket_keys(rows)
    index_of = {b: i for i, b in enumerate(order)}
    entries_per_bucket = [0] * len(order)
    judgements_per_bucket: list[Counter] = [Counter() for _ in order]
    feelings_per_bucket = [{"expressed": 0, "suggested": 0} for _ in order]
    kinds: Counter = Counter()
    who: Counter = Counter()
    feel: dict[str, Counter] = {"expressed": Counter(), "suggested": Counter()}
    n_failed = n_self = n_other = n_risk = n_abuse = 0
    flagged: list[dict] = []
    entries: list[dict] = []
    points: list[dict] = []
    n_not_scored = 0
    for i, (row, bucket) in enumerate(zip(rows, labels)):
        b = index_of[bucket]
        entries_per_bucket[b] += 1
        rid, rdate = _plain(row.get("id", i + 1)), _plain(row.get("date"))
        entry: dict[str, Any] = {"index": i, "id": rid, "date": rdate, "bucket": bucket}
        if _is_error(row):
            n_failed += 1
            entry.update(error=str(row.get("error") or "malformed row"), flags=[])
            entries.append(entry)
            continue
        judgements = [j for j in row.get("judgements") or [] if isinstance(j, dict)]
        for j in judgements:
            kind = str(j.get("kind") or "other")
            judgements_per_bucket[b][kind] += 1
            kinds[kind] += 1
            if j.get("target") == "self":
                n_self += 1
            else:
                n_other += 1
                name = str(j.get("who") or "").strip().lower()
                if name:
                    who[name] += 1
        feelings = [f for f in row.get("feelings") or [] if isinstance(f, dict)]
        for f in feelings:
            status = "expressed" if f.get("status") == "expressed" else "suggested"
            feelings_per_bucket[b][status] += 1
            feel[status][str(f.get("name"))] += 1
        flags = _flags(row)
        n_risk += "risk" in flags
        n_abuse += "abuse" in flags
        m = row.get("mentalizing") or {}
        score = m.get("score")
        if isinstance(score, (int, float)) and not isinstance(score, bool):
            points.append({"index": i, "id": rid, "date": rdate, "score": float(score)})
        else:
            n_not_scored += 1
        entry.update(error=None, flags=flags, n_judgements=len(judgements),
                     kinds=sorted({str(j.get("kind")) for j in judgements}),
                     expressed=[str(f.get("name")) for f in feelings if f.get("status") == "expressed"],
                     suggested=[str(f.get("name")) for f in feelings if f.get("status") != "expressed"],
                     mentalizing_score=score if isinstance(score, (int, float)) else None)
        if include_text:
            entry["text"] = row.get("text", "")
        entries.append(entry)
        if flags:
            ev = [{"cue": str(e.get("cue", "")), "text": _clip(e.get("text"))}
                  for e in (row.get("safety") or {}).get("evidence") or [] if isinstance(e, dict)]
            item = {"index": i, "id": rid, "date": rdate, "flags": flags, "evidence": ev}
            if include_text:
                item["text"] = row.get("text", "")
            flagged.append(item)

    kind_order = [k for k in KIND_ORDER if k in kinds] + sorted(k for k in kinds if k not in KIND_ORDER)
    if unit != "entries":  # the trend follows time; entries without a date cannot be placed on it
        points = sorted((p for p in points if _parse_date(p["date"]) is not None),
                        key=lambda p: (_parse_date(p["date"]), p["index"]))
        for p in points:
            p["date"] = _parse_date(p["date"]).isoformat()
    medians = _rolling_median([p["score"] for p in points], TREND_WINDOW)
    trend = [{"index": p["index"], "date": p["date"], "median": m} for p, m in zip(points, medians) if m is not None]
    scores = [p["score"] for p in points]
    flagged_ids = {e["index"] for e in flagged}
    entries.sort(key=lambda e: (0 if e["index"] in flagged_ids else 2 if e.get("error") else 1, e["index"]))
    return {
        "n_rows": len(rows),
        "n_failed": n_failed,
        "n_analysed": len(rows) - n_failed,
        "n_flagged": len(flagged),
        "n_risk": n_risk,
        "n_abuse": n_abuse,
        "n_judgements": n_self + n_other,
        "n_self_judgements": n_self,
        "n_other_judgements": n_other,
        "n_expressed": sum(feel["expressed"].values()),
        "n_suggested": sum(feel["suggested"].values()),
        "bucket_unit": unit,
        "buckets": order,
        "entries_per_bucket": entries_per_bucket,
        "judgement_kinds": kind_order,
        "judgements_per_bucket": [{k: c[k] for k in kind_order if c[k]} for c in judgements_per_bucket],
        "feelings_per_bucket": feelings_per_bucket,
        "who": [[name, n] for name, n in sorted(who.items(), key=lambda kv: (-kv[1], kv[0]))],
        "top_feelings": {s: [[name, n] for name, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]
                         for s, c in feel.items()},
        "mentalizing": {"points": points, "trend": trend, "window": TREND_WINDOW, "n_scored": len(points),
                        "n_not_scored": n_not_scored, "median": round(median(scores), 4) if scores else None},
        "flagged": flagged,
        "entries": entries,
    }


# -- plots --------------------------------------------------------------------------------------------------------
def _require_matplotlib():
    try:
        import matplotlib  # noqa: F401
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError(MATPLOTLIB_MISSING) from None
    return Figure


def _axes(ax, size=(8.0, 3.2)):
    if ax is not None:
        return ax
    Figure = _require_matplotlib()
    fig = Figure(figsize=size, dpi=100)
    return fig.add_subplot(1, 1, 1)


def _xticks(ax, labels: list[str], unit: str) -> None:
    n = len(labels)
    step = max(1, math.ceil(n / 14))
    ticks = list(range(0, n, step))
    ax.set_xticks(ticks)
    shown = [labels[t][5:] if unit == "week" and labels[t] != "undated" else labels[t] for t in ticks]
    ax.set_xticklabels(shown, rotation=45 if n > 6 else 0, ha="right" if n > 6 else "center", fontsize=8)
    ax.set_xlabel({"week": "week starting (MM-DD)", "month": "month", "entries": "entries (input order)"}[unit])


def _integer_axis(axis) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _empty(ax, message: str):
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#666666")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def plot_judgements(data: dict, ax=None, title: str | None = "Harsh judgements by kind"):
    """Stacked bars: judgements per bucket (week/month/entries), one colour per kind."""
    ax = _axes(ax)
    if title:
        ax.set_title(title, fontsize=10)
    if not data["n_judgements"]:
        return _empty(ax, "no harsh judgements found")
    x = list(range(len(data["buckets"])))
    bottom = [0] * len(x)
    for kind in data["judgement_kinds"]:
        heights = [b.get(kind, 0) for b in data["judgements_per_bucket"]]
        ax.bar(x, heights, bottom=bottom, color=_COLORS.get(kind, _COLORS["other"]), label=kind.replace("_", " "),
               width=0.8)
        bottom = [a + h for a, h in zip(bottom, heights)]
    _xticks(ax, data["buckets"], data["bucket_unit"])
    _integer_axis(ax.yaxis)
    ax.set_ylabel("judgements")
    ax.legend(fontsize=8, frameon=False)
    ax.figure.tight_layout()
    return ax


def plot_feelings(data: dict, ax=None, title: str | None = "Feelings: expressed vs suggested"):
    """Lines: feelings the writer named (expressed) and ones the situation suggests, per bucket."""
    ax = _axes(ax)
    if title:
        ax.set_title(title, fontsize=10)
    if not (data["n_expressed"] or data["n_suggested"]):
        return _empty(ax, "no feelings found")
    x = list(range(len(data["buckets"])))
    for status, style in (("expressed", "-o"), ("suggested", "--s")):
        ax.plot(x, [b[status] for b in data["feelings_per_bucket"]], style, color=_COLORS[status], label=status,
                markersize=3)
    _xticks(ax, data["buckets"], data["bucket_unit"])
    _integer_axis(ax.yaxis)
    ax.set_ylabel("feelings")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, frameon=False)
    ax.figure.tight_layout()
    return ax


def plot_mentalizing(data: dict, ax=None, title: str | None = "Mentalizing (descriptive text measure, 0-3)"):
    """Scored entries as dots, and the rolling median (window 5) once there are at least 5 scored entries."""
    ax = _axes(ax)
    if title:
        ax.set_title(title, fontsize=10)
    m = data["mentalizing"]
    if not m["points"]:
        return _empty(ax, "no scored entries")
    dated = data["bucket_unit"] != "entries"
    xs = [date.fromisoformat(p["date"]) if dated else p["index"] + 1 for p in m["points"]]
    ax.plot(xs, [p["score"] for p in m["points"]], "o", color=_COLORS["score"], alpha=0.45, markersize=3,
            label="entry")
    if m["trend"]:
        tx = [date.fromisoformat(t["date"]) if dated else t["index"] + 1 for t in m["trend"]]
        ax.plot(tx, [t["median"] for t in m["trend"]], "-", color=_COLORS["trend"], linewidth=1.6,
                label=f"rolling median ({m['window']} entries)")
    else:
        ax.text(0.99, 0.95, f"fewer than {m['window']} scored entries: no trend line", ha="right", va="top",
                transform=ax.transAxes, fontsize=8, color="#666666")
    ax.set_ylim(-0.1, 3.1)
    ax.set_ylabel("score")
    ax.set_xlabel("date" if dated else "entry number")
    if dated:
        ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    ax.figure.tight_layout()
    return ax


def plot_who(data: dict, ax=None, title: str | None = "Who is judged most", top: int = MAX_WHO):
    """Horizontal bars: how often each person (as written, lowercased) is the target of a harsh judgement."""
    ax = _axes(ax, size=(8.0, 0.35 * min(top, max(len(data["who"]), 3)) + 1.2))
    if title:
        ax.set_title(title, fontsize=10)
    if not data["who"]:
        return _empty(ax, "nobody else is judged")
    items = data["who"][:top][::-1]
    ax.barh(range(len(items)), [n for _, n in items], color=_COLORS["who"])
    ax.set_yticks(range(len(items)))
    ax.set_yticklabels([name for name, _ in items], fontsize=8)
    ax.set_xlabel("judgements")
    _integer_axis(ax.xaxis)
    ax.figure.tight_layout()
    return ax


PLOTS = {"judgements": plot_judgements, "feelings": plot_feelings, "mentalizing": plot_mentalizing,
         "who": plot_who}


def _png(ax) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = ax.figure
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


# -- html ---------------------------------------------------------------------------------------------------------
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1a1a1a;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f4f4f4}
.note{color:#555;font-size:.9rem}.safety{border:2px solid #c0504d;padding:.5rem 1rem;border-radius:6px}
.flag{color:#c0504d;font-weight:600}tr.flagged td{background:#fdf0ef}tr.failed td{color:#888}
img{max-width:100%;height:auto}dl.counts{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
dl.counts dt{color:#555}dl.counts dd{margin:0;font-weight:600}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _img(ax, alt: str) -> str:
    return f'<img src="data:image/png;base64,{_png(ax)}" alt="{_e(alt)}">'


def render_html(data: dict, *, title: str = "mbtnlp journal report", generated: str | None = None) -> str:
    """The HTML page for ``data`` (from :func:`build_report_data`). Needs matplotlib for the plots."""
    _require_matplotlib()
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", f"<h1>{_e(title)}</h1>",
           f'<p class="note">{_e(PRIVACY_NOTE)} {_e(LIMITS_NOTE)}</p>']
    has_text = any("text" in f for f in data["flagged"]) or any("text" in e for e in data["entries"])

    # 1. safety first
    out.append('<section class="safety" id="safety"><h2>Safety flags</h2>')
    if data["flagged"]:
        out.append(f'<p><span class="flag">{data["n_flagged"]} entr{"y" if data["n_flagged"] == 1 else "ies"} '
                   f'flagged</span> (risk: {data["n_risk"]}, abuse: {data["n_abuse"]}). '
                   f'Please read these first. {_e(SUPPORT_NOTE)}</p>')
        head = "<tr><th>id</th><th>date</th><th>flag</th><th>evidence</th>" + ("<th>text</th>" if has_text else "")
        out += ["<table>", head + "</tr>"]
        for f in data["flagged"]:
            ev = "<br>".join(f"{_e(e['text'])} <span class=\"note\">({_e(e['cue'])})</span>" for e in f["evidence"])
            out.append(f'<tr class="flagged"><td>{_e(f["id"])}</td><td>{_e(f["date"])}</td>'
                       f'<td class="flag">{_e(", ".join(f["flags"]))}</td><td>{ev or "-"}</td>'
                       + (f"<td>{_e(f.get('text', ''))}</td>" if has_text else "") + "</tr>")
        out.append("</table>")
    else:
        out.append("<p>No entry was flagged for risk or abuse.</p>")
    out.append("</section>")

    # 2. counts
    m = data["mentalizing"]
    counts = [("rows", data["n_rows"]), ("analysed", data["n_analysed"]), ("failed rows", data["n_failed"]),
              ("safety-flagged entries", data["n_flagged"]),
              ("harsh judgements", f'{data["n_judgements"]} ({data["n_other_judgements"]} about others, '
                                   f'{data["n_self_judgements"]} about the writer)'),
              ("feelings", f'{data["n_expressed"]} expressed, {data["n_suggested"]} suggested'),
              ("mentalizing", f'{m["n_scored"]} scored entries, median '
                              f'{"-" if m["median"] is None else format(m["median"], ".2f")}')]
    out.append('<section id="counts"><h2>Counts</h2><dl class="counts">')
    out += [f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in counts]
    out.append("</dl>")
    for status in ("expressed", "suggested"):
        top = data["top_feelings"][status][:8]
        if top:
            out.append(f'<p class="note">Most frequent {status} feelings: '
                       + ", ".join(f"{_e(n.replace('_', ' '))} ({c})" for n, c in top) + "</p>")
    out.append("</section>")

    unit = {"week": "week", "month": "month", "entries": "group of entries (no dates)"}[data["bucket_unit"]]
    out.append(f'<section id="judgements"><h2>Harsh judgements per {_e(unit)}</h2>'
               f'{_img(plot_judgements(data, title=None), "harsh judgements per " + unit)}</section>')
    out.append(f'<section id="feelings"><h2>Feelings per {_e(unit)}</h2>'
               '<p class="note">Expressed: feelings the writer named. Suggested: feelings the situation may '
               'point to, offered tentatively.</p>'
               f'{_img(plot_feelings(data, title=None), "feelings per " + unit)}</section>')
    out.append('<section id="mentalizing"><h2>Mentalizing trend</h2>'
               f'<p class="note">{_e(MENTALIZING_NOTE)} The line is the rolling median over {m["window"]} scored '
               f'entries; {m["n_not_scored"]} analysed entries were not scored (too short or safety-flagged).</p>'
               f'{_img(plot_mentalizing(data, title=None), "mentalizing score trend")}</section>')
    out.append('<section id="who"><h2>Who is judged most</h2>'
               f'{_img(plot_who(data, title=None), "who is judged most")}</section>')

    # all entries, flagged first, no text by default
    head = ("<tr><th>id</th><th>date</th><th>flag</th><th>judgements</th><th>expressed</th><th>suggested</th>"
            "<th>mentalizing</th>" + ("<th>text</th>" if has_text else "") + "</tr>")
    out += ['<section id="entries"><h2>All entries</h2><p class="note">Flagged entries first, then the rest in '
            'input order, then rows that could not be analysed.</p><table>', head]
    for e in data["entries"]:
        if e.get("error"):
            out.append(f'<tr class="failed"><td>{_e(e["id"])}</td><td>{_e(e["date"])}</td>'
                       f'<td colspan="{6 if has_text else 5}">failed: {_e(e["error"])}</td>'
                       + ("<td></td>" if has_text else "") + "</tr>")
            continue
        score = e.get("mentalizing_score")
        cls = ' class="flagged"' if e["flags"] else ""
        out.append(f'<tr{cls}><td>{_e(e["id"])}</td><td>{_e(e["date"])}</td>'
                   f'<td class="flag">{_e(", ".join(e["flags"]))}</td>'
                   f'<td>{e["n_judgements"]}{" (" + _e(", ".join(e["kinds"])) + ")" if e["kinds"] else ""}</td>'
                   f'<td>{_e(", ".join(e["expressed"]))}</td><td>{_e(", ".join(e["suggested"]))}</td>'
                   f'<td>{"-" if score is None else format(score, ".2f")}</td>'
                   + (f"<td>{_e(e.get('text', ''))}</td>" if has_text else "") + "</tr>")
    out += ["</table></section>"]
    foot = f"made with mbtnlp {__version__}" + (f", {generated}" if generated else "")
    out += [f'<p class="note">{_e(foot)}</p>', "</body>", "</html>", ""]
    return "\n".join(out)


def write_report(results: str | Path | Iterable[dict], output: str | Path, *, include_text: bool = False,
                 title: str = "mbtnlp journal report", generated: str | None = None) -> Path:
    """Write one self-contained HTML page for the rows in ``results`` (a JSONL path or row dicts).

    ``include_text=True`` adds whole entries to the page (off by default for privacy). ``generated`` is an
    optional string (e.g. a timestamp) shown in the footer; without it the output is identical for identical input.
    Raises ImportError when matplotlib is not installed.
    """
    _require_matplotlib()
    data = build_report_data(read_results(results), include_text=include_text)
    page = render_html(data, title=title, generated=generated)
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return out
