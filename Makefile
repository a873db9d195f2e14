# git-backfill: build, test and install. Run "make help" for the targets.

GO          ?= go
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
BIN         := bin/git-backfill
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
TOXIPROXY   := github.com/Shopify/toxiproxy/v2/cmd
TOXIPROXY_V := v2.5.0
CACHE       := $(CURDIR)/.cache
DEMO        := $(CURDIR)/demo

.PHONY: all build test unit e2e lint bench fuzz install uninstall demo clean help tools t5620

all: build

help:
	@echo "make build    build bin/git-backfill"
	@echo "make test     all tests (unit and end-to-end) with the race detector"
	@echo "make unit     unit tests only; needs no test tool (no S3 server, no toxiproxy)"
	@echo "make e2e      end-to-end scenarios in t/ and the tests against a real S3 server"
	@echo "make t5620    git's own t5620-backfill.sh against bin/git-backfill (GIT_SOURCE=<built git v2.55.0 tree>)"
	@echo "make lint     gofmt, go vet, staticcheck and the package layering (t/cmd/layers)"
	@echo "make bench    micro-benchmarks, then whole backfills as ratios (BENCHFLAGS=-preset=small for a quick run)"
	@echo "make fuzz     run every fuzz test briefly (FUZZTIME=10s)"
	@echo "make install  install the binary and man page under PREFIX=$(PREFIX)"
	@echo "make demo     build, clone this repository blobless over file:// and backfill it"
	@echo "make tools    install the test tools (toxiproxy, versitygw) into .cache/bin"
	@echo "make proto    regenerate plugins/proto from exporter.proto (needs protoc)"

# The binary is pure Go: linked statically (no cgo), it starts a
# millisecond sooner, which is a tenth of its fixed cost on every run.
build:
	CGO_ENABLED=0 $(GO) build -o $(BIN) ./cmd/git-backfill

# Test tools are built from the Go module proxy into .cache/bin (git-ignored)
# once; the tests find them there.
tools: $(CACHE)/bin/toxiproxy-server $(CACHE)/bin/toxiproxy-cli $(CACHE)/bin/versitygw

$(CACHE)/bin/toxiproxy-server:
	GOBIN=$(CACHE)/bin $(GO) install $(TOXIPROXY)/server@$(TOXIPROXY_V)
	mv $(CACHE)/bin/server $@

$(CACHE)/bin/toxiproxy-cli:
	GOBIN=$(CACHE)/bin $(GO) install $(TOXIPROXY)/cli@$(TOXIPROXY_V)
	mv $(CACHE)/bin/cli $@

# versitygw is the S3-compatible server the s3 exporter's tests run against
# (the first build takes a few minutes).
$(CACHE)/bin/versitygw:
	GOBIN=$(CACHE)/bin $(GO) install github.com/versity/versitygw/cmd/versitygw@v1.8.0

# Tests that need a real S3 server (versitygw) are built only with the
# versitygw tag, so that "make unit" needs no tool at all.
SERVERTAGS := -tags versitygw

# t/duckdb is a module of its own (DuckDB is a cgo library that the
# git-backfill binary must never link): it reads the parquet exporter's
# output with a real SQL engine, and needs a C and C++ compiler.
test: tools
	$(GO) test -race -count=1 $(SERVERTAGS) ./...
	cd t/duckdb && $(GO) test -count=1 ./...

# The unit tests: no tool, no server, no plugin process built, in under a
# minute. The end-to-end scenarios (t) and the plugin conformance suite,
# which builds and runs exporter programs, are in e2e. The exporters' own
# suites push archives of 25 MiB through gzip, which the race detector
# slows tenfold: here they run without it; "make test" runs every package
# under -race. Four packages at a time, not one per core: much of their
# time is spent waiting on git and plugin processes (45-50 s instead of
# 56-60 s on 2 cores).
UNITPKGS = $(GO) list ./... | grep -v -e '/t$$' -e '/plugins/conformance$$'
unit:
	$(GO) test -race -count=1 -p 4 $$($(UNITPKGS) | grep -v '/git-backfill/exporters')
	$(GO) test -count=1 $$($(UNITPKGS) | grep '/git-backfill/exporters')

e2e: tools
	$(GO) test -race -count=1 $(SERVERTAGS) ./t/... ./exporters/s3/... ./plugins/conformance/...
	cd t/duckdb && $(GO) test -count=1 ./...

