#!/usr/bin/env bash
# The fast tier (docs/testing.md): builds in Release (warnings are errors) and runs the domain, actor and in-process
# tests, everything not marked [FullTier]: no node processes, no PostgreSQL, no browser, no network namespaces, so
# nothing is installed or started. About a minute on a 2-core machine; scripts/test.sh runs every test.
# Extra arguments go to dotnet test (e.g. --logger trx).
set -euo pipefail
cd "$(dirname "$0")/.."

# A few fast tests build archives with zip and Python's zipfile and keys with openssl, as users do.
missing=()
for tool in zip python3 openssl; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then echo "the fast tier needs ${missing[*]} (apt-get install ${missing[*]})" >&2; exit 1; fi

dotnet build tests/Kuiper.Tests -c Release
dotnet test tests/Kuiper.Tests -c Release --no-build --filter "Tier!=Full" "$@"
