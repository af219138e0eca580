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
dotnet test Kuiper.Actors.sln -c Release --no-build --logger "trx" --logger "console;verbosity=normal" "$@"
