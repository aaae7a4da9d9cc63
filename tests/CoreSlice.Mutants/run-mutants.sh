#!/usr/bin/env bash
# Runs the bug catalogue (tests/README.md): each mutant of src/CoreSlice built and run through every
# layer. Needs a Release build of the solution first. Options: --write | --check | --only NAME | --jobs N.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec dotnet run -c Release --no-build --project tests/CoreSlice.Mutants -- "$@"
