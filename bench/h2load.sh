#!/bin/bash
# The read path measured by a load generator that is not ours (issue 18):
# h2load (Debian nghttp2-client) sends prepared gRPC frames, built here with
# protoc, for Health/Check (the empty call) and GetCase, to lotsen-server on a
# bench database; the server's CPU per call is read from /proc as
# lotsen-bench does, and the ratio printed beside the bench's.
#
#   bench/h2load.sh [--db BENCH.db] [--scale S] [--build build] [--requests N]
#
# Without --db it seeds one at national scale, or S of it (lotsen-bench
# --seed-only --keep, about two minutes at 1), and removes it afterwards. The database is
# written to (a token, the access log), so give it a copy if it matters.
# Needs h2load, protoc, sqlite3 and python3.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build=$here/build
db=
scale=1
requests=200000
clients=2     # connections, as the bench's --channels
streams=8     # in flight on each: 16 calls in flight, as the bench's reads
while [ $# -gt 0 ]; do
  case $1 in
    --db) db=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    *) echo "usage: $0 [--db BENCH.db] [--scale S] [--build DIR] [--requests N]" >&2; exit 2 ;;
  esac
done
for tool in h2load protoc sqlite3 python3; do
  command -v $tool > /dev/null || { echo "$0: needs $tool (apt-get install nghttp2-client protobuf-compiler sqlite3)" >&2; exit 2; }
done

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2> /dev/null && wait "$server_pid" 2> /dev/null || true
  [ -n "${KEEP_WORK:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
if [ -z "$db" ]; then
  "$build/lotsen-bench" --seed-only --keep --scale "$scale" --dir "$work" > "$work/seed.log"
  db=$(ls "$work"/lotsen-bench-*/bench.db)
fi

server="$build/lotsen-server"
token=$("$server" --db "$db" admin new-token soc01 | tail -1)
case_id=$(sqlite3 -readonly "$db" "SELECT c.id FROM cases c JOIN users u ON u.id = c.assigned_worker_id WHERE u.username = 'soc01' ORDER BY c.id DESC LIMIT 1")
[ -n "$case_id" ] || { echo "$0: soc01 has no case in $db" >&2; exit 1; }

# A gRPC message on the wire: a flag byte (not compressed), its length in
# four bytes big-endian, then the protobuf encoding.
frame() {  # frame OUT TYPE TEXT PROTO
  printf '%s' "$3" | protoc -I "$here/api" --encode="$2" "$4" > "$work/msg"
  python3 -c 'import struct,sys; m=open(sys.argv[1],"rb").read(); open(sys.argv[2],"wb").write(b"\0"+struct.pack(">I",len(m))+m)' "$work/msg" "$1"
}
frame "$work/health" grpc.health.v1.HealthCheckRequest '' grpc/health/v1/health.proto
frame "$work/getcase" lotsen.v1.GetCaseRequest "name: \"cases/$case_id\"" lotsen/v1/case_service.proto

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$server" --db "$db" --listen "127.0.0.1:$port" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  grep -q " start " "$work/server.log" 2> /dev/null && break
  sleep 0.1
done
grep -q " start " "$work/server.log" || { cat "$work/server.log" >&2; exit 1; }

cpu() {  # utime + stime of the server, in clock ticks (proc(5))
  awk '{ print $14 + $15 }' "/proc/$server_pid/stat"
}
ticks=$(getconf CLK_TCK)
# run NAME PATH BODY [HEADER...]: prints server CPU us per call
run() {
  local name=$1 path=$2 body=$3; shift 3
  local headers=(-H 'content-type: application/grpc' -H 'te: trailers')
  for h in "$@"; do headers+=(-H "$h"); done
  # A warm-up, then the measured run.
  h2load -n $((requests / 10)) -c $clients -m $streams "${headers[@]}" -d "$body" "http://127.0.0.1:$port$path" > /dev/null
  local before after
  before=$(cpu)
  h2load -n "$requests" -c $clients -m $streams "${headers[@]}" -d "$body" "http://127.0.0.1:$port$path" > "$work/$name.out"
  after=$(cpu)
  grep -q "$requests succeeded" "$work/$name.out" || { cat "$work/$name.out" >&2; exit 1; }
  local rps
  rps=$(awk '/^finished in/ { print $4 }' "$work/$name.out")
  python3 -c "import sys; print('%.1f %s' % ((int(sys.argv[1]) - int(sys.argv[2])) / int(sys.argv[3]) * 1e6 / int(sys.argv[4]), sys.argv[5]))" "$after" "$before" "$ticks" "$requests" "$rps"
}
run health /grpc.health.v1.Health/Check "$work/health" > "$work/health.result"
run getcase /lotsen.v1.CaseService/GetCase "$work/getcase" "authorization: Bearer $token" > "$work/getcase.result"
read -r health_us health_rps < "$work/health.result"
read -r getcase_us getcase_rps < "$work/getcase.result"

# Every GetCase must have been answered OK: gRPC answers errors with HTTP 200
# too, so the server's own call lines are counted.
kill "$server_pid"; wait "$server_pid" 2> /dev/null || true; server_pid=
ok=$(grep -c 'call method=GetCase caller=soc01 status=OK' "$work/server.log" || true)
want=$((requests + requests / 10))
if [ "$ok" -ne "$want" ]; then
  echo "$0: $ok of $want GetCase calls were answered OK; the server said:" >&2
  grep 'GetCase' "$work/server.log" | grep -v 'status=OK' | head -3 >&2
  exit 1
fi
printf 'h2load, %d calls each, %d connections x %d streams:\n' "$requests" $clients $streams
printf '  Health/Check  %8.1f srv us  %s calls/s\n' "$health_us" "$health_rps"
printf '  GetCase       %8.1f srv us  %s calls/s\n' "$getcase_us" "$getcase_rps"
python3 -c "import sys; print('summary h2load_srv_ratio_getcase=%.2f h2load_health_srv_us=%s h2load_getcase_srv_us=%s' % (float(sys.argv[2]) / float(sys.argv[1]), sys.argv[1], sys.argv[2]))" "$health_us" "$getcase_us"
