//go:build amd64 && gc && !purego

package csum

import (
	"os"
	"strings"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// expectedImpl is the tier this CPU should run, found independently of the
// dispatch code: the features come from klauspost/cpuid instead of
// x/sys/cpu, and the GODEBUG cpu.* masks of this run are applied here.
func expectedImpl() string {
	off := maskedFeatures(os.Getenv("GODEBUG"))
	has := func(f cpuid.FeatureID, name string) bool { return cpuid.CPU.Has(f) && !off[name] }
	adx := has(cpuid.ADX, "adx")
	avx2 := adx && has(cpuid.AVX2, "avx2") && has(cpuid.BMI2, "bmi2")
	avx512 := avx2 && has(cpuid.AVX512F, "avx512f") && has(cpuid.AVX512BW, "avx512bw") &&
		has(cpuid.AVX512VL, "avx512vl") && has(cpuid.AVX512VNNI, "avx512vnni")
	switch {
	case avx512:
		return "amd64-avx512"
	case avx2 && has(cpuid.AVXVNNI, "avxvnni"):
		return "amd64-avxvnni"
	case avx2:
		return "amd64-avx2"
	case adx:
		return "amd64-adx"
	}
	return "amd64-scalar"
}

// maskedFeatures returns the features that GODEBUG turns off, by their
// x/sys/cpu option names, reading it as x/sys/cpu does: comma-separated
// cpu.NAME=on|off settings, the last one for a name winning, and cpu.all
// standing for every name. Turning a feature on cannot add it to a CPU, so
// only the names turned off matter.
func maskedFeatures(godebug string) map[string]bool {
	off := map[string]bool{}
	all := false // cpu.all=off, until a later cpu.NAME=on
	on := map[string]bool{}
	for _, field := range strings.Split(godebug, ",") {
		key, value, ok := strings.Cut(strings.TrimPrefix(field, "cpu."), "=")
		if !ok || !strings.HasPrefix(field, "cpu.") || (value != "on" && value != "off") {
			continue
		}
		if key == "all" {
			all, off, on = value == "off", map[string]bool{}, map[string]bool{}
			continue
		}
		off[key], on[key] = value == "off", value == "on"
	}
	if all {
		for _, name := range []string{"adx", "avx2", "avxvnni", "bmi2", "avx512f", "avx512bw", "avx512vl", "avx512vnni"} {
			if !on[name] {
				off[name] = true
			}
		}
	}
	return off
}

func TestMaskedFeatures(t *testing.T) {
	for _, tc := range []struct {
		godebug string
		off     string
	}{
		{"", ""},
		{"cpu.avx2=off", "avx2"},
		{"madvdontneed=1,cpu.avx512f=off,cpu.adx=off", "adx avx512f"},
		{"cpu.avx2=off,cpu.avx2=on", ""},
		{"cpu.all=off", "adx avx2 avx512bw avx512f avx512vl avx512vnni avxvnni bmi2"},
		{"cpu.all=off,cpu.adx=on", "avx2 avx512bw avx512f avx512vl avx512vnni avxvnni bmi2"},
		{"cpu.adx=off,cpu.all=on", ""},
		{"cpu.avx2", ""},
	} {
		var got []string
		for _, name := range []string{"adx", "avx2", "avx512bw", "avx512f", "avx512vl", "avx512vnni", "avxvnni", "bmi2"} {
			if maskedFeatures(tc.godebug)[name] {
				got = append(got, name)
			}
		}
		if strings.Join(got, " ") != tc.off {
			t.Errorf("maskedFeatures(%q) = %q, want %q", tc.godebug, strings.Join(got, " "), tc.off)
		}
	}
}

// TestByCPU holds the table of CPU models to the choices its rows argue
// for, on the vendor, family and model numbers real CPUs report.
func TestByCPU(t *testing.T) {
	for _, tc := range []struct {
		cpu           string
		vendor        cpuid.Vendor
		family, model int
		best, want    string
	}{
		{"EPYC 7551 (Zen 1)", cpuid.AMD, 0x17, 0x01, "amd64-avx2", "amd64-sse2"},
		{"Ryzen 7 2700X (Zen+)", cpuid.AMD, 0x17, 0x08, "amd64-avx2", "amd64-sse2"},
		{"Ryzen 5 2400G (Zen APU)", cpuid.AMD, 0x17, 0x11, "amd64-avx2", "amd64-sse2"},
		{"Ryzen 3 3200U (Zen+ APU)", cpuid.AMD, 0x17, 0x18, "amd64-avx2", "amd64-sse2"},
		{"Zen 1 with cpu.avx2=off", cpuid.AMD, 0x17, 0x01, "amd64-adx", "amd64-adx"},
		{"EPYC 7002 (Zen 2)", cpuid.AMD, 0x17, 0x31, "amd64-avx2", "amd64-avx2"},
		{"Ryzen 9 3950X (Zen 2)", cpuid.AMD, 0x17, 0x71, "amd64-avx2", "amd64-avx2"},
		{"EPYC 7003 (Zen 3)", cpuid.AMD, 0x19, 0x01, "amd64-avx2", "amd64-avx2"},
		{"EPYC 9004 (Zen 4)", cpuid.AMD, 0x19, 0x11, "amd64-avx512", "amd64-avx512"},
		{"Ryzen 9 7950X (Zen 4)", cpuid.AMD, 0x19, 0x61, "amd64-avx512", "amd64-avx512"},
		{"Zen 4 with cpu.avx2=off", cpuid.AMD, 0x19, 0x11, "amd64-adx", "amd64-adx"},
		{"EPYC 9005 (Zen 5)", cpuid.AMD, 0x1a, 0x02, "amd64-avx512", "amd64-avx512"},
		{"Xeon Platinum 8592+ (Emerald Rapids)", cpuid.Intel, 0x06, 0xcf, "amd64-avx512", "amd64-avx512"},
		{"Xeon Gold 6148 (Skylake-SP)", cpuid.Intel, 0x06, 0x55, "amd64-avx2", "amd64-avx2"},
		{"Intel, family 0x17 model 1", cpuid.Intel, 0x17, 0x01, "amd64-avx2", "amd64-avx2"},
		{"qemu64", cpuid.AMD, 0x0f, 0x6b, "amd64-scalar", "amd64-scalar"},
		{"Xeon E5-2670 (Sandy Bridge-EP)", cpuid.Intel, 0x06, 0x2d, "amd64-scalar", "amd64-sse2"},
		{"Core i7-3770 (Ivy Bridge)", cpuid.Intel, 0x06, 0x3a, "amd64-scalar", "amd64-sse2"},
		{"Core i7-4770 (Haswell)", cpuid.Intel, 0x06, 0x3c, "amd64-scalar", "amd64-sse2"},
		{"Xeon E5-2666 v3 (Haswell-EP)", cpuid.Intel, 0x06, 0x3f, "amd64-scalar", "amd64-sse2"},
		{"Broadwell with cpu.adx=off", cpuid.Intel, 0x06, 0x3d, "amd64-scalar", "amd64-sse2"},
		{"Broadwell", cpuid.Intel, 0x06, 0x3d, "amd64-adx", "amd64-adx"},
		{"Atom C2750 (Silvermont)", cpuid.Intel, 0x06, 0x4d, "amd64-scalar", "amd64-scalar"},
		{"Atom Z3740 (Silvermont)", cpuid.Intel, 0x06, 0x37, "amd64-scalar", "amd64-scalar"},
		{"Atom D2550 (Saltwell)", cpuid.Intel, 0x06, 0x36, "amd64-scalar", "amd64-scalar"},
		{"Emerald Rapids with cpu.adx=off", cpuid.Intel, 0x06, 0xcf, "amd64-scalar", "amd64-scalar"},
		{"Opteron 6380 (Piledriver)", cpuid.AMD, 0x15, 0x02, "amd64-scalar", "amd64-sse2"},
		{"A8-6410 (Puma)", cpuid.AMD, 0x16, 0x30, "amd64-scalar", "amd64-sse2"},
	} {
		if got := byCPU(tc.vendor, tc.family, tc.model, tc.best); got != tc.want {
			t.Errorf("%s, features choosing %s: byCPU = %s, want %s", tc.cpu, tc.best, got, tc.want)
		}
	}
}
