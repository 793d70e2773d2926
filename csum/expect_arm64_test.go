//go:build arm64 && gc && !purego

package csum

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/klauspost/cpuid/v2"
	"golang.org/x/sys/unix"
)

// Linux's auxiliary vector key and arm64 HWCAP bit for Advanced SIMD
// (include/uapi/linux/auxvec.h, arch/arm64/include/uapi/asm/hwcap.h).
const (
	atHWCAP    = 16
	hwcapASIMD = 1 << 1
)

// expectedImpl is the tier this CPU's features choose, found independently
// of the dispatch code: from the kernel's HWCAP (the runtime's copy of the
// auxiliary vector, where x/sys/cpu reads /proc/self/auxv) and GODEBUG as
// this function parses it. The CPU table may replace it (preferredOn); the
// table's rows are checked by TestByCPU, and its reading of the CPU by the
// qemu runs of make test, which name the tier they expect.
func expectedImpl() string {
	hwcap, err := auxval(atHWCAP)
	if err != nil {
		return fmt.Sprintf("unknown (auxiliary vector: %v)", err)
	}
	if hwcap&hwcapASIMD != 0 && !godebugMasks("asimd") {
		return "arm64-neon"
	}
	return "arm64-scalar"
}

// auxval returns the value of key in the process's auxiliary vector.
func auxval(key uintptr) (uintptr, error) {
	vec, err := unix.Auxv()
	if err != nil {
		return 0, err
	}
	for _, kv := range vec {
		if kv[0] == key {
			return kv[1], nil
		}
	}
	return 0, fmt.Errorf("no entry %d", key)
}

// godebugMasks reports whether GODEBUG turns the CPU feature off, as
// x/sys/cpu reads it: comma-separated cpu.<feature>=on|off and cpu.all=on|off
// settings, the last one that applies winning.
func godebugMasks(feature string) bool {
	off := false
	for _, f := range strings.Split(os.Getenv("GODEBUG"), ",") {
		key, value, ok := strings.Cut(f, "=")
		if !ok || (key != "cpu."+feature && key != "cpu.all") {
			continue
		}
		switch value {
		case "on":
			off = false
		case "off":
			off = true
		}
	}
	return off
}

// TestExpectedImpl holds expectedImpl to the tier the run expects, when the
// run says (make test does for every qemu CPU model and GODEBUG mask), so
// that the independent detection is itself checked. A tier the CPU table
// chooses (arm64-uaddw on qemu's neoverse-n1) is what the table makes
// of the tier the features choose.
func TestExpectedImpl(t *testing.T) {
	want := os.Getenv("IOVKIT_WANT_IMPL")
	if want == "" {
		t.Skip("IOVKIT_WANT_IMPL is not set")
	}
	if got := preferredOn(expectedImpl()); got != want {
		t.Fatalf("expectedImpl() = %q, which the CPU table makes %q, want %q (GODEBUG=%q)",
			expectedImpl(), got, want, os.Getenv("GODEBUG"))
	}
}

// TestArm64Tiers checks the table: every tier compiled in, those the
// features choose best first, the scalar tier always available and the NEON
// tiers exactly when the CPU has Advanced SIMD and GODEBUG does not mask it.
func TestArm64Tiers(t *testing.T) {
	var names []string
	avail := map[string]bool{}
	for _, im := range Implementations() {
		names = append(names, im.Name)
		avail[im.Name] = im.Available
	}
	if got, want := strings.Join(names, " "), "arm64-neon arm64-scalar arm64-uaddw generic"; got != want {
		t.Fatalf("Implementations() = %s, want %s", got, want)
	}
	if !avail["arm64-scalar"] {
		t.Error("arm64-scalar is not available; it needs nothing beyond base A64")
	}
	for _, name := range []string{"arm64-neon", "arm64-uaddw"} {
		if want := expectedImpl() == "arm64-neon"; avail[name] != want {
			t.Errorf("%s available = %v, want %v (GODEBUG=%q)", name, avail[name], want, os.Getenv("GODEBUG"))
		}
	}
}

// TestByCPU checks the CPU table on the MIDR part numbers of cores this
// machine is not.
func TestByCPU(t *testing.T) {
	for _, tc := range []struct {
		cpu        string
		vendor     cpuid.Vendor
		part       int
		best, want string
	}{
		{"Neoverse N1 (Graviton2, Altra)", cpuid.ARM, 0xd0c, "arm64-neon", "arm64-uaddw"},
		{"Neoverse N2", cpuid.ARM, 0xd49, "arm64-neon", "arm64-uaddw"},
		{"Neoverse V2 (Graviton4)", cpuid.ARM, 0xd4f, "arm64-neon", "arm64-uaddw"},
		{"Neoverse N1 with cpu.asimd=off", cpuid.ARM, 0xd0c, "arm64-scalar", "arm64-scalar"},
		{"Neoverse V1 (Graviton3)", cpuid.ARM, 0xd40, "arm64-neon", "arm64-neon"},
		{"Cortex-A72", cpuid.ARM, 0xd08, "arm64-neon", "arm64-neon"},
		{"Cortex-A76", cpuid.ARM, 0xd0b, "arm64-neon", "arm64-neon"},
		{"Cortex-A53", cpuid.ARM, 0xd03, "arm64-neon", "arm64-neon"},
		{"AmpereOne", cpuid.Ampere, 0xac3, "arm64-neon", "arm64-neon"},
		{"another vendor's part 0xd0c", cpuid.Qualcomm, 0xd0c, "arm64-neon", "arm64-neon"},
	} {
		if got := byCPU(tc.vendor, 0, tc.part, tc.best); got != tc.want {
			t.Errorf("%s: byCPU(%v, 0, %#x, %s) = %s, want %s", tc.cpu, tc.vendor, tc.part, tc.best, got, tc.want)
		}
	}
}
