#!/usr/bin/env bash
# The test command: builds everything (warnings are errors) and runs every test against real node processes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
dotnet build Kuiper.Actors.sln -c Release
dotnet test Kuiper.Actors.sln -c Release --no-build --logger "trx" --logger "console;verbosity=normal" "$@"
