#!/bin/sh
# test_serve.sh: `mote serve` over HTTP with the curl command: the v2
# endpoints, the spec's JSON and binary request examples (adapted to the
# bundled demo model), errors (400, 404, 405, 413) and graceful shutdown.
# usage: test_serve.sh MOTE MODELS_DIR WORKDIR
set -u
MOTE=$1
MODELS=$2
W=$3
rm -rf "$W"
mkdir -p "$W"
fails=0
fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}

"$MOTE" serve "$MODELS/demo_int8.tflite:demo" "$MODELS/demo_int8.tflite:demo2" \
  --port 0 --threads 2 --max-body 4096 >"$W/log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
PORT=
i=0
while [ $i -lt 50 ]; do
  PORT=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$W/log")
  [ -n "$PORT" ] && break
  sleep 0.1
  i=$((i + 1))
done
[ -n "$PORT" ] || { echo "server did not start:"; cat "$W/log"; exit 1; }
U=http://127.0.0.1:$PORT

# code URL [curl args...]: print the HTTP status, body into $W/body
code() {
  url=$1
  shift
  curl -s -o "$W/body" -D "$W/headers" -w '%{http_code}' "$@" "$url"
}

[ "$(code $U/v2/health/live)" = 200 ] || fail "live"
[ "$(code $U/v2/health/ready)" = 200 ] || fail "ready"
[ "$(code $U/v2/models/demo/ready)" = 200 ] || fail "model ready"
[ "$(code $U/v2/models/demo2/ready)" = 200 ] || fail "second model ready"
[ "$(code $U/v2)" = 200 ] || fail "server metadata"
grep -q '"extensions":\["binary_tensor_data"\]' "$W/body" || fail "extensions"
[ "$(code $U/v2/models/demo)" = 200 ] || fail "model metadata"
grep -q '"inputs":\[{"name":"image","datatype":"INT8","shape":\[1,8,8,1\]}\]' \
  "$W/body" || fail "metadata inputs: $(cat $W/body)"
grep -q '"outputs":\[{"name":"probabilities","datatype":"FP32"' "$W/body" ||
  fail "metadata outputs"
[ "$(code $U/v2/models/demo/versions/1)" = 200 ] || fail "versioned metadata"

# The spec's JSON request example, with this model's input (a diagonal
# line, class 2 of the demo model) and FP32 data quantized by the server.
cat >"$W/req.json" <<'JSON'
{
  "id" : "42",
  "inputs" : [
    {
      "name" : "image",
      "shape" : [ 1, 8, 8, 1 ],
      "datatype" : "FP32",
      "data" : [ [ [[1],[0],[0],[0],[0],[0],[0],[0]],
                   [[0],[1],[0],[0],[0],[0],[0],[0]],
                   [[0],[0],[1],[0],[0],[0],[0],[0]],
                   [[0],[0],[0],[1],[0],[0],[0],[0]],
                   [[0],[0],[0],[0],[1],[0],[0],[0]],
                   [[0],[0],[0],[0],[0],[1],[0],[0]],
                   [[0],[0],[0],[0],[0],[0],[1],[0]],
                   [[0],[0],[0],[0],[0],[0],[0],[1]] ] ]
    }
  ],
  "outputs" : [
    {
      "name" : "probabilities"
    }
  ]
}
JSON
c=$(code $U/v2/models/demo/infer -H 'Content-Type: application/json' \
  --data-binary @"$W/req.json")
[ "$c" = 200 ] || fail "JSON infer: $c $(cat $W/body)"
grep -q '"id":"42"' "$W/body" || fail "id echoed"
grep -q '"model_name":"demo"' "$W/body" || fail "model_name"
grep -qi '^content-type: application/json' "$W/headers" || fail "JSON type"
# class 2 has the largest probability
best=$(sed 's/.*"data":\[\([^]]*\)\].*/\1/' "$W/body" |
  awk -F, '{b=1; for (i=2;i<=NF;i++) if ($i+0 > $b+0) b=i; print b-1}')
[ "$best" = 2 ] || fail "JSON infer class $best: $(cat $W/body)"

