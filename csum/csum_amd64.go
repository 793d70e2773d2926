//go:build amd64 && gc && !purego

package csum

import (
	"github.com/klauspost/cpuid/v2"
	"golang.org/x/sys/cpu"
)

// A tier needs its own features and those of every tier below it: GODEBUG
// masks don't cascade in x/sys/cpu (cpu.avx2=off leaves the AVX-512 flags
// set), so masking one feature turns off its tier and every tier above it
// (cpu.adx=off leaves amd64-scalar). amd64-avx512 sums with VPDPWSSD, so
// it also needs VNNI (Ice Lake and later; Skylake-X gets amd64-avx2).
var (
	hasADX    = cpu.X86.HasADX
	hasAVX2   = hasADX && cpu.X86.HasAVX2 && cpu.X86.HasBMI2
	hasAVX512 = hasAVX2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW &&
		cpu.X86.HasAVX512VL && cpu.X86.HasAVX512VNNI
)

// archImpls lists the amd64 assembly tiers, best first.
var archImpls = []impl{
	{"amd64-avx512", hasAVX512, tierAVX512},
	{"amd64-avx2", hasAVX2, tierAVX2},
	{"amd64-adx", hasADX, tierADX},
	{"amd64-scalar", true, tierScalar},
	{"amd64-sse2", true, tierSSE2},
}

// The numbers of the tiers in archPartial and archCopy.
const (
	tierAVX512 = iota + 1
	tierAVX2
	tierADX
	tierScalar
	tierSSE2
)

// archPartial runs the Partial of implementation id: a switch of direct
// calls, through which the compiler sees that b does not escape.
func archPartial(id int, b []byte, sum Sum) Sum {
	switch id {
	case tierAVX512:
		return partialAVX512(b, sum)
	case tierAVX2:
		return partialAVX2(b, sum)
	case tierADX:
		return partialADX(b, sum)
	case tierScalar:
		return partialScalar(b, sum)
	case tierSSE2:
		return partialSSE2(b, sum)
	}
	return partialGeneric(b, sum)
}

// archCopy runs the Copy of implementation id. len(dst) == len(src).
func archCopy(id int, dst, src []byte, sum Sum) Sum {
	switch id {
	case tierAVX512:
		return copyAVX512(dst, src, sum)
	case tierAVX2:
		return copyAVX2(dst, src, sum)
	case tierADX:
		return copyADX(dst, src, sum)
	case tierScalar:
		return copyScalar(dst, src, sum)
	case tierSSE2:
		return copySSE2(dst, src, sum)
	}
	return copyGeneric(dst, src, sum)
}

// copyNTMin is the length from which copyAVX512 and copyAVX2 write with
// non-temporal stores (copyAVX512NT, copyAVX2NT) instead of through the
// cache: the size of one core's L2, from cpuid (1 MiB when it is unknown,
// as under qemu-user). Measured on Emerald Rapids (2 MiB of L2 a core):
// at 1 MiB, a copy through the cache keeps up with copy() and one around
// it is 30% slower; from 2 MiB on, where source and destination no
// longer fit in L2 together, going around the cache is 15% to 40% faster.
// The assembly reads it.
var copyNTMin = ntThreshold(cpuid.CPU.Cache.L2)

func ntThreshold(l2 int) int {
	if l2 <= 0 {
		return 1 << 20
	}
	return l2
}

// partialScalar is partialGeneric with one ADC chain over 64 bytes a
// round: plain x86-64, what every amd64 CPU runs.
//
//go:noescape
func partialScalar(b []byte, sum Sum) Sum

// copyScalar is copyGeneric with the copy and the ADC chain of
// partialScalar in one pass. len(dst) == len(src).
//
//go:noescape
func copyScalar(dst, src []byte, sum Sum) Sum

// partialADX is partialGeneric with two independent carry chains, ADCX on
// the carry flag and ADOX on the overflow flag, 256 bytes a round.
//
//go:noescape
func partialADX(b []byte, sum Sum) Sum

// copyADX is copyGeneric in one pass with the carry chains of partialADX.
// len(dst) == len(src).
//
//go:noescape
func copyADX(dst, src []byte, sum Sum) Sum

// partialAVX2 is partialGeneric with AVX2: each 64-bit lane adds the whole
// word into one accumulator and its upper half into another, which is
// enough to recover the carries the first one lost. 128 bytes a round.
//
//go:noescape
func partialAVX2(b []byte, sum Sum) Sum

// copyAVX2 is copyGeneric in one pass with the sums of partialAVX2.
// len(dst) == len(src). From copyNTMin bytes on it continues as copyAVX2NT.
//
//go:noescape
func copyAVX2(dst, src []byte, sum Sum) Sum

// copyAVX2NT is copyAVX2 with non-temporal stores to a 32-byte aligned
// destination, for copies larger than the cache. len(dst) == len(src).
//
//go:noescape
func copyAVX2NT(dst, src []byte, sum Sum) Sum

// partialAVX512 is partialGeneric with AVX-512 VNNI: VPDPWSSD adds pairs
// of biased 16-bit words into 32-bit lanes, 256 bytes a round.
//
//go:noescape
func partialAVX512(b []byte, sum Sum) Sum

// copyAVX512 is copyGeneric in one pass with the sums of partialAVX512.
// len(dst) == len(src). From copyNTMin bytes on it continues as
// copyAVX512NT.
//
//go:noescape
func copyAVX512(dst, src []byte, sum Sum) Sum

// copyAVX512NT is copyAVX512 with non-temporal stores to a 64-byte aligned
// destination, for copies larger than the cache. len(dst) == len(src).
//
//go:noescape
func copyAVX512NT(dst, src []byte, sum Sum) Sum

// partialSSE2 is partialGeneric with SSE2, 128 bytes a round: half the
// vectors summed as partialAVX2 sums them, half with PMADDWD. The last
// 0..63 bytes, and inputs shorter than 128, go to partialScalar.
//
//go:noescape
func partialSSE2(b []byte, sum Sum) Sum

// copySSE2 is copyGeneric in one pass with the sums of partialSSE2.
// len(dst) == len(src). The last 0..63 bytes, and inputs shorter than
// 128, go to copyScalar.
//
//go:noescape
func copySSE2(dst, src []byte, sum Sum) Sum
