#!/usr/bin/env bash
# Packaging: a wheel built from the checkout installs into a fresh venv outside it, and
# `telephony-emulator serve`, started from an unrelated folder, answers on both APIs.
# Proves contracts/ and fixtures/ ship inside the distribution (no checkout, no EMULATOR_HOME).
set -euo pipefail
cd "$CI_ROOT"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "building wheel"
python -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" .
wheel="$(ls "$work"/dist/telephony_emulator-*.whl)"
python - "$wheel" <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
for needed in ("emulator/_data/contracts/yemot.yaml", "emulator/_data/contracts/simotel.yaml",
               "emulator/_data/contracts/admin.yaml", "emulator/_data/fixtures/default.yaml"):
    assert needed in names, f"{needed} missing from the wheel"
print("wheel carries contracts and fixtures")
PY

echo "installing into a fresh venv outside the checkout"
python -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$wheel"

port="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$work/elsewhere"
cd "$work/elsewhere"
env -u EMULATOR_HOME -u PYTHONPATH "$work/venv/bin/telephony-emulator" serve --port "$port" --log-level warning \
    >"$work/serve.log" 2>&1 &
server_pid=$!

base="http://127.0.0.1:$port"
for _ in $(seq 1 150); do
    if curl -fsS --max-time 2 "$base/ym/api/GetSession?token=0773137770:1234" >"$work/yemot.json" 2>/dev/null; then
        break
    fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log"; echo "serve exited"; exit 1; }
    sleep 0.2
done
grep -q '"responseStatus":"OK"' "$work/yemot.json" || { cat "$work/serve.log"; echo "no Yemot answer"; exit 1; }
curl -fsS --max-time 5 -X PUT -H 'Content-Type: application/json' -d '{}' \
    -u test:Aa123456 -H 'X-APIKEY: vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG' \
    "$base/api/v4/setting/ping/act" >"$work/simotel.json"
grep -q '"success":1' "$work/simotel.json" || { cat "$work/simotel.json"; echo "no Simotel answer"; exit 1; }
curl -fsS --max-time 5 "$base/__emulator__/contracts/yemot.yaml" >"$work/contract.yaml"
grep -q '^openapi: 3.1' "$work/contract.yaml" || { echo "contract not served from the package"; exit 1; }
echo "installed wheel serves both APIs from $work/elsewhere"
