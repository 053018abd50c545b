"""Dask adapters: analyse a partition (pandas DataFrame or list of records/strings) in a Dask worker.

    import dask.dataframe as dd
    from mbtnlp.integrations.dask import META, analyze_partition

    out = ddf.map_partitions(analyze_partition, text_col="text", id_col="id", meta=META)

    import dask.bag as db
    rows = bag.map_partitions(analyze_partition, text_col="text", id_col="id")   # bag of flat dicts

Each worker process builds the default analyzer once (:func:`mbtnlp.api.default_analyzer` is cached per process);
no spaCy object is ever sent through the scheduler. Every input row gives exactly one output row, in input order;
a row that cannot be analysed (null/empty/non-string/too long text, or an unexpected failure) gets ``error`` set
and null results. Output columns: :data:`mbtnlp.batch.FLAT_COLUMNS` + ``analysis_json`` (the full
``Analysis.to_dict()`` as JSON, null on error rows).

This module needs only pandas at import time (the Spark adapter reuses :func:`analyze_frame`); the convenience
wrappers :func:`analyze_bag` and :func:`analyze_dask_dataframe` need ``pip install "mbtnlp[dask]"``.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from typing import Any, Iterable

try:
    import pandas as pd
except ImportError:  # pragma: no cover - depends on the environment
    raise ImportError('mbtnlp.integrations.dask needs pandas and dask: pip install "mbtnlp[dask]"') from None

from ..api import default_analyzer
from ..batch import FLAT_COLUMNS, Record, analyze_records, flatten

#: Output columns: the flat schema plus the full analysis as JSON.
COLUMNS = [*FLAT_COLUMNS, "analysis_json"]
_INT_COLUMNS = ("n_judgements", "n_self_judgements", "n_prompts")
_FLOAT_COLUMNS = ("max_severity", "mentalizing_score")
_BOOL_COLUMNS = ("risk", "abuse", "caution")
#: pandas dtypes of the output (nullable ints/bools so error rows stay null; strings as ``object`` on purpose:
#: ``astype(str)`` would turn None into "None" on pandas 2).
DTYPES: dict[str, str] = {c: ("Int32" if c in _INT_COLUMNS else "float64" if c in _FLOAT_COLUMNS
                              else "boolean" if c in _BOOL_COLUMNS else "object") for c in COLUMNS}
DEFAULT_BATCH_SIZE = 256


def _missing(x: Any) -> bool:
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    return isinstance(x, float) and math.isnan(x)


def _as_str(x: Any) -> str | None:
    """Ids and dates leave as strings (the Spark schema is ``string``); missing values as None."""
    if _missing(x):
        return None
    if isinstance(x, str):
        return x
    if isinstance(x, float) and x.is_integer():  # an integer id column with nulls arrives as float64
        return str(int(x))
    if isinstance(x, (_dt.date, _dt.datetime, pd.Timestamp)):
        return x.isoformat()
    return str(x)


def _record(text: Any, rid: Any, date: Any) -> Record:
    if _missing(text):
        return Record(_as_str(rid), _as_str(date), None, "text is null")
    return Record(_as_str(rid), _as_str(date), text)  # batch._prepare checks type/emptiness/length


def _flat(row: dict) -> dict:
    out = dict.fromkeys(COLUMNS)  # error rows carry every column too (nulls)
    out.update(flatten(row))
    if row.get("error"):
        out["analysis_json"] = None
    else:
        out["analysis_json"] = json.dumps({k: v for k, v in row.items() if k not in ("id", "date")},
                                          ensure_ascii=False)
    return out


def analyze_records_flat(records: list[Record], batch_size: int = DEFAULT_BATCH_SIZE) -> list[dict]:
    """Flat rows (+ ``analysis_json``) for prepared records, one per record, in order, in this process.

    Uses the per-process cached analyzer with ``n_process=1``. If a batch fails unexpectedly, it is redone one
    record at a time so that only the offending record becomes an ``error`` row.
    """
    analyzer = default_analyzer()
    try:
        rows = list(analyze_records(records, analyzer=analyzer, batch_size=batch_size, n_process=1))
    except Exception:  # noqa: BLE001 - isolate the failing record below
        rows = []
        for rec in records:
            try:
                rows.extend(analyze_records([rec], analyzer=analyzer, batch_size=1, n_process=1))
            except Exception as err:  # noqa: BLE001 - recorded on the row, never dropped
                rows.append({"id": rec.id, "date": rec.date, "error": f"analysis failed: {type(err).__name__}: {err}"})
    out = []
    for rec, row in zip(records, rows):
        flat = _flat(row)
        flat["id"], flat["date"] = rec.id, rec.date  # keep null ids null (batch numbers missing ids)
        out.append(flat)
    return out


def to_frame(rows: Iterable[dict], index: Any = None) -> pd.DataFrame:
    """Flat rows as a DataFrame with :data:`COLUMNS` and :data:`DTYPES`."""
    rows = list(rows)
    # Column by column with explicit dtypes: a frame built from dicts would infer pandas' string dtype and turn
    # None into NaN.
    return pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=DTYPES[c], index=index) for c in COLUMNS},
                        columns=COLUMNS, index=index)


#: The ``meta`` for ``ddf.map_partitions(analyze_partition, meta=META)``: an empty frame with the output schema.
META = to_frame([])


def analyze_frame(part: pd.DataFrame, text_col: str = "text", id_col: str | None = "id",
                  date_col: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE) -> pd.DataFrame:
    """One output row per row of ``part`` (same index, same order). ``id_col=None``: ids are null."""
    if len(part) == 0:
        return to_frame([], index=part.index)
    for col in (text_col, id_col, date_col):
        if col is not None and col not in part.columns:
            raise KeyError(f"column {col!r} not in partition (columns: {list(part.columns)})")
    n = len(part)
    texts = part[text_col].tolist()
    ids = part[id_col].tolist() if id_col is not None else [None] * n
    dates = part[date_col].tolist() if date_col is not None else [None] * n
    records = [_record(t, i, d) for t, i, d in zip(texts, ids, dates)]
    return to_frame(analyze_records_flat(records, batch_size), index=part.index)


def analyze_partition(part: Any, text_col: str = "text", id_col: str | None = "id", date_col: str | None = None,
                      batch_size: int = DEFAULT_BATCH_SIZE) -> Any:
    """Analyse one partition and return the same kind of partition.

    * a pandas DataFrame -> a DataFrame shaped like :data:`META` (for ``ddf.map_partitions``);
    * a list/iterable of dicts or strings -> a list of flat dicts (for ``bag.map_partitions``). Dicts are read
      with ``text_col``/``id_col``/``date_col``; plain strings get ``id=None`` (output order = input order).
    """
    if isinstance(part, pd.DataFrame):
        return analyze_frame(part, text_col, id_col, date_col, batch_size)
    if isinstance(part, (str, bytes)):
        raise TypeError("analyze_partition expects a partition (DataFrame or list), not a single string")
    records = []
    for item in part:
        if isinstance(item, dict):
            if text_col not in item:
                records.append(Record(_as_str(item.get(id_col)) if id_col else None,
                                      _as_str(item.get(date_col)) if date_col else None, None,
                                      f"missing field {text_col!r}"))
            else:
                records.append(_record(item[text_col], item.get(id_col) if id_col else None,
                                       item.get(date_col) if date_col else None))
        else:
            records.append(_record(item, None, None))
    return analyze_records_flat(records, batch_size)


def analyze_bag(bag: Any, text_col: str = "text", id_col: str | None = "id", date_col: str | None = None,
                batch_size: int = DEFAULT_BATCH_SIZE) -> Any:
    """``bag.map_partitions(analyze_partition, ...)``: a bag of flat dicts."""
    return bag.map_partitions(analyze_partition, text_col=text_col, id_col=id_col, date_col=date_col,
                              batch_size=batch_size)


def analyze_dask_dataframe(ddf: Any, text_col: str = "text", id_col: str | None = "id", date_col: str | None = None,
                           batch_size: int = DEFAULT_BATCH_SIZE) -> Any:
    """``ddf.map_partitions(analyze_partition, ..., meta=META)``: a Dask DataFrame of flat rows."""
    return ddf.map_partitions(analyze_partition, text_col=text_col, id_col=id_col, date_col=date_col,
                              batch_size=batch_size, meta=META)
