#!/usr/bin/env bash
# Installs what Lotsen needs, builds it, and starts lotsen-server on its
# embedded default: the SQLite file ./lotsen.db, listening on 127.0.0.1:50051.
# Extra arguments go to lotsen-server (e.g. --db /var/lib/lotsen/lotsen.db).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j "$(nproc)" --target lotsen-server lotsen
exec build/lotsen-server "$@"
