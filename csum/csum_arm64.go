//go:build arm64 && gc && !purego

package csum

import "golang.org/x/sys/cpu"

// A tier needs its own features and those of every tier below it: GODEBUG
// masks don't cascade. The scalar tier uses only the base A64 instruction
// set, which every arm64 CPU has.
var hasASIMD = cpu.ARM64.HasASIMD

// archImpls lists the arm64 assembly tiers, best first.
var archImpls = []Implementation{
	{Name: "arm64-neon", Available: hasASIMD, id: tierNEON},
	{Name: "arm64-scalar", Available: true, id: tierScalar},
}

// preferredOn returns best, the tier the CPU's features choose: no arm64
// CPU is known where another one is faster.
func preferredOn(best string) string { return best }

// The numbers of the tiers in archPartial and archCopy.
const (
	tierNEON = iota + 1
	tierScalar
)

// archPartial runs the Partial of implementation id: a switch of direct
// calls, through which the compiler sees that b does not escape.
func archPartial(id int, b []byte, sum Sum) Sum {
	switch id {
	case tierNEON:
		return partialNEON(b, sum)
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
