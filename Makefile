# iovkit: make bench (the benchmark report) and make test (the whole CI matrix).
# Both install what they need on a fresh Debian machine (run as root).

SHELL  := /bin/bash
GO     ?= go
PKGS   := ./...
ARM64  := CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc GOARCH=arm64
QEMU_ARM64 := qemu-aarch64 -L /usr/aarch64-linux-gnu
# CPU models of qemu-x86_64 (qemu 7.2): qemu64 is plain x86-64 (no ADX, no
# AVX2), max has ADX and AVX2 but no AVX-512 or AVX-VNNI (its TCG has
# neither). They trap for real what GODEBUG only hides.
QEMU_X86_V1  := qemu-x86_64 -cpu qemu64
QEMU_X86_ADX := qemu-x86_64 -cpu max,-avx2
QEMU_X86_MAX := qemu-x86_64 -cpu max
# EPYC reports AMD family 0x17 model 1 (Zen 1) with AVX2.
QEMU_X86_ZEN1 := qemu-x86_64 -cpu EPYC
# Haswell-noTSX reports Intel family 6 model 0x3c with AVX2 and no ADX.
QEMU_X86_HSW := qemu-x86_64 -cpu Haswell-noTSX
APT_PKGS := qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils binutils-aarch64-linux-gnu llvm-19

# comma is a comma inside the arguments of $(call).
comma := ,

# step runs a command under a banner and reports how long it took.
step = @echo "==> $(1)"; t0=$$EPOCHREALTIME; $(2) || exit 1; \
	awk -v a=$$t0 -v b=$$EPOCHREALTIME 'BEGIN { printf "<== %s: %.1f s\n", "$(1)", b - a }'

.PHONY: all deps test lint test-native test-race test-purego test-amd64-tiers test-arm64 \
	test-arm64-nocgo test-arm64-tiers test-s390x test-bench-smoke test-bench-quick bench bench-record bench-arm64 bench-model \
	cross asm asm-arm64

all: test

