//go:build amd64 && gc && !purego

package csum

import (
	"github.com/klauspost/cpuid/v2"
	"golang.org/x/sys/cpu"

	"github.com/iovkit/iovkit/internal/cachesize"
)

// A tier needs its own features and those of every tier below it: GODEBUG
// masks don't cascade in x/sys/cpu (cpu.avx2=off leaves the AVX-512 flags
// set), so masking one feature turns off its tier and every tier above it
// (cpu.adx=off leaves amd64-scalar). amd64-avx512 sums with VPDPWSSD, so
// it also needs VNNI (Ice Lake and later; Skylake-X gets amd64-avx2).
// amd64-avxvnni sums with VPDPWSSD's VEX form, on 256-bit vectors: CPUs
// with AVX-VNNI and no AVX-512 (Alder Lake and later client cores, Sierra
// Forest) get it; masking avx512f on a CPU that has both leaves it.
var (
	hasADX     = cpu.X86.HasADX
	hasAVX2    = hasADX && cpu.X86.HasAVX2 && cpu.X86.HasBMI2
	hasAVXVNNI = hasAVX2 && cpu.X86.HasAVXVNNI
	hasAVX512  = hasAVX2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW &&
		cpu.X86.HasAVX512VL && cpu.X86.HasAVX512VNNI
)

// archImpls lists the amd64 assembly tiers in the order the CPU's features
// choose among them, best first. amd64-sse2 needs nothing beyond x86-64 but
// is not in that order: it is chosen by CPU model (cpuRows).
var archImpls = []Implementation{
	{Name: "amd64-avx512", Available: hasAVX512, id: tierAVX512},
	{Name: "amd64-avxvnni", Available: hasAVXVNNI, id: tierAVXVNNI},
	{Name: "amd64-avx2", Available: hasAVX2, id: tierAVX2},
	{Name: "amd64-adx", Available: hasADX, id: tierADX},
	{Name: "amd64-scalar", Available: true, id: tierScalar},
	{Name: "amd64-sse2", Available: true, id: tierSSE2},
}

// cpuRows is the amd64 CPU table (see cpuRow), each row with its evidence.
// Figures of llvm-mca (LLVM 19) are bytes per cycle of the main loop of
// each routine as built, in steady state, as make bench-model prints them.
var cpuRows = []cpuRow{
	// Zen 1 and Zen+ (EPYC 7001, Ryzen 1000 and 2000 and their APUs; Zen 2
	// starts at model 0x30): each 256-bit operation runs as two 128-bit
	// ones, so amd64-avx2's loops take the issue slots of 128-bit ones, and
	// a third of their vector arithmetic is shifts, which run in one pipe
	// (pipe 2). Measured on an EPYC of family 0x17 model 1: Copy with
	// amd64-sse2's loop 25-26 GB/s against 19.6 for amd64-avx2 (copy()
	// 26.6-37). llvm-mca's znver1 counts a 256-bit load or store as one
	// operation (Partial 15.9 for amd64-avx2 against 14.5, Copy 14.1
	// against 11.6); with amd64-avx2's loops split into the 128-bit halves
	// Zen 1 runs, and six operations dispatched a cycle as Zen 1 does
	// (-dispatch=6): Partial 18.9 for amd64-sse2 against 16.0 (8 shifts
	// per 128 bytes in pipe 2 against 4); Copy 15.9 for both, bound by
	// address generation. The model puts no vector store data in the pipes;
	// the measured 1.3x is what pipe 2 gives if the 8 stores per 128 bytes
	// also use it (16 operations against 12). Zen 2 (256-bit datapaths)
	// keeps amd64-avx2: -mcpu=znver2 Partial 26.6 against 14.5, Copy 21.2
	// against 11.6.
	{cpuid.AMD, 0x17, 0x00, 0x2f, "amd64-avx2", "amd64-sse2"},
	// Zen 4 (family 0x19 with AVX-512) has no row: it keeps amd64-avx512,
	// unmeasured. llvm-mca -mcpu=znver4 puts amd64-avx512's Partial at
	// 31.9 against 39.7 for amd64-avx2 (Copy 31.9 against 31.5), but only
	// through one entry of LLVM 19's znver4 tables, which holds a pipe 4
	// cycles for every VPDPWSSD at 128, 256 and 512 bits alike, where a
	// 512-bit VPMADDWD holds one 2. AMD's tuning in LLVM prefers VPDPWSSD
	// on Zen 4: TuningFastDPWSSD (LLVM pull request 85375, after issue
	// 84182 found the split into VPMADDWD and VPADDD slower there) keeps
	// it whole. (Issue 132606 reports it slower than the pair where one
	// accumulator waits on it in a loop; the four or eight accumulators
	// here hide its latency.) With VPDPWSSD priced as that pair, the loop
	// models at 42.2 (the pair itself, in those tables); priced as
	// VPMADDWD, at 63.5. Either way amd64-avx512 leads. Copy: AMD's
	// guide, as LLVM's znver4 file quotes it, gives 256-bit memory
	// operations and one FP store a cycle, 32 bytes, so every tier's Copy
	// is near that (memmove models at 31.6); the tables let a 512-bit
	// store through in a cycle, so amd64-avx512's 31.9 there is again the
	// VPDPWSSD entry's (about 39 with the pair). Not modelled: the masked
	// store of Copy's last 1..63 bytes, once a call.

	// CPUs without ADX, whose features choose amd64-scalar, and whose
	// vector units outrun its one ADC chain: Sandy Bridge, Ivy Bridge and
	// Haswell (family 6 models 0x2a-0x2d and 0x3a-0x46, which hold no
	// Atom core; Broadwell, 0x3d, has ADX and reaches this row only with
	// ADX masked), where ADC takes two cycles, and AMD's Bulldozer line
	// (family 0x15) and Jaguar (0x16). llvm-mca, Partial / Copy: sandybridge 13.0 / 11.6
	// for amd64-sse2 against 4.0 / 4.0, haswell 14.5 / 9.8 against
	// 4.0 / 4.0, bdver2 6.4 / 5.5 against 5.3 / 5.3, btver2 7.3 / 5.8
	// against 6.7 / 4.6. Below 384 bytes both copy with copyScalar.
	// Atom cores keep amd64-scalar: slm (Silvermont) puts amd64-sse2 far
	// below it, 2.9 / 2.7 against 8.0 / 4.0.
	{cpuid.Intel, 0x06, 0x2a, 0x2d, "amd64-scalar", "amd64-sse2"},
	{cpuid.Intel, 0x06, 0x3a, 0x46, "amd64-scalar", "amd64-sse2"},
	{cpuid.AMD, 0x15, 0x00, 0xff, "amd64-scalar", "amd64-sse2"},
	{cpuid.AMD, 0x16, 0x00, 0xff, "amd64-scalar", "amd64-sse2"},
}

