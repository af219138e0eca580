#!/usr/bin/env bash
# What the tests need besides the .NET SDK: Debian's PostgreSQL server (cluster tests share one), python3 (the
# hostile-input tests build zip bombs with its zipfile module) and the openssl command line (security tests make their
# keys, tokens and certificates with it). Idempotent.
set -euo pipefail
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "install ${missing[*]} (apt-get install ${missing[*]}) or run as root" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