# deps installs the cross compilers, qemu-user, both objdumps and llvm-mca-19
# (llvm-19, for bench-model), only when one is missing.
deps:
	@missing=$$(for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "==> installing $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

test: deps
	@t0=$$EPOCHREALTIME; \
	$(MAKE) --no-print-directory lint test-native test-race test-purego test-amd64-tiers test-arm64 \
		test-arm64-nocgo test-arm64-tiers test-s390x test-bench-smoke test-bench-quick && \
	awk -v a=$$t0 -v b=$$EPOCHREALTIME 'BEGIN { printf "== make test passed in %.1f s\n", b - a }'

lint:
	$(call step,gofmt,test -z "$$(gofmt -l . | tee /dev/stderr)")
	$(call step,vet amd64,$(GO) vet $(PKGS) && (cd bench && $(GO) vet ./...))
	$(call step,vet amd64 purego,$(GO) vet -tags purego $(PKGS))
	$(call step,vet arm64,$(ARM64) $(GO) vet $(PKGS) && (cd bench && $(ARM64) $(GO) vet ./...))
	$(call step,vet s390x,CGO_ENABLED=0 GOARCH=s390x $(GO) vet $(PKGS))
	$(call step,arm64 WORD encodings match their mnemonics,GO=$(GO) .ci/asm-arm64 check)

test-native:
	$(call step,test native,$(GO) test $(PKGS) && (cd bench && $(GO) test ./...))

# The second step builds usercopy as race builds without assembly do, the
# only build that compiles probe_futex.go.
test-race:
	$(call step,test -race,$(GO) test -race $(PKGS))
	$(call step,test -race purego (usercopy futex probe),$(GO) test -race -tags purego ./internal/usercopy)

test-purego:
	$(call step,test purego,$(GO) test -tags purego $(PKGS))

# test-amd64-tiers runs the whole csum suite once per amd64 tier below the
# best, each run asserting (IOVKIT_WANT_IMPL, TestWantImpl) the tier it
# must choose. The EPYC and Haswell runs name amd64-sse2 itself, the tier
# the table of CPU models in csum/csum_amd64.go puts in amd64-avx2's place
# on Zen 1 and in amd64-scalar's on Haswell, so that they fail if the
# table does not apply there.
# GODEBUG goes to the test binary only, never to the go command.
# Masks do not cascade in x/sys/cpu, so each one names the lowest feature
# to drop: cpu.adx=off leaves only amd64-scalar. The runtime, which has no
# avxvnni option of its own, prints "unknown cpu feature" for
# cpu.avxvnni=off; x/sys/cpu honours it.
csum_tier = $(GO) test -count=1 -exec '$(1)' ./csum

# HAS_AVXVNNI is set where the CPU has AVX-VNNI, the one tier no qemu model
# here runs (qemu 7.2 lacks it): only there does masking AVX-512 leave
# amd64-avxvnni.
HAS_AVXVNNI := $(shell grep -qw avx_vnni /proc/cpuinfo 2>/dev/null && echo yes)

test-amd64-tiers:
	$(if $(HAS_AVXVNNI),$(call step,csum amd64-avxvnni (GODEBUG=cpu.avx512f=off),$(call csum_tier,env GODEBUG=cpu.avx512f=off IOVKIT_WANT_IMPL=amd64-avxvnni)))
	$(call step,csum amd64-avx2 (GODEBUG=cpu.avx512f=off$(comma)cpu.avxvnni=off),$(call csum_tier,env GODEBUG=cpu.avx512f=off$(comma)cpu.avxvnni=off IOVKIT_WANT_IMPL=amd64-avx2))
	$(call step,csum amd64-adx (GODEBUG=cpu.avx2=off),$(call csum_tier,env GODEBUG=cpu.avx2=off IOVKIT_WANT_IMPL=amd64-adx))
	$(call step,csum amd64-scalar (GODEBUG=cpu.adx=off),$(call csum_tier,env GODEBUG=cpu.adx=off IOVKIT_WANT_IMPL=amd64-scalar))
	$(call step,csum amd64-scalar (qemu64),$(call csum_tier,env IOVKIT_WANT_IMPL=amd64-scalar $(QEMU_X86_V1)))
	$(call step,csum amd64-adx (qemu max without AVX2),$(call csum_tier,env IOVKIT_WANT_IMPL=amd64-adx $(QEMU_X86_ADX)))
	$(call step,csum amd64-avx2 (qemu max: no AVX-512, no AVX-VNNI),$(call csum_tier,env IOVKIT_WANT_IMPL=amd64-avx2 $(QEMU_X86_MAX)))
	$(call step,csum amd64-sse2 (qemu EPYC: Zen 1 takes it for amd64-avx2),$(call csum_tier,env IOVKIT_WANT_IMPL=amd64-sse2 $(QEMU_X86_ZEN1)))
	$(call step,csum amd64-sse2 (qemu Haswell: no ADX, takes it for amd64-scalar),$(call csum_tier,env IOVKIT_WANT_IMPL=amd64-sse2 $(QEMU_X86_HSW)))

test-arm64:
	$(call step,test arm64 (qemu; cgo),$(ARM64) $(GO) test -exec '$(QEMU_ARM64)' $(PKGS))

test-arm64-nocgo:
	$(call step,test arm64 (qemu; no cgo),CGO_ENABLED=0 GOARCH=arm64 $(GO) test -exec qemu-aarch64 $(PKGS))

# csum_arm64 runs the csum tests under qemu-aarch64 with qemu flags $(1) and
# test-binary environment $(2) (never the go command's), asserting that the
# tier chosen at start-up is $(3).
csum_arm64 = CGO_ENABLED=0 GOARCH=arm64 $(GO) test -exec 'env $(2) IOVKIT_WANT_IMPL=$(3) qemu-aarch64 $(1)' ./csum

# test-arm64-tiers runs every arm64 tier on the CPU models that must choose it.
test-arm64-tiers:
	$(call step,csum arm64 qemu max: neon,$(call csum_arm64,,,arm64-neon))
	$(call step,csum arm64 qemu cortex-a53: neon,$(call csum_arm64,-cpu cortex-a53,,arm64-neon))
	$(call step,csum arm64 qemu cortex-a72: neon,$(call csum_arm64,-cpu cortex-a72,,arm64-neon))
	$(call step,csum arm64 qemu neoverse-n1: uaddw (CPU table),$(call csum_arm64,-cpu neoverse-n1,,arm64-uaddw))
	$(call step,csum arm64 GODEBUG=cpu.asimd=off: scalar,$(call csum_arm64,,GODEBUG=cpu.asimd=off,arm64-scalar))

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

# asm regenerates the WORD encodings of the assembly from their mnemonics.
asm: asm-arm64

asm-arm64:
	GO=$(GO) .ci/asm-arm64 write

# test-bench-quick runs the benchmark report in its quick mode (a few
# seconds) into a folder it then removes, and checks the files it must
# write. Quick mode asserts the regression floors (bench/floors.go,
# docs/performance.md): a cliff on the CPU at hand fails it, and the log
# with the tables is printed.
test-bench-quick:
	$(call step,benchmark report -quick,out=$$(mktemp -d) && \
		{ (cd bench && $(GO) run . -quick -out $$out) >$$out.log 2>&1 && \
		  (for f in report.md table.txt raw.txt partial.svg partial.png copy.svg copy.png; do test -s $$out/$$f || exit 1; done); } || \
		{ cat $$out.log; rm -rf $$out $$out.log; false; } && rm -rf $$out $$out.log)

# bench runs the benchmark report (bench/, see bench -h): the machine, a
# table of every checksum implementation and iterator workload against its
# peers, and a folder under bench/out/ with the Markdown report, charts and
# go test -bench lines. BENCH_FLAGS passes flags, e.g. BENCH_FLAGS=-quick.
BENCH_FLAGS ?=
bench:
	cd bench && $(GO) run . $(BENCH_FLAGS)

# bench-record runs the same report and appends its summary (the CPU, its
# CPUID family and model, the date, GB/s and ratios, goals and floors) to
# PERF_DOC, the per-CPU record: review the new section and commit it.
PERF_DOC ?= docs/performance.md
bench-record:
	cd bench && $(GO) run . -record $(abspath $(PERF_DOC)) $(BENCH_FLAGS)

# bench-arm64 runs the same report on arm64 under qemu-aarch64 (cross-built
# with cgo): the report marks every line and chart as emulated and judges
# no goal or floor. It says how the arm64 tiers compare with each other
# under emulation, no more; make bench-model models real arm64 cores.
bench-arm64: deps
	@echo "==> the benchmark report under qemu-aarch64 (EMULATED: these figures say nothing about real arm64 cores)"
	@bin=$$(mktemp /tmp/iovkit-bench-arm64.XXXXXX) && \
	(cd bench && $(ARM64) $(GO) build -o $$bin . && $(QEMU_ARM64) $$bin $(BENCH_FLAGS)); st=$$?; rm -f $$bin; \
	echo "<== EMULATED under qemu-aarch64 on $$(uname -m): not arm64 performance, goals not judged (see make bench-model)"; exit $$st

# bench-model builds the library for amd64 and arm64, finds every kernel's
# hot loop (csum's partial* and copy*, the user copies, gVisor's checksum,
# Go's memmove) in the disassembly and prints llvm-mca-19's bytes per
# cycle for each on the CPUs of both architectures, beside measurements on
# this CPU; the report and charts go to a new folder under bench/out/
# (bench -h: -model-cpu, -out), which make bench's report then mentions.
bench-model: deps
	@t0=$$EPOCHREALTIME; cd bench && $(GO) run . -model $(BENCH_FLAGS) && \
	awk -v a=$$t0 -v b=$$EPOCHREALTIME 'BEGIN { printf "<== make bench-model: %.1f s\n", b - a }'
