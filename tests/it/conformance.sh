#!/usr/bin/env bash
#  The client conformance suite (official SDKs, stream grammar, one-api's
#  regression matrix) in the default test run.  Cells in
#  tests/conformance/expected-failures.txt are reported as known failures,
#  strictly: any other failure, or a listed cell that passes, fails the test.
here="$(cd "$(dirname "$0")" && pwd)"
export CONFORMANCE_EXPECTED_FAILURES="${CONFORMANCE_EXPECTED_FAILURES:-$here/../conformance/expected-failures.txt}"
exec bash "$here/../conformance/run.sh"
