"""Spark (mapInPandas) and Dask (bag, dataframe) adapters on small local clusters. Sentences written for these tests."""

from __future__ import annotations

import json
import os
import pickle
import sys
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")

ROOT = str(Path(__file__).resolve().parents[1])

JUDGEMENT = "My boss is a complete idiot and I am so angry with him."
PLAIN = [
    "Walked to the allotment after work and picked the last of the beans.",
    "I feel a bit sad tonight. The flat is quiet and I miss my sister.",
    "Had a long call with Dad about the holiday plans. We mostly agreed.",
    "Work was busy but fine. I finished the report early for once.",
]


def _rows(n: int = 50) -> list[dict]:
    """n records: every 7th has the known judgement, some texts are empty, blank or null."""
    rows = []
    for i in range(n):
        if i % 10 == 3:
            text = ""
        elif i % 10 == 6:
            text = None
        elif i == 9:
            text = "   \n"
        elif i % 7 == 0:
            text = JUDGEMENT
        else:
            text = PLAIN[i % len(PLAIN)]
        rows.append({"id": f"e{i:03d}", "text": text, "date": f"2024-03-{i % 28 + 1:02d}"})
    return rows


def _expected_errors(rows: list[dict]) -> set[str]:
    return {r["id"] for r in rows if r["text"] is None or not r["text"].strip()}


def _check(out: list[dict], rows: list[dict]) -> None:
    """Same count and ids, in order; error rows exactly for null/blank text; the judgement flagged."""
    assert len(out) == len(rows)
    assert [o["id"] for o in out] == [r["id"] for r in rows]
    assert [o["date"] for o in out] == [r["date"] for r in rows]
    errors = {o["id"] for o in out if o["error"]}
    assert errors == _expected_errors(rows) and errors
    for o, r in zip(out, rows):
        if o["error"]:
            assert o["analysis_json"] is None and o["n_judgements"] is None
            continue
        assert json.loads(o["analysis_json"])["text"] == r["text"]
        if r["text"] == JUDGEMENT:
            assert o["n_judgements"] >= 1 and "label" in o["judgement_kinds"], o
            assert o["judged"] == "my boss"


@pytest.fixture(scope="module")
def worker_env():
    """Executors/workers are fresh processes: make sure they run this Python and can import this checkout."""
    old = {k: os.environ.get(k) for k in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON", "PYTHONPATH")}
    os.environ["PYSPARK_PYTHON"] = os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (ROOT, old["PYTHONPATH"]) if p)
    yield
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


# -- Spark ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def spark(worker_env):
    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("mbtnlp-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.executorEnv.PYTHONPATH", os.environ["PYTHONPATH"])
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.mark.slow
def test_spark_map_in_pandas(spark):
    from mbtnlp.integrations.spark import SCHEMA_DDL, analyze_dataframe, analyze_partitions

    rows = _rows(50)
    df = spark.createDataFrame([(r["id"], r["text"], r["date"]) for r in rows], "id string, text string, date string")

    # the raw mapInPandas path, 3 partitions; order across partitions is restored by id
    out = df.repartition(3).mapInPandas(analyze_partitions("text", "id", "date"), schema=SCHEMA_DDL).collect()
    _check(sorted((o.asDict() for o in out), key=lambda o: o["id"]), rows)

    # the convenience wrapper on one partition keeps input order without sorting; the schema is the DDL's
    res = analyze_dataframe(df.coalesce(1), date_col="date")
    assert res.schema.simpleString() == f"struct<{SCHEMA_DDL.replace(' ', ':').replace(',:', ',')}>"
    _check([o.asDict() for o in res.collect()], rows)


@pytest.mark.slow
def test_spark_function_is_light_and_columns_checked(spark):
    pytest.importorskip("pyspark")
    from pyspark import cloudpickle

    from mbtnlp.integrations.spark import analyze_dataframe, analyze_partitions

    fn = analyze_partitions("body", "key")
    assert len(cloudpickle.dumps(fn)) < 2_000  # no pipeline inside: it is built in the worker
    df = spark.createDataFrame([("a", "x")], "id string, txt string")
    with pytest.raises(ValueError, match="text"):
        analyze_dataframe(df)


def test_spark_partition_function_locally():
    """The mapInPandas function itself, without a cluster (fast): batches in, same-length batches out."""
    pytest.importorskip("pyspark")
    from mbtnlp.integrations.spark import analyze_partitions

    rows = _rows(12)
    batches = [pd.DataFrame(rows[:5]), pd.DataFrame(rows[5:5]), pd.DataFrame(rows[5:])]
    outs = list(analyze_partitions(date_col="date")(iter(batches)))
    assert [len(o) for o in outs] == [5, 0, 7]
    _check([r for o in outs for r in o.astype(object).where(o.notna(), None).to_dict("records")], rows)


# -- Dask -----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dask_client(worker_env):
    pytest.importorskip("dask.dataframe")
    pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            yield client


def _records(frame) -> list[dict]:
    return [{k: (None if v is pd.NA or (isinstance(v, float) and v != v) else v) for k, v in r.items()}
            for r in frame.astype(object).to_dict("records")]


@pytest.mark.slow
def test_dask_dataframe(dask_client):
    import dask.dataframe as dd

    from mbtnlp.integrations.dask import META, analyze_partition

    rows = _rows(50)
    ddf = dd.from_pandas(pd.DataFrame(rows), npartitions=4)
    res = ddf.map_partitions(analyze_partition, text_col="text", id_col="id", date_col="date", meta=META)
    assert list(res.columns) == list(META.columns)
    out = res.compute()
    assert list(out.index) == list(range(50))  # one row per input row, index kept
    _check(_records(out), rows)
    # both worker processes did work, each with its own pipeline
    assert len(dask_client.scheduler_info()["workers"]) == 2


@pytest.mark.slow
def test_dask_bag(dask_client):
    import dask.bag as db

    from mbtnlp.integrations.dask import analyze_bag, analyze_partition

    rows = _rows(50)
    out = db.from_sequence(rows, npartitions=4).map_partitions(analyze_partition, date_col="date").compute()
    _check(out, rows)
    # plain strings: ids are null, order kept
    texts = [JUDGEMENT, "", PLAIN[0]]
    out = analyze_bag(db.from_sequence(texts, npartitions=2)).compute()
    assert [o["id"] for o in out] == [None] * 3
    assert out[0]["n_judgements"] >= 1 and out[1]["error"] == "empty text" and not out[2]["error"]


def test_dask_partition_locally_keeps_index_and_dtypes():
    from mbtnlp.integrations.dask import META, analyze_partition

    part = pd.DataFrame({"id": [10, 11, None], "text": [JUDGEMENT, None, 42]}, index=[7, 8, 9])
    out = analyze_partition(part)
    assert list(out.index) == [7, 8, 9] and out.dtypes.equals(META.dtypes)
    assert list(out["id"]) == ["10", "11", None]
    assert out["error"].tolist() == [None, "text is null", "text is not a string (int)"]
    assert pickle.loads(pickle.dumps(analyze_partition)) is analyze_partition
