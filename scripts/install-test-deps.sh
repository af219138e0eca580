#!/usr/bin/env bash
# What the tests need besides the .NET SDK: Debian's PostgreSQL server (cluster tests share one), the tools users
# build archives, uploads and tokens with (Info-ZIP's zip, Python's zipfile, which also builds the hostile-input zip
# bombs, curl, and the openssl command line for keys, tokens and certificates), and Debian's Chromium, which the
# console's browser tests drive through Playwright (Playwright's own browser download needs internet), and iproute2's
# ip for the network-partition tests. Idempotent.
set -euo pipefail
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v zip >/dev/null 2>&1 || missing+=(zip)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# The partition tests put each node in a network namespace of its own and cut the links between them.
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "install ${missing[*]} (apt-get install ${missing[*]}) or run as root" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
