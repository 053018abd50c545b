"""Adapters for distributed engines: :mod:`mbtnlp.integrations.spark` (``mapInPandas``) and
:mod:`mbtnlp.integrations.dask` (``map_partitions`` on DataFrames and bags). Import them explicitly; each needs
its extra (``pip install "mbtnlp[spark]"`` / ``"mbtnlp[dask]"``)."""
