//go:build linux

package usercopy_test

import (
	"bytes"
	"os"
	"runtime"
)

// sweepOffsets returns the offsets, from 0 to two pages, at which the sweep
// starts its transfers. Natively that is every offset (8193 of them with
// 4 KiB pages). Under qemu-user and the race detector a transfer costs 10 to
// 30 times as much (an emulated signal is about 15 µs, and the race detector
// instruments the generic checksum), so there the sweep keeps every offset
// within 64 bytes of a page boundary, which is every alignment modulo 64 at
// both ends of a page, and every 65th offset in between (65 ≡ 1 mod 64, so
// those too cycle through the alignments): 381 offsets. So does a system
// with pages larger than 4 KiB. IOVKIT_SWEEP=full or =coarse overrides.
func sweepOffsets() (offs []int, mode string) {
	mode = "full"
	if raceEnabled || emulated() || ps > 4096 {
		mode = "coarse"
	}
	if m := os.Getenv("IOVKIT_SWEEP"); m == "full" || m == "coarse" {
		mode = m
	}
	for o := 0; o <= 2*ps; o++ {
		if in := o % ps; mode == "full" || in < 64 || in >= ps-64 || o%65 == 0 {
			offs = append(offs, o)
		}
	}
	return offs, mode
}

// emulated reports whether this program runs under qemu-user on an x86
// machine: qemu passes the host's /proc/cpuinfo through.
func emulated() bool {
	if runtime.GOARCH == "amd64" || runtime.GOARCH == "386" {
		return false
	}
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return false
	}
	for _, vendor := range []string{"GenuineIntel", "AuthenticAMD", "HygonGenuine"} {
		if bytes.Contains(info, []byte("vendor_id\t: "+vendor)) {
			return true
		}
	}
	return false
}
