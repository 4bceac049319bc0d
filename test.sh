#!/usr/bin/env bash
# test.sh — installs what the tests need when it is missing, then runs every test.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

apt_updated=0
need() { # need <command> <debian-package>
  if ! command -v "$1" >/dev/null 2>&1; then
    if [ "$(id -u)" != "0" ]; then
      echo "test.sh: '$1' is missing; install the Debian package '$2' (needs root)." >&2
      return 1
    fi
    if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
    echo "test.sh: installing $2 ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  fi
}

# Tools the tests drive (added as issues land).
need tshark tshark            # ASTERIX oracle (Kizuna.Asterix.Tests); brings editcap (wireshark-common)
need nats-server nats-server  # real broker for the coalition bus tests (Kizuna.Network.Tests)
need chromium chromium        # real browser for the web picture tests (Kizuna.Server.Tests, Playwright)
if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK (dotnet) is required." >&2
  exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test Kizuna.slnx -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(grep -E '^\s+succeeded:' "$log" | tail -1 | awk '{print $2}')
failed=$(grep -E '^\s+failed:' "$log" | tail -1 | awk '{print $2}')
skipped=$(grep -E '^\s+skipped:' "$log" | tail -1 | awk '{print $2}')
echo "Tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$status"
