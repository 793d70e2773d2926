//go:build (amd64 || arm64) && gc && !purego

package csum

import "github.com/klauspost/cpuid/v2"

// A cpuRow is one row of an architecture's CPU table (cpuRows): the CPU
// models on which a tier other than the one their features choose (from)
// is faster (to). A row applies only while its from tier is the one the
// features choose, so a GODEBUG mask that turns that tier off turns the row
// off too.
type cpuRow struct {
	vendor             cpuid.Vendor
	family             int
	modelMin, modelMax int
	from, to           string
}

// byCPU returns the tier to run on a CPU of vendor, family and model whose
// features choose best: the to tier of the row of cpuRows that matches,
// or best.
func byCPU(vendor cpuid.Vendor, family, model int, best string) string {
	for _, r := range cpuRows {
		if r.vendor == vendor && r.family == family && r.modelMin <= model && model <= r.modelMax && r.from == best {
			return r.to
		}
	}
	return best
}
