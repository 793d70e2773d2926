// Package cachesize gives the copies of iovkit the size of the CPU's
// caches they choose their stores by, with one fallback where the CPU does
// not report it.
package cachesize

import "github.com/klauspost/cpuid/v2"

// L2 is the size in bytes of one core's L2 cache: what cpuid reports, or
// 1 MiB where it reports nothing (as under qemu-user).
var L2 = L2From(cpuid.CPU.Cache.L2)

// L2From returns the L2 size to assume when cpuid reports reported bytes:
// reported itself, or 1 MiB when it is zero or negative (unknown).
func L2From(reported int) int {
	if reported <= 0 {
		return 1 << 20
	}
	return reported
}
