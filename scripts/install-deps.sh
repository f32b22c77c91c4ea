#!/usr/bin/env bash
# Installs the Debian 12 packages Lotsen builds, runs and tests with. Run as root.
# chromium renders the pilot report's page in a test (tests/integration/
# report_cli_test.cc); nghttp2-client's h2load drives bench/h2load.sh.
# Arguments name further packages, e.g. clang-14 libclang-rt-14-dev for the
# fuzzer (.ci/run).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  cmake ninja-build g++ pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libhowardhinnant-date-dev tzdata
  libsqlitecpp-dev libsqlite3-dev sqlite3
  libssl-dev openssl libcli11-dev libgtest-dev
  libcurl4-openssl-dev libcpp-httplib-dev
  python3 python3-icalendar python3-aiosmtpd python3-prometheus-client curl
  chromium
  nghttp2-client
  "$@"
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
