#!/usr/bin/env bash
# s3test.sh: the S3 blob store's tests against a real S3-compatible server (make test-s3).
#
# Builds SeaweedFS's `weed` from the Go module proxy once (kept as bin/weed, rebuilt only
# when WEED_VERSION changes), runs `weed server -s3` on 127.0.0.1 with its data in
# .data/seaweedfs and one S3 identity, creates the test bucket, runs the tests named
# TestS3… with WHEREAS_TEST_S3_URL set, and stops weed afterwards whatever the tests said.
#
# Environment: DATABASE_URL (required: the server and command tests need PostgreSQL, as
# make test-s3 gives), WEED_PORT (first of eight ports on 127.0.0.1 [18330]), TEST_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/.."

WEED_MODULE=github.com/seaweedfs/seaweedfs
WEED_VERSION=${WEED_VERSION:-v0.0.0-20261109003541-7506e5f91cd6}
WEED_PORT=${WEED_PORT:-18330}
GO=${GO:-go}
weed=$PWD/bin/weed
data=$PWD/.data/seaweedfs
bucket=whereas-test
export AWS_ACCESS_KEY_ID=whereas-test AWS_SECRET_ACCESS_KEY=whereas-test-secret

say() { echo "s3test: $*" >&2; }

# `go install module@version` refuses SeaweedFS (its go.mod has replace directives), so
# the module is downloaded and built in place, as its own main module, with its go.sum.
build_weed() {
	if [ -x "$weed" ] && [ "$(cat "$weed.version" 2>/dev/null)" = "$WEED_VERSION" ]; then
		return
	fi
	say "building weed $WEED_VERSION from the Go module proxy (once; several minutes)"
	local dir start=$SECONDS
	dir=$(cd / && GOFLAGS=-mod=mod $GO mod download -json "$WEED_MODULE@$WEED_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -n "$dir" ] || { say "go mod download $WEED_MODULE@$WEED_VERSION gave no folder"; exit 1; }
	mkdir -p bin
	(cd "$dir" && GOWORK=off GOFLAGS=-mod=readonly $GO build -trimpath -ldflags='-s -w' -o "$weed.tmp" ./weed)
	mv "$weed.tmp" "$weed"
	echo "$WEED_VERSION" >"$weed.version"
	say "built bin/weed in $((SECONDS - start))s ($(du -h "$weed" | cut -f1))"
}

free_port() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

build_weed
for p in $(seq "$WEED_PORT" $((WEED_PORT + 7))); do
	free_port "$p" || { say "port $p on 127.0.0.1 is taken; set WEED_PORT to the first of 8 free ports"; exit 1; }
done
master=$WEED_PORT volume=$((WEED_PORT + 2)) filer=$((WEED_PORT + 4)) s3=$((WEED_PORT + 6))

rm -rf "$data"
mkdir -p "$data/store"
cat >"$data/s3.json" <<EOF
{"identities": [{"name": "whereas", "credentials": [{"accessKey": "$AWS_ACCESS_KEY_ID", "secretKey": "$AWS_SECRET_ACCESS_KEY"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
EOF

# Every port is given, gRPC ones included (weed's default is each HTTP port + 10000), so
# nothing outside WEED_PORT…WEED_PORT+7 is taken; telemetry is off (it would phone out).
"$weed" server -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$data/store" -volume.max=4 -master.volumeSizeLimitMB=64 \
	-master.port=$master -master.port.grpc=$((master + 1)) -master.telemetry=false \
	-volume.port=$volume -volume.port.grpc=$((volume + 1)) \
	-filer -filer.port=$filer -filer.port.grpc=$((filer + 1)) \
	-s3 -s3.port=$s3 -s3.port.grpc=$((s3 + 1)) -s3.port.iceberg=0 -s3.port.lance=0 -s3.config="$data/s3.json" -s3.autoCreateBucket=false \
	>"$data/weed.log" 2>&1 &
weed_pid=$!
started=$SECONDS
stop_weed() {
	# weed is this script's child: once stopped it stays a zombie (kill -0 still finds it)
	# until waited for, so wait for it, with a watchdog that kills it after 10 seconds.
	if kill "$weed_pid" 2>/dev/null; then
		(sleep 10; kill -9 "$weed_pid" 2>/dev/null) &
		local watchdog=$!
		wait "$weed_pid" 2>/dev/null || true
		kill "$watchdog" 2>/dev/null || true
	fi
	# weed leaves its local sockets in /tmp, named by port: only ours are removed.
	for p in $(seq "$WEED_PORT" $((WEED_PORT + 7))); do rm -f /tmp/seaweedfs-*-"$p".sock; done
}
trap stop_weed EXIT
trap 'exit 130' INT TERM

# Ready when the bucket can be made through the S3 API itself (curl signs the request):
# that needs the gateway, the filer and the master up.
say "waiting for weed server -s3 on 127.0.0.1:$s3 (log: .data/seaweedfs/weed.log)"
deadline=$((SECONDS + 180))
until code=$(curl -s -o "$data/create-bucket.xml" -w '%{http_code}' -X PUT --aws-sigv4 aws:amz:us-east-1:s3 \
	--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" "http://127.0.0.1:$s3/$bucket") && [ "$code" = 200 ]; do
	kill -0 "$weed_pid" 2>/dev/null || { say "weed exited:"; tail -20 "$data/weed.log" >&2; exit 1; }
	[ $SECONDS -lt $deadline ] || { say "no bucket after 180s (last answer $code):"; cat "$data/create-bucket.xml" >&2; tail -20 "$data/weed.log" >&2; exit 1; }
	sleep 1
done
say "weed answered after $((SECONDS - started))s; bucket $bucket made"

export WHEREAS_TEST_S3_URL="s3://$bucket/tests?endpoint=127.0.0.1:$s3&insecure=1&region=us-east-1"
# No exec: the EXIT trap stops weed after the tests, passed or not.
$GO test -count=1 -timeout 20m -run '^TestS3' ${TEST_FLAGS:-} ./internal/blob/... ./internal/server/ ./cmd/whereas/
