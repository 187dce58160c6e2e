#!/usr/bin/env bash
# The yemot-router2 IVR service of tests/ivr/ runs on Node: install its pinned npm packages
# (tests/ivr/node/package-lock.json) so the tests run instead of installing them on first use.
set -euo pipefail
cd "$CI_ROOT/tests/ivr/node"
if ! command -v npm >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error
