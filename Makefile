# grunnlag: see README.md. Every target runs offline.
GO ?= go

.PHONY: all build demo test test-race ci bench fuzz lint fmt clean reliability

all: lint test build

## build: compile the grunnlag binary into ./bin
build:
	$(GO) build -o bin/grunnlag ./cmd/grunnlag

## demo: run the main job on the bundled (offline) data; writes ./kb
demo:
	$(GO) run ./cmd/grunnlag run --config testdata/demo/grunnlag.yaml
	$(GO) run ./cmd/grunnlag status --config testdata/demo/grunnlag.yaml

## test: every test, offline (the README's command)
test:
	$(GO) test ./...

## test-race: every test under the race detector (needs cgo and a C compiler)
test-race:
	$(GO) test -race -count=1 -timeout 30m ./...

## reliability: the fault, kill and bad-input cases (.ci/reliability.txt), with counts
reliability:
	bash .ci/reliability

## ci: what .ci/run does
ci:
	bash .ci/run

## bench: throughput benchmarks (cells/s, MB/s, rows/s, charts/s, peak memory) with
## allocation counts; BENCHTIME=2s for steadier numbers
BENCHTIME ?= 200ms
bench:
	$(GO) test -run='^$$' -bench=. -benchmem -benchtime=$(BENCHTIME) -timeout=30m ./...

## fuzz: every fuzz target (parsers of foreign input: CSV, XLSX, survey,
## JSON-stat, YAML config, cron, ...) for FUZZTIME each, one after the other
FUZZTIME ?= 10s
fuzz:
	bash .ci/fuzz $(FUZZTIME)

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

fmt:
	gofmt -w .

clean:
	rm -rf bin kb
