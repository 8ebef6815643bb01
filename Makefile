# Whereas: `make run` serves the app on http://localhost:8080 with the seed loaded;
# `make test` runs the whole suite. Both start a private PostgreSQL under .data/ when
# DATABASE_URL is unset (see scripts/pg.sh).

SHELL := /bin/bash
GO ?= go
RUN_PG_PORT ?= 54329
TEST_PG_PORT ?= 54330
TEST_FLAGS ?=

.PHONY: all build generate run test test-s3 test-browser check fmt vet templ-check clean db-stop fuzz bench bench-scale

all: build

build:
	$(GO) build -o bin/whereas ./cmd/whereas

generate:
	$(GO) tool templ generate

# run: the app's own cluster and database (.data/pg, database "whereas"), never the tests'.
run: build
	@url="$${DATABASE_URL:-$$(scripts/pg.sh start .data/pg $(RUN_PG_PORT) whereas)}" && \
	  DATABASE_URL="$$url" ./bin/whereas seed && \
	  addr="$${WHEREAS_ADDR:-:8080}" && echo "Whereas on http://$${addr/#:/localhost:}" && \
	  DATABASE_URL="$$url" ./bin/whereas serve

# test: every test against a real PostgreSQL: a throwaway cluster in .data/pgtest (fsync
# off), where each test creates and drops its own database.
test: check
	@url="$${DATABASE_URL:-$$(scripts/pg.sh start .data/pgtest $(TEST_PG_PORT) postgres fast)}" && \
	  DATABASE_URL="$$url" $(GO) test -p 2 -count=1 -timeout 30m -skip '^TestS3' $(TEST_FLAGS) ./...

# test-s3: the S3 blob store's tests (TestS3…, which make test skips) against a real
# S3-compatible server: SeaweedFS's `weed server -s3`, built once from the Go module proxy
# into bin/weed, with its data in .data/seaweedfs, on 127.0.0.1 ports WEED_PORT…+7; weed is
# stopped afterwards, whatever the tests said (see scripts/s3test.sh).
WEED_PORT ?= 18330
test-s3:
	@url="$${DATABASE_URL:-$$(scripts/pg.sh start .data/pgtest $(TEST_PG_PORT) postgres fast)}" && \
	  DATABASE_URL="$$url" WEED_PORT=$(WEED_PORT) GO="$(GO)" TEST_FLAGS="$(TEST_FLAGS)" scripts/s3test.sh

# test-browser: only the browser and accessibility tests (Debian's chromium, axe-core).
test-browser: build
	@url="$${DATABASE_URL:-$$(scripts/pg.sh start .data/pgtest $(TEST_PG_PORT) postgres fast)}" && \
	  DATABASE_URL="$$url" $(GO) test -count=1 -timeout 30m -v $(TEST_FLAGS) ./internal/e2e/

# check: formatting, vet, and generated templ code in step with its sources.
check: vet templ-check
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }

vet:
	$(GO) vet ./...

templ-check:
	@$(GO) tool templ generate >/dev/null 2>&1 && \
	  if [ -d .git ] && ! git diff --quiet -- '*_templ.go'; then \
	    echo "generated templ code was out of step with its .templ sources (now regenerated; commit it)"; \
	    git diff --stat -- '*_templ.go'; exit 1; fi

fmt:
	gofmt -w $$(git ls-files '*.go')

db-stop:
	-scripts/pg.sh stop .data/pg
	-scripts/pg.sh stop .data/pgtest
	-scripts/pg.sh stop .data/pgbench
	-scripts/pg.sh stop .data/pgbench-replica
	-scripts/pg.sh stop .data/pgscale

clean: db-stop
	rm -rf bin .data test-output

# bench: the load benchmark, on its own cluster (.data/pgbench) with the seed plus
# BENCH_PEOPLE synthetic people; writes docs/benchmarks.md.
BENCH_PG_PORT ?= 54331
BENCH_REPLICA_PORT ?= 54333
BENCH_PEOPLE ?= 20000
BENCH_FLAGS ?=
bench: build
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
	  echo "bench: wrk not found (Debian: sudo apt-get install wrk); measuring with the Go client"
	@url="$$(scripts/pg.sh start .data/pgbench $(BENCH_PG_PORT) whereas_bench fast fresh)" && \
	  DATABASE_URL="$$url" ./bin/whereas seed && \
	  DATABASE_URL="$$url" ./bin/whereas gen -people $(BENCH_PEOPLE) && \
	  replica="$$(scripts/pg.sh replica .data/pgbench .data/pgbench-replica $(BENCH_REPLICA_PORT) whereas_bench)" && \
	  DATABASE_URL="$$url" ./bin/whereas bench -replica-url "$$replica" -out docs/benchmarks.md $(BENCH_FLAGS)
	@url="$$(scripts/pg.sh start .data/pgtest $(TEST_PG_PORT) postgres fast)" && DATABASE_URL="$$url" scripts/bench-go.sh

# bench-scale: search and filters with 100,000 people, 2,000 resolutions and about 1,000,000
# mentions (several minutes to generate); writes its section of docs/benchmarks.md.
SCALE_PG_PORT ?= 54332
bench-scale: build
	@url="$$(scripts/pg.sh start .data/pgscale $(SCALE_PG_PORT) whereas_scale fast fresh)" && \
	  seed="$$(scripts/pg.sh start .data/pgscale $(SCALE_PG_PORT) whereas_seedonly fast fresh)" && \
	  DATABASE_URL="$$seed" ./bin/whereas seed && \
	  DATABASE_URL="$$url" ./bin/whereas seed && \
	  DATABASE_URL="$$url" ./bin/whereas gen -people 100000 -resolutions 2000 -names-per-clause 11 && \
	  DATABASE_URL="$$url" ./bin/whereas bench -scale -seed-url "$$seed" -out docs/benchmarks.md

FUZZTIME ?= 60s
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 2 ./internal/parser/
	$(GO) test -run '^$$' -fuzz FuzzDecode -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 2 ./internal/akn/
	$(GO) test -run '^$$' -fuzz FuzzPreview -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 2 ./internal/importer/
	$(GO) test -run '^$$' -fuzz FuzzNames -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 2 ./internal/importer/
	$(GO) test -run '^$$' -fuzz FuzzText -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 2 ./internal/extract/
