"""Spark adapter: analyse a DataFrame column with ``mapInPandas``.

    from mbtnlp.integrations.spark import SCHEMA_DDL, analyze_dataframe, analyze_partitions

    out = analyze_dataframe(df, text_col="text", id_col="id", date_col="date")
    # same as: df.mapInPandas(analyze_partitions("text", "id", "date"), schema=SCHEMA_DDL)

How it runs:

* The function sent to the executors is a small picklable object holding only column names. Each Python worker
  builds the default analyzer the first time it needs it and keeps it (:func:`mbtnlp.api.default_analyzer` is
  cached per process; with Spark's default ``spark.python.worker.reuse=true`` the worker survives across tasks).
  No spaCy object is broadcast or pickled.
* Inside an executor analysis runs with ``n_process=1``: Spark already runs one Python worker per task slot.
* Every input row gives exactly one output row, in the order of its partition. Rows that cannot be analysed
  (null/empty/non-string/too long text, or an unexpected failure) get ``error`` set and null results.
* Output schema: :data:`SCHEMA_DDL` (the flat schema of :func:`mbtnlp.batch.flatten`, ids and dates as strings,
  plus ``analysis_json``: the full ``Analysis.to_dict()`` as JSON, null on error rows).

Needs ``pip install "mbtnlp[spark]"`` (pyspark, pandas, pyarrow) and mbtnlp importable on the executors.
"""

from __future__ import annotations

from typing import Any, Iterator

try:
    import pandas as pd  # noqa: F401  (mapInPandas batches)
    import pyarrow  # noqa: F401  (mapInPandas transport)
    import pyspark  # noqa: F401
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError(f'mbtnlp.integrations.spark needs pyspark, pandas and pyarrow ({err.name} is missing): '
                      'pip install "mbtnlp[spark]"') from None

from .dask import COLUMNS, DEFAULT_BATCH_SIZE, analyze_frame

#: The flat output schema as a Spark DDL string (column order = :data:`mbtnlp.integrations.dask.COLUMNS`).
SCHEMA_DDL = ("id string, date string, error string, n_judgements int, judgement_kinds string, "
              "n_self_judgements int, judged string, max_severity double, expressed string, suggested string, "
              "top_feeling string, risk boolean, abuse boolean, caution boolean, mentalizing_score double, "
              "n_prompts int, first_question string, analysis_json string")

assert [c.split()[0] for c in SCHEMA_DDL.split(", ")] == COLUMNS, "SCHEMA_DDL out of step with COLUMNS"


class _PartitionAnalyzer:
    """The ``mapInPandas`` function. Pickled by reference to this class + three strings: nothing heavy."""

    def __init__(self, text_col: str, id_col: str | None, date_col: str | None, batch_size: int) -> None:
        self.text_col, self.id_col, self.date_col, self.batch_size = text_col, id_col, date_col, batch_size

    def __call__(self, batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            out = analyze_frame(batch, self.text_col, self.id_col, self.date_col, self.batch_size)
            yield out.reset_index(drop=True)

    def __repr__(self) -> str:
        return (f"analyze_partitions(text_col={self.text_col!r}, id_col={self.id_col!r}, "
                f"date_col={self.date_col!r})")


def analyze_partitions(text_col: str = "text", id_col: str | None = "id", date_col: str | None = None,
                       batch_size: int = DEFAULT_BATCH_SIZE):
    """A function for ``df.mapInPandas(fn, schema=SCHEMA_DDL)``: ``Iterator[pd.DataFrame] -> Iterator[pd.DataFrame]``.

    ``id_col=None`` leaves ids null; ``date_col`` (optional) is passed through as an ISO string.
    """
    return _PartitionAnalyzer(text_col, id_col, date_col, batch_size)


def analyze_dataframe(df: Any, text_col: str = "text", id_col: str | None = "id", date_col: str | None = None,
                      batch_size: int = DEFAULT_BATCH_SIZE) -> Any:
    """``df.mapInPandas(analyze_partitions(...), schema=SCHEMA_DDL)``, checking the columns on the driver first.

    Only the named columns are shipped to Python (a ``select`` runs first).
    """
    cols = [c for c in (id_col, date_col, text_col) if c is not None]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not in DataFrame (columns: {df.columns})")
    return df.select(*dict.fromkeys(cols)).mapInPandas(
        analyze_partitions(text_col, id_col, date_col, batch_size), schema=SCHEMA_DDL)
