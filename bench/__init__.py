"""The benchmark harness behind `make bench`.

Every workload is measured next to a floor measured in the same run: the least
the framework itself can do for the same job on the same machine and broker.
Each workload writes its figures to `var/bench/<name>.json` (see
`bench.results`); `python -m bench.report` folds every such file into
`docs/benchmarks.md`. Nothing here runs in `make test` except the unit tests of
the harness's own logic: tests never assert times."""

import warnings

# The harness writes into services' outboxes as they do, and so imports eventlet
# (through infra.outbox): its deprecation notice says nothing about the figures.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
