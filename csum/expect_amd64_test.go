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
		for _, name := range []string{"adx", "avx2", "bmi2", "avx512f", "avx512bw", "avx512vl", "avx512vnni"} {
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
		{"cpu.all=off", "adx avx2 avx512bw avx512f avx512vl avx512vnni bmi2"},
		{"cpu.all=off,cpu.adx=on", "avx2 avx512bw avx512f avx512vl avx512vnni bmi2"},
		{"cpu.adx=off,cpu.all=on", ""},
		{"cpu.avx2", ""},
	} {
		var got []string
		for _, name := range []string{"adx", "avx2", "avx512bw", "avx512f", "avx512vl", "avx512vnni", "bmi2"} {
			if maskedFeatures(tc.godebug)[name] {
				got = append(got, name)
			}
		}
		if strings.Join(got, " ") != tc.off {
			t.Errorf("maskedFeatures(%q) = %q, want %q", tc.godebug, strings.Join(got, " "), tc.off)
		}
	}
}
