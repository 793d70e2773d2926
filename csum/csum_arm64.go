//go:build arm64 && gc && !purego

package csum

import (
	"github.com/klauspost/cpuid/v2"
	"golang.org/x/sys/cpu"
)

// A tier needs its own features and those of every tier below it: GODEBUG
// masks don't cascade. The scalar tier uses only the base A64 instruction
// set, which every arm64 CPU has.
var hasASIMD = cpu.ARM64.HasASIMD

// archImpls lists the arm64 assembly tiers in the order the CPU's features
// choose among them, best first. arm64-uaddw needs no more than arm64-neon
// but is not in that order: it is chosen by CPU model (cpuRows).
var archImpls = []Implementation{
	{Name: "arm64-neon", Available: hasASIMD, id: tierNEON},
	{Name: "arm64-scalar", Available: true, id: tierScalar},
	{Name: "arm64-uaddw", Available: hasASIMD, id: tierUADDW},
}

// cpuRows is the arm64 CPU table (see cpuRow). A row's family is 0 and its
// models are MIDR part numbers: preferredOn passes those, because MIDR's
// variant and architecture fields, which cpuid reports as the family,
// change from one revision of a core to the next. cpuid reports MIDR's low
// 16 bits as the model, the part number above the revision; make test's
// run under qemu-aarch64 -cpu neoverse-n1 checks that reading end to end.
// Figures of llvm-mca (LLVM 19) are bytes per cycle of the main loop of
// each routine as built, in steady state, as make bench-model prints them;
// there is no arm64 core here to measure.
var cpuRows = []cpuRow{
	// Neoverse N1 (Graviton2, Ampere Altra), N2 and V2 (Graviton4): UADALP
	// runs in one vector pipe of two (N1, N2: V1) or in two of four (V2),
	// while the widening adds run in all of them, so arm64-uaddw's Partial,
	// which sums three of a step's eight vectors with UADDW and UADDW2,
	// keeps every pipe busy: neoverse-n1 and neoverse-n2 23.0 against 15.9
	// for arm64-neon, neoverse-v2 45.4 against 31.5. Its Copy is
	// arm64-neon's: the same change to the copy loop gives 13.4 against
	// 15.8 on N1 and N2 (the stores' data share the vector pipes) and 23.8
	// against 23.7 on V2. The other modelled cores keep arm64-neon, whose
	// Partial the change does not help: cortex-a72 and cortex-a76 14.1
	// against 15.9, cortex-a53 5.1 against 5.8, ampere1 21.1 against 25.3,
	// and neoverse-v1 and apple-m1 31.5 and 31.6 either way.
	{cpuid.ARM, 0, 0xd0c, 0xd0c, "arm64-neon", "arm64-uaddw"},
	{cpuid.ARM, 0, 0xd49, 0xd49, "arm64-neon", "arm64-uaddw"},
	{cpuid.ARM, 0, 0xd4f, 0xd4f, "arm64-neon", "arm64-uaddw"},
}

// preferredOn returns the tier to run on this CPU when its features
// choose best.
func preferredOn(best string) string {
	return byCPU(cpuid.CPU.VendorID, 0, cpuid.CPU.Model>>4, best)
}

// The numbers of the tiers in archPartial and archCopy.
const (
	tierNEON = iota + 1
	tierScalar
	tierUADDW
)

// archPartial runs the Partial of implementation id: a switch of direct
// calls, through which the compiler sees that b does not escape.
func archPartial(id int, b []byte, sum Sum) Sum {
	switch id {
	case tierNEON:
		return partialNEON(b, sum)
	case tierUADDW:
		return partialUADDW(b, sum)
	case tierScalar:
		return partialScalar(b, sum)
	}
	return partialGeneric(b, sum)
}

// archCopy runs the Copy of implementation id. len(dst) == len(src).
func archCopy(id int, dst, src []byte, sum Sum) Sum {
	switch id {
	case tierNEON:
		return copyNEON(dst, src, sum)
	case tierUADDW:
		return copyUADDW(dst, src, sum)
	case tierScalar:
		return copyScalar(dst, src, sum)
	}
	return copyGeneric(dst, src, sum)
}

// partialNEON is Partial with Advanced SIMD: widening pairwise adds into
// eight vector accumulators, 128 bytes a step. It must equal partialGeneric.
// Inputs shorter than 128 bytes go to partialScalar.
//
//go:noescape
func partialNEON(b []byte, sum Sum) Sum

// copyNEON is Copy with Advanced SIMD, summing what it copies in the same
// pass. It must equal copyGeneric: it writes exactly len(src) bytes of dst,
// which must be at least that long. Inputs shorter than 128 bytes go to
// copyScalar.
//
//go:noescape
func copyNEON(dst, src []byte, sum Sum) Sum

// partialUADDW is partialNEON with three of a step's eight vectors summed
// by widening adds (UADDW, UADDW2) instead of UADALP, for the cores of
// cpuRows. It must equal partialGeneric. Inputs shorter than 128 bytes go
// to partialScalar.
//
//go:noescape
func partialUADDW(b []byte, sum Sum) Sum

// copyUADDW is arm64-uaddw's Copy: a jump to copyNEON, under the tier's
// own name (the widening adds would slow a copy down on the cores of
// cpuRows).
// It must equal copyGeneric: it writes exactly len(src) bytes of dst, which
// must be at least that long. Inputs shorter than 128 bytes go to
// copyScalar.
//
//go:noescape
func copyUADDW(dst, src []byte, sum Sum) Sum

// partialScalar is Partial with 64-bit add-with-carry chains, for CPUs
// whose Advanced SIMD is missing or masked. It must equal partialGeneric.
//
//go:noescape
func partialScalar(b []byte, sum Sum) Sum

// copyScalar is Copy with 64-bit add-with-carry chains. It must equal
// copyGeneric: it writes exactly len(src) bytes of dst, which must be at
// least that long.
//
//go:noescape
func copyScalar(dst, src []byte, sum Sum) Sum
