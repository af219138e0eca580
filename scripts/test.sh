#!/usr/bin/env bash
# The test command: installs and starts what the tests need (PostgreSQL on a free loopback port), builds
# everything in Release (warnings are errors) and runs every test, real node processes included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh

pg_dir=$(mktemp -d /tmp/kuiper-pg.XXXXXX)
trap 'bash scripts/postgres.sh stop "$pg_dir"' EXIT
KUIPER_TEST_POSTGRES=$(bash scripts/postgres.sh start "$pg_dir")
export KUIPER_TEST_POSTGRES

dotnet build Kuiper.Actors.sln -c Release
# The console's browser tests write their screenshots under here (console/*.png); .ci/run passes the same folder.
export KUIPER_TEST_RESULTS="${KUIPER_TEST_RESULTS:-$(pwd)/TestResults}"
# Every node process the tests start leaves its whole output here; no test secret may be in it (scripts/scan-test-logs.sh).
KUIPER_TEST_LOG_DIR=$(mktemp -d /tmp/kuiper-test-logs.XXXXXX)
export KUIPER_TEST_LOG_DIR
status=0
dotnet test Kuiper.Actors.sln -c Release --no-build --logger "trx" --logger "console;verbosity=normal" "$@" || status=$?
# Scanned even after failed tests: a leak is worth knowing either way. The logs stay for a look when the scan fails.
if bash scripts/scan-test-logs.sh "$KUIPER_TEST_LOG_DIR"; then rm -rf "$KUIPER_TEST_LOG_DIR"; else status=1; fi
exit "$status"
