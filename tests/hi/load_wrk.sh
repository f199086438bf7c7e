#!/bin/sh
# load_wrk.sh: load test of `mote serve` with wrk (Debian package wrk),
# not part of ctest. Serves MODEL (input [1,28,28,1], e.g. a Fashion-MNIST
# CNN) on a free loopback port with 2 threads, runs wrk with JSON bodies
# and with binary bodies (FP32 input), prints requests/s, p50/p99 and the
# server's resident memory before and after.
# usage: load_wrk.sh MOTE MODEL [SECONDS] [WORKDIR]
set -u
MOTE=$1
MODEL=$2
SECS=${3:-10}
W=${4:-$(mktemp -d)}
mkdir -p "$W"
"$MOTE" serve "$MODEL:m" --port 0 --threads 2 >"$W/log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
sleep 0.5
PORT=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$W/log")
[ -n "$PORT" ] || { cat "$W/log"; exit 1; }
awk 'BEGIN { printf "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,28,28,1],\"datatype\":\"FP32\",\"data\":[";
  for (i = 0; i < 784; i++) printf "%s%.4f", i ? "," : "", (i % 29) / 28.0; print "]}]}" }' \
  >"$W/req.json"
hdr='{"inputs":[{"name":"x","shape":[1,28,28,1],"datatype":"FP32","parameters":{"binary_data_size":3136}}],"parameters":{"binary_data_output":true}}'
{ printf '%s' "$hdr"; head -c 3136 /dev/zero; } >"$W/req.bin"
cat >"$W/json.lua" <<LUA
local f = io.open("$W/req.json", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
wrk.headers["Content-Type"] = "application/json"
LUA
cat >"$W/bin.lua" <<LUA
local f = io.open("$W/req.bin", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.headers["Inference-Header-Content-Length"] = "${#hdr}"
LUA
U=http://127.0.0.1:$PORT/v2/models/m/infer
curl -s -o /dev/null -w 'JSON request: HTTP %{http_code}\n' --data-binary @"$W/req.json" "$U"
echo "rss before: $(ps -o rss= -p $PID) KB"
for k in json bin; do
  echo "== $k bodies, $SECS s"
  wrk -t2 -c8 -d"${SECS}s" --latency -s "$W/$k.lua" "$U" |
    grep -E ' 50%| 99%|Requests/sec|requests in|Non-2xx|Socket errors'
done
echo "rss after: $(ps -o rss= -p $PID) KB"
