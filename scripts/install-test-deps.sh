#!/usr/bin/env bash
# What the tests need besides the .NET SDK. Nothing yet for a single node on SQLite; idempotent.
set -euo pipefail
exit 0
