#!/usr/bin/env bash
# Fails (exit 1) when a test secret shows up in the node output the tests captured (KUIPER_TEST_LOG_DIR, see
# scripts/test.sh): as it is, JSON-escaped (once or twice, Go's \u003c style included) or base64 (standard or URL-safe,
# at any byte offset). Prints each file and line with the secret replaced by its name, never the secret itself.
# The secrets are the constants of tests/Kuiper.Tests/Harness/TestSecrets.cs, one `public const string Name = "value";`
# a line. Usage: scripts/scan-test-logs.sh <dir>. Exit 0: none found (or no logs); 1: found; 2: usage.
set -euo pipefail
if [ $# -ne 1 ] || [ ! -d "$1" ]; then echo "usage: $0 <folder of captured node logs>" >&2; exit 2; fi
secrets_file="$(cd "$(dirname "$0")/.." && pwd)/tests/Kuiper.Tests/Harness/TestSecrets.cs"
exec python3 - "$1" "$secrets_file" <<'EOF'
import base64, json, os, re, sys

folder, secrets_file = sys.argv[1], sys.argv[2]
secrets = [(m.group(1), m.group(2)) for m in
           (re.match(r'^\s*public const string (\w+) = "([^"\\]+)";\s*$', line) for line in open(secrets_file, encoding="utf-8"))
           if m]
if not secrets:
    print(f"no secrets read from {secrets_file}", file=sys.stderr)
    sys.exit(2)

def escaped(text):
    # Go's encoder also escapes <, > and & (as \u003c); .NET's default one too.
    inner = json.dumps(text, ensure_ascii=False)[1:-1]
    return {inner, inner.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")}

def base64_forms(secret):
    # The secret's own characters inside any base64 text, whatever the bytes before it: those that only its bytes decide.
    data, forms = secret.encode("utf-8"), set()
    for k in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(b"\0" * k + data).decode("ascii").rstrip("=")
            # Base64 character i stands for bits 6i..6i+5: the first one wholly in the secret starts at or after bit 8k,
            # the last one ends at or before the secret's last bit.
            forms.add(text[(8 * k + 5) // 6:(8 * (k + len(data))) // 6])
    return {f for f in forms if len(f) >= 8}

forms = []  # (text, name, how)
for name, secret in secrets:
    seen = {secret}
    forms.append((secret, name, "plain"))
    for once in escaped(secret):
        for text, how in [(once, "JSON-escaped")] + [(twice, "JSON-escaped twice") for twice in escaped(once)]:
            if text not in seen:
                seen.add(text)
                forms.append((text, name, how))
    for text in base64_forms(secret):
        if text not in seen:
            seen.add(text)
            forms.append((text, name, "base64"))
forms.sort(key=lambda f: -len(f[0]))  # longest first, so that a name replaces the whole of what it matched

found = 0
files = sorted(os.path.join(root, f) for root, _, names in os.walk(folder) for f in names)
for path in files:
    with open(path, "rb") as handle:
        lines = handle.read().decode("utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines, 1):
        hits = [(name, how) for text, name, how in forms if text in line]
        if not hits:
            continue
        found += 1
        shown = line
        for text, name, how in forms:
            shown = shown.replace(text, "{TestSecrets." + name + "}")
        if len(shown) > 400:
            at = max(0, shown.find("{TestSecrets.") - 150)
            shown = ("..." if at else "") + shown[at:at + 400] + "..."
        what = ", ".join(sorted({f"TestSecrets.{name} ({how})" for name, how in hits}))
        print(f"{path}:{number}: {what}: {shown}")
if found:
    print(f"{found} line(s) of captured node output hold a test secret ({len(files)} file(s) scanned)", file=sys.stderr)
    sys.exit(1)
print(f"scan-test-logs: no test secret in {len(files)} captured log file(s)")
EOF
