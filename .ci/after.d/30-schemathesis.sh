#!/usr/bin/env bash
# The shipped schemathesis recipe (schemathesis.toml, docs/contract-testing.md) against a served
# emulator: both contracts, every phase, a few examples per operation. Any check failure fails CI.
set -euo pipefail
cd "$CI_ROOT"
port="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
logs="$(mktemp -d)"
telephony-emulator serve --port "$port" --log-level warning >"$logs/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

run() {
    st --config-file schemathesis.toml run "http://127.0.0.1:$port/__emulator__/contracts/$1.yaml" \
        --max-examples 2 --wait-for-schema 30 --no-color >"$logs/$1.txt" 2>&1
}
# The two APIs run side by side (one per core); each report is printed whole afterwards.
run yemot & yemot=$!
run simotel & simotel=$!
status=0
wait "$yemot" || status=1
wait "$simotel" || status=1
for api in yemot simotel; do
    echo "-- schemathesis: $api"
    sed -n '/^ *\(✅\|❌\|🚫\|⏭\) /p; /API Links/p; /^=\+ .* =\+$/p' "$logs/$api.txt"
done
if [ "$status" -ne 0 ]; then
    for api in yemot simotel; do echo "== $api (full report)"; cat "$logs/$api.txt"; done
    echo "== server log"; cat "$logs/server.log"
fi
exit "$status"