# The spec's binary example: INT8 input as 64 raw bytes after the JSON,
# binary output requested for the output.
hdr='{"inputs":[{"name":"image","shape":[1,8,8,1],"datatype":"INT8","parameters":{"binary_data_size":64}}],"outputs":[{"name":"probabilities","parameters":{"binary_data":true}}]}'
printf '%s' "$hdr" >"$W/req.bin"
r=0
while [ $r -lt 8 ]; do
  k=0
  while [ $k -lt 8 ]; do
    if [ $r = $k ]; then printf '\177'; else printf '\000'; fi
    k=$((k + 1))
  done
  r=$((r + 1))
done >>"$W/req.bin"
c=$(code $U/v2/models/demo/infer -H 'Content-Type: application/octet-stream' \
  -H "Inference-Header-Content-Length: ${#hdr}" --data-binary @"$W/req.bin")
[ "$c" = 200 ] || fail "binary infer: $c $(cat $W/body)"
hl=$(sed -n 's/^[Ii]nference-[Hh]eader-[Cc]ontent-[Ll]ength: *\([0-9]*\).*/\1/p' \
  "$W/headers")
[ -n "$hl" ] || fail "no Inference-Header-Content-Length in reply"
total=$(wc -c <"$W/body")
[ "$total" = $((hl + 16)) ] || fail "binary reply size $total, header $hl"
grep -q '"binary_data_size":16' "$W/body" || fail "binary_data_size"
# the four floats: class 2 is the largest
best=$(tail -c 16 "$W/body" | od -An -f -w16 |
  awk '{b=1; for (i=2;i<=NF;i++) if ($i+0 > $b+0) b=i; print b-1}')
[ "$best" = 2 ] || fail "binary infer class $best"
# request-level binary_data_output
c=$(code $U/v2/models/demo2/infer -H "Inference-Header-Content-Length: $((${#hdr} + 0))" \
  --data-binary @"$W/req.bin")
[ "$c" = 200 ] || fail "second model: $c"

# errors
[ "$(code $U/v2/models/demo/infer --data-binary '{"inputs":[')" = 400 ] ||
  fail "malformed JSON not 400"
grep -q '^{"error":"' "$W/body" || fail "error body"
c=$(code $U/v2/models/demo/infer --data-binary \
  '{"inputs":[{"name":"image","shape":[1,64],"datatype":"FP32","data":[0]}]}')
[ "$c" = 400 ] || fail "wrong shape not 400"
grep -q 'shape must be \[1,8,8,1\]' "$W/body" || fail "shape message"
c=$(code $U/v2/models/demo/infer --data-binary \
  '{"inputs":[{"name":"image","shape":[1,8,8,1],"datatype":"INT32","data":[0]}]}')
[ "$c" = 400 ] || fail "wrong dtype not 400"
c=$(code $U/v2/models/demo/infer -H "Inference-Header-Content-Length: 9999" \
  --data-binary @"$W/req.bin")
[ "$c" = 400 ] || fail "bad header length not 400"
zeros=$(awk 'BEGIN { for (i = 0; i < 63; i++) printf "0,"; printf "0" }')
c=$(code $U/v2/models/demo/infer --data-binary \
  '{"inputs":[{"name":"image","shape":[1,8,8,1],"datatype":"INT8","data":['$zeros']}],"outputs":[{"name":"zzz"}]}')
[ "$c" = 400 ] || fail "unknown output not 400"
grep -q "unknown output 'zzz'" "$W/body" || fail "unknown output message"
[ "$(code $U/v2/models/nope/infer --data-binary '{}')" = 404 ] ||
  fail "unknown model not 404"
[ "$(code $U/v2/nothing)" = 404 ] || fail "unknown path not 404"
[ "$(code $U/v2/models/demo/infer)" = 405 ] || fail "GET infer not 405"
head -c 5000 /dev/zero >"$W/big"
[ "$(code $U/v2/models/demo/infer --data-binary @$W/big)" = 413 ] ||
  fail "body over --max-body not 413"
[ "$(code $U/v2/health/live)" = 200 ] || fail "alive after errors"

# graceful shutdown
kill -TERM $PID
i=0
while kill -0 $PID 2>/dev/null && [ $i -lt 50 ]; do
  sleep 0.1
  i=$((i + 1))
done
if kill -0 $PID 2>/dev/null; then
  fail "still running 5 s after SIGTERM"
else
  wait $PID
  rc=$?
  [ $rc = 0 ] || fail "exit status $rc after SIGTERM"
fi
trap - EXIT
grep -q 'SIGTERM, shutting down' "$W/log" || fail "no shutdown message"
[ $fails = 0 ] && echo "serve: all checks passed"
[ $fails = 0 ]
