#!/usr/bin/env bash
# Debian packages the tests use beyond PyPI. Each later setup step lists its own packages in
# .ci/apt-packages.d/<name>.txt (one per line); this step installs them all in one apt call.
set -euo pipefail
cd "$CI_ROOT"
shopt -s nullglob
lists=(.ci/apt-packages.d/*.txt)
[ ${#lists[@]} -gt 0 ] || exit 0
mapfile -t wanted < <(cat "${lists[@]}" | sed 's/#.*//' | tr -s ' \t' '\n' | sed '/^$/d' | sort -u)
[ ${#wanted[@]} -gt 0 ] || exit 0
missing=()
for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
