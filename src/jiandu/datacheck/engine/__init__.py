"""The big-data comparison engine (大数据比对): pure Python over Ibis, no Django.

Public entry points for the rest of Jiandu:

- ``catalog``: the datasets, their columns and the headers departments use for them,
  the rules with their Chinese names and parameters, and a hit's identity across runs,
  without importing the engine (Ibis, DuckDB, PyArrow): what Django and ``--help`` load;

- ``DatasetStore(root).import_file(dataset=..., path=..., mapping=None)`` → ``ImportReport``
  (``datasets``): normalise and version a department file;
- ``run_suite(data_dir=..., out_dir=..., rules=None, backend="duckdb", params=None,
  progress=None)`` → summary dict (``runner``): run the rules, write hits.csv and
  summary.json atomically;
- ``list_rules()`` (``rules``): the rules with their parameters and defaults;
- ``suggest_identities(records=..., persons=...)`` (``identity``): who was probably
  meant by a missing or invalid ID number (a suggestion, never a merge);
- ``generate(out_dir=..., persons=..., seed=...)`` (``generator``): synthetic registers
  with planted anomalies and ``truth.csv``;
- ``cli.main(argv)``: the ``jiandu datacheck`` command line.

``backends`` is the only module that knows DuckDB or Spark.
"""
