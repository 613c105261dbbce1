#!/usr/bin/env bash
# The project's test command (README, CI): build every module and run all tests.
# Tests that need data from ../shared/data skip with a message when it is absent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
command -v mvn >/dev/null 2>&1 || { echo "run-tests: install Apache Maven 3.8+" >&2; exit 1; }
exec mvn -B verify "$@"
