#!/usr/bin/env bash
# Runs the whole test suite: installs and starts what the tests need (the durable-storage tests install and start their
# own Azurite), builds, tests, and prints "N passed, N failed, N skipped" as its last line. Non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")"

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The browser end-to-end tests (tests/Parley.Api.Tests/BrowserTests.cs) drive Debian's Chromium through Playwright for
# .NET; no browser is downloaded. Install it when missing (CI runs as root; elsewhere sudo is used if available).
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
    || echo "WARNING: could not install chromium; the browser tests will fail." >&2
fi

export PARLEY_SCREENSHOTS="$PWD/artifacts/test-results/screenshots"
dotnet test Silo.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed:     0, Passed:   172, Skipped:     0, Total: ..."
read -r passed failed skipped < <(awk '
  /(Passed|Failed)! +- Failed:/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i+1) + 0 }
      if ($i == "Passed:")  { p += $(i+1) + 0 }
      if ($i == "Skipped:") { s += $(i+1) + 0 }
    }
  }
  END { print p + 0, f + 0, s + 0 }' "$log")

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1  # the build or a test host failed before reporting results
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
