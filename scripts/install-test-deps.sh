#!/usr/bin/env bash
# What the tests need besides the .NET SDK: Debian's PostgreSQL server (cluster tests share one). Idempotent.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then echo "install PostgreSQL (apt-get install postgresql) or run as root" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