// preferredOn returns the tier to run on this CPU when its features
// choose best.
func preferredOn(best string) string {
	return byCPU(cpuid.CPU.VendorID, cpuid.CPU.Family, cpuid.CPU.Model, best)
}

// The numbers of the tiers in archPartial and archCopy, and in the
// assembly's dispatch (TIER_AVX512 ... in csum_amd64.h, which a test holds
// to these).
const (
	tierAVX512  = 1
	tierAVX2    = 2
	tierADX     = 3
	tierScalar  = 4
	tierSSE2    = 5
	tierAVXVNNI = 6
)

// activePartial is archPartial(activeID, b, sum), in assembly: it jumps
// to the kernel of the active tier, which returns straight to the caller,
// with no Go frame between them (the switch of archPartial costs about
// half a nanosecond a call, 5-10% from 65 to 512 bytes).
//
//go:noescape
func activePartial(b []byte, sum Sum) Sum

// activeCopy is archCopy(activeID, dst, src, sum) as activePartial is
// archPartial. len(dst) == len(src).
//
//go:noescape
func activeCopy(dst, src []byte, sum Sum) Sum

// archPartial runs the Partial of implementation id: a switch of direct
// calls, through which the compiler sees that b does not escape.
func archPartial(id int, b []byte, sum Sum) Sum {
	switch id {
	case tierAVX512:
		return partialAVX512(b, sum)
	case tierAVXVNNI:
		return partialAVXVNNI(b, sum)
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
	case tierAVXVNNI:
		return copyAVXVNNI(dst, src, sum)
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

// copyNTMin is the length from which copyAVX512, copyAVXVNNI and copyAVX2
// write with non-temporal stores (copyAVX512NT ...) instead of through the
// cache: the size of one core's L2. Measured on Emerald Rapids (2 MiB of
// L2 a core): at 1 MiB, a copy through the cache keeps up with copy() and
// one around it is 30% slower; from 2 MiB on, where source and destination
// no longer fit in L2 together, going around the cache is 15% to 40%
// faster. The assembly reads it.
var copyNTMin = cachesize.L2

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

// partialAVXVNNI is partialAVX512's sum on 256-bit vectors, with AVX-VNNI:
// 256 bytes a round into eight accumulators.
//
//go:noescape
func partialAVXVNNI(b []byte, sum Sum) Sum

// copyAVXVNNI is copyGeneric in one pass with the sums of partialAVXVNNI.
// len(dst) == len(src). From copyNTMin bytes on it continues as
// copyAVXVNNINT.
//
//go:noescape
func copyAVXVNNI(dst, src []byte, sum Sum) Sum

// copyAVXVNNINT is copyAVXVNNI with non-temporal stores to a 32-byte
// aligned destination, for copies larger than the cache. len(dst) ==
// len(src).
//
//go:noescape
func copyAVXVNNINT(dst, src []byte, sum Sum) Sum

// partialSSE2 is partialGeneric with SSE2, 128 bytes a round: half the
// vectors summed as partialAVX2 sums them, half with PMADDWD. From 64 to
// 383 bytes it sums with two carry chains side by side instead of vectors.
//
//go:noescape
func partialSSE2(b []byte, sum Sum) Sum

// copySSE2 is copyGeneric in one pass with the sums of partialSSE2.
// len(dst) == len(src). Inputs shorter than 384 bytes go to copyScalar.
//
//go:noescape
func copySSE2(dst, src []byte, sum Sum) Sum
