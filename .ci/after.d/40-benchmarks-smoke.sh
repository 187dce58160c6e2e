#!/usr/bin/env bash
# The benchmarks run in smoke mode: they must work end to end (wrk drives every server without
# errors, state operations and sandboxes complete), not meet their speed targets on a CI machine.
set -euo pipefail
python benchmarks/http_load.py --smoke
python benchmarks/state_ops.py --smoke
python benchmarks/sandboxes.py --smoke --cycles 3  # with create/delete cycles: memory given back
python benchmarks/snapshot_stall.py --smoke
python benchmarks/call_exchanges.py --smoke
python benchmarks/state_file_crash.py --smoke
