#!/usr/bin/env bash
# Runs the whole test suite: installs and starts what the tests need, builds, tests, and prints
# "N passed, N failed, N skipped" as its last line. Exit code is non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

# The browser end-to-end tests (tests/Parley.Api.Tests/BrowserTests.cs) drive Debian's Chromium through Playwright for
# .NET; no browser is downloaded. Install it when missing (CI runs as root; elsewhere sudo is used if available).
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
    || echo "WARNING: could not install chromium; the browser tests will fail." >&2
fi

export PARLEY_SCREENSHOTS="$PWD/$results/screenshots"
dotnet test Silo.sln -c Release --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed)))
  skipped=$((skipped + $(get notExecuted)))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1  # the build or a test host failed before reporting results
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
