# iovkit: make bench (the benchmark report) and make test (the whole CI matrix).
# Both install what they need on a fresh Debian machine (run as root).

SHELL  := /bin/bash
GO     ?= go
PKGS   := ./...
ARM64  := CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc GOARCH=arm64
QEMU_ARM64 := qemu-aarch64 -L /usr/aarch64-linux-gnu
# CPU models of qemu-x86_64 (qemu 7.2): qemu64 is plain x86-64 (no ADX, no
# AVX2), max has ADX and AVX2 but no AVX-512. They trap for real what
# GODEBUG only hides.
QEMU_X86_V1  := qemu-x86_64 -cpu qemu64
QEMU_X86_ADX := qemu-x86_64 -cpu max,-avx2
QEMU_X86_MAX := qemu-x86_64 -cpu max
APT_PKGS := qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu

# step runs a command under a banner and reports how long it took.
step = @echo "==> $(1)"; t0=$$EPOCHREALTIME; $(2) || exit 1; \
	awk -v a=$$t0 -v b=$$EPOCHREALTIME 'BEGIN { printf "<== %s: %.1f s\n", "$(1)", b - a }'

.PHONY: all deps test lint test-native test-race test-purego test-amd64-tiers test-arm64 \
	test-arm64-nocgo test-s390x test-bench-smoke bench cross

all: test

# deps installs the cross compilers and qemu-user, only when one is missing.
deps:
	@missing=$$(for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "==> installing $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

test: deps
	@t0=$$EPOCHREALTIME; \
	$(MAKE) --no-print-directory lint test-native test-race test-purego test-amd64-tiers test-arm64 \
		test-arm64-nocgo test-s390x test-bench-smoke && \
	awk -v a=$$t0 -v b=$$EPOCHREALTIME 'BEGIN { printf "== make test passed in %.1f s\n", b - a }'

lint:
	$(call step,gofmt,test -z "$$(gofmt -l . | tee /dev/stderr)")
	$(call step,vet amd64,$(GO) vet $(PKGS) && (cd bench && $(GO) vet ./...))
	$(call step,vet amd64 purego,$(GO) vet -tags purego $(PKGS))
	$(call step,vet arm64,$(ARM64) $(GO) vet $(PKGS) && (cd bench && $(ARM64) $(GO) vet ./...))
	$(call step,vet s390x,CGO_ENABLED=0 GOARCH=s390x $(GO) vet $(PKGS))

test-native:
	$(call step,test native,$(GO) test $(PKGS) && (cd bench && $(GO) test ./...))

test-race:
	$(call step,test -race,$(GO) test -race $(PKGS))

test-purego:
	$(call step,test purego,$(GO) test -tags purego $(PKGS))

# test-amd64-tiers runs the whole csum suite once per amd64 tier below the
# best, each run asserting (IOVKIT_WANT_IMPL, TestWantImpl) the tier it must
# choose. GODEBUG goes to the test binary only, never to the go command.
# Masks do not cascade in x/sys/cpu, so each one names the lowest feature
# to drop: cpu.adx=off leaves only amd64-scalar.
csum_tier = $(GO) test -count=1 -exec '$(1)' ./csum

test-amd64-tiers:
	$(call step,csum amd64-avx2 (GODEBUG=cpu.avx512f=off),$(call csum_tier,env GODEBUG=cpu.avx512f=off IOVKIT_WANT_IMPL=amd64-avx2))
	$(call step,csum amd64-adx (GODEBUG=cpu.avx2=off),$(call csum_tier,env GODEBUG=cpu.avx2=off IOVKIT_WANT_IMPL=amd64-adx))
	$(call step,csum amd64-scalar (GODEBUG=cpu.adx=off),$(call csum_tier,env GODEBUG=cpu.adx=off IOVKIT_WANT_IMPL=amd64-scalar))
	$(call step,csum amd64-scalar (qemu64),$(call csum_tier,env IOVKIT_WANT_IMPL=amd64-scalar $(QEMU_X86_V1)))
	$(call step,csum amd64-adx (qemu max without AVX2),$(call csum_tier,env IOVKIT_WANT_IMPL=amd64-adx $(QEMU_X86_ADX)))
	$(call step,csum amd64-avx2 (qemu max: no AVX-512),$(call csum_tier,env IOVKIT_WANT_IMPL=amd64-avx2 $(QEMU_X86_MAX)))

test-arm64:
	$(call step,test arm64 (qemu; cgo),$(ARM64) $(GO) test -exec '$(QEMU_ARM64)' $(PKGS))

test-arm64-nocgo:
	$(call step,test arm64 (qemu; no cgo),CGO_ENABLED=0 GOARCH=arm64 $(GO) test -exec qemu-aarch64 $(PKGS))

test-s390x:
	$(call step,test s390x big-endian (qemu),CGO_ENABLED=0 GOARCH=s390x $(GO) test -exec qemu-s390x $(PKGS))

test-bench-smoke:
	$(call step,benchmarks once,out=$$(mktemp) && \
		{ $(GO) test -run '^$$' -bench . -benchtime 1x $(PKGS) && \
		  (cd bench && $(GO) test -run '^$$' -bench . -benchtime 1x ./...); } >$$out 2>&1 || \
		{ cat $$out; rm -f $$out; false; } && rm -f $$out)

# cross builds every package for the architectures CI emulates.
cross:
	$(call step,cross build,for a in arm64 s390x; do CGO_ENABLED=0 GOARCH=$$a $(GO) build $(PKGS) || exit 1; done)

# bench runs the package benchmarks with the peers side by side.
bench:
	cd bench && $(GO) test -run '^$$' -bench . -count 5 ./... | tee /tmp/iovkit-bench.txt
	$(GO) test -run '^$$' -bench . -count 5 ./csum | tee -a /tmp/iovkit-bench.txt
	@echo "raw results in /tmp/iovkit-bench.txt (benchstat -col /impl reads them)"