# git's own test of its builtin git backfill, t/t5620-backfill.sh, run
# against bin/git-backfill by t/t5620.sh: GIT_SOURCE is a git source tree
# at tag v2.55.0, built ("make -j2 NO_RUST=1" there), whose test library
# drives the installed git (GIT_TEST_INSTALLED: the directory of the git on
# PATH unless set) with bin/ first on PATH. Nothing is fetched. Tests that
# need a command the installed git lacks are skipped and named; see
# docs/compatibility.md. T5620FLAGS go to the test script (-v, -i, -x).
GIT_SOURCE ?=
T5620FLAGS ?=
t5620: build
	@sh t/t5620.sh "$(GIT_SOURCE)" "$(CURDIR)/bin" $(T5620FLAGS)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(SERVERTAGS) ./...
	@test -x $(CACHE)/bin/staticcheck || GOBIN=$(CACHE)/bin $(GO) install $(STATICCHECK)
	$(CACHE)/bin/staticcheck $(SERVERTAGS) ./...
	$(GO) run ./t/cmd/layers

# The Go micro-benchmarks of the hot paths, then t/cmd/backfill-bench: it
# generates repositories and reports git-backfill's time, pack bytes and
# memory as ratios against git's own limits, measured in the same run.
# BENCHFLAGS=-preset=small is quick enough for CI; -h lists the options.
BENCHFLAGS ?= -preset=all
bench: build tools
	$(GO) test -run '^$$' -bench . -benchmem $$($(GO) list ./... | grep -v '/t$$')
	$(GO) build -o $(CACHE)/bin/backfill-bench ./t/cmd/backfill-bench
	$(CACHE)/bin/backfill-bench -binary=$(BIN) -toxiproxy=$(CACHE)/bin/toxiproxy-server $(BENCHFLAGS)

# make proto regenerates plugins/proto's Go code from exporter.proto with the
# pinned generators (built into .cache/bin). The generated files are
# committed, so only this target needs protoc (Debian: apt-get install
# protobuf-compiler); builds and tests do not.
PROTOC_GEN_GO      := google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.6
PROTOC_GEN_GO_GRPC := google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.3.0
.PHONY: proto
proto:
	@command -v protoc >/dev/null || { echo "make proto needs protoc: apt-get install protobuf-compiler"; exit 1; }
	GOBIN=$(CACHE)/bin $(GO) install $(PROTOC_GEN_GO)
	GOBIN=$(CACHE)/bin $(GO) install $(PROTOC_GEN_GO_GRPC)
	PATH=$(CACHE)/bin:$$PATH protoc -I plugins/proto \
	  --go_out=plugins/proto --go_opt=paths=source_relative \
	  --go-grpc_out=plugins/proto --go-grpc_opt=paths=source_relative \
	  exporter.proto

FUZZTIME ?= 10s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

install: build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/git-backfill
	install -m 644 docs/git-backfill.1 $(DESTDIR)$(MANDIR)/man1/git-backfill.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/git-backfill $(DESTDIR)$(MANDIR)/man1/git-backfill.1

# The demo serves this repository's own history over file:// from a bare
# copy that allows partial clones, clones it blobless, then backfills.
demo: build
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	@git clone --quiet --bare --no-local . $(DEMO)/server.git
	@git -C $(DEMO)/server.git config uploadpack.allowFilter true
	@git -C $(DEMO)/server.git config uploadpack.allowAnySHA1InWant true
	@git clone --quiet --filter=blob:none --no-checkout file://$(DEMO)/server.git $(DEMO)/clone
	@echo "== blobless clone of this repository: $(DEMO)/clone"
	@echo "missing blobs: $$(git -C $(DEMO)/clone rev-list --objects --quiet --missing=print HEAD | wc -l)"
	@echo "== git backfill --dry-run -v"
	@cd $(DEMO)/clone && PATH=$(CURDIR)/bin:$$PATH git backfill --dry-run -v --min-batch-size=100 > $(DEMO)/plan.txt
	@head -n 12 $(DEMO)/plan.txt; echo "... (whole plan: $(DEMO)/plan.txt)"
	@echo "== git backfill -v"
	@cd $(DEMO)/clone && PATH=$(CURDIR)/bin:$$PATH git backfill -v --min-batch-size=100
	@echo "missing blobs: $$(git -C $(DEMO)/clone rev-list --objects --quiet --missing=print HEAD | wc -l)"
	@echo "== git backfill export -n 50 --output=$(DEMO)/exports/"
	@cd $(DEMO)/clone && PATH=$(CURDIR)/bin:$$PATH git backfill export -n 50 HEAD --output=$(DEMO)/exports/ > /dev/null
	@ls -l $(DEMO)/exports/

clean:
	rm -rf bin $(DEMO)
