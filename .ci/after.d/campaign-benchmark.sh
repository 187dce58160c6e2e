#!/usr/bin/env bash
# Smoke run of the campaign benchmark: a 2,000-entry campaign must finish on one clock advance.
set -euo pipefail
python benchmarks/campaign_run.py --entries 2000 --channels 100
