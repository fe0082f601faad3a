# synfin — see README.md. `make demo` and `make test` are all a fresh clone needs.
SHELL    := /bin/bash
.SHELLFLAGS := -o pipefail -c
GO       ?= go
PKGS     := ./...
CORPUS   ?= $(abspath ../shared/corpus)
FUZZTIME ?= 20s

.PHONY: all build test race cover vet fmt-check tidy-check fuzz golden bench demo corpus clean

all: vet test build

build:
	$(GO) build -o synfin ./cmd/synfin

demo:
	$(GO) run ./cmd/synfin demo

# The README's test command: unit tests, golden CLI output, the lab ground truth.
test:
	$(GO) test $(PKGS)

race:
	$(GO) test -race $(PKGS)

cover:
	$(GO) test -coverprofile=cover.out $(PKGS) && $(GO) tool cover -func=cover.out | tail -1

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

tidy-check:
	$(GO) mod tidy && git diff --exit-code go.mod go.sum

# Rewrite golden files after reading the diff they would make.
golden:
	$(GO) test ./cmd/synfin -run Golden -update

# Every capture of the shared corpus against the tshark and Zeek oracles, and
# the full lab ground truth (scenario 15 included). Writes corpus-report.txt.
corpus:
	SYNFIN_CORPUS=$(CORPUS) SYNFIN_CORPUS_REPORT=$(CURDIR)/corpus-report.txt \
		$(GO) test ./cmd/synfin ./analyze/oracle -run 'Corpus|Lab' -count=1 -v | grep -E '^(---|===|ok|FAIL|PASS)|corpus_test' | grep -v '^=== RUN'

# Each native fuzz target in turn; crashers land in flows/testdata/fuzz and
# stay there as regression cases. make fuzz FUZZTIME=10m for a long run.
FUZZ_TARGETS := FuzzCapture FuzzDecode FuzzTracker FuzzOptions
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz $$t for $(FUZZTIME)"; \
		$(GO) test ./flows -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) || exit 1; \
	done

bench:
	$(GO) test ./flows ./cmd/synfin -run '^$$' -bench . -benchmem

clean:
	rm -f synfin cover.out corpus-report.txt
