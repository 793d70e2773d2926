package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/iovkit/iovkit/csum"
	"github.com/klauspost/cpuid/v2"
	"gvisor.dev/gvisor/pkg/tcpip/checksum"
)

// The calibration measures the modelled kernels on this CPU, at sizes that
// stay in the L1 data cache of every CPU of the lists (32 KiB and more):
// 16 KiB checksummed, 8 KiB copied (16 KiB read and written).
const (
	calPartialSize = 16 << 10
	calCopySize    = 8 << 10
	calBatch       = time.Millisecond // one timed batch
	calRounds      = 31               // batches per kernel, of which the fastest counts
	chainAdds      = 16               // adds per round of addChain
)

// A calibration compares the model of this CPU with measurements.
type calibration struct {
	cpu     string // the llvm-mca CPU the model of this one is
	match   string // how that CPU was chosen
	ghz     float64
	clock   string // how the clock was obtained
	rows    []calRow
	skipped string // why there is no calibration, if there is none
}

// A calRow is one kernel measured and modelled.
type calRow struct {
	row      *modelRow
	size     int
	measured float64 // bytes per cycle
	model    float64 // bytes per cycle
}

// calibrateModel measures the kernels of am that this CPU runs, am being the
// model of this architecture, against the model of the CPU named cpuFlag
// (-model-cpu; "" to match this CPU by cpuid, "none" for no
// calibration).
func calibrateModel(am *archModel, m machine, cpuFlag string) *calibration {
	switch {
	case cpuFlag == "none":
		return &calibration{skipped: "-model-cpu none"}
	case m.emu.emulated:
		return &calibration{skipped: "emulated (" + m.emu.evidence + "): the timings would be the emulator's"}
	case am == nil:
		return &calibration{skipped: "the model has no " + runtime.GOARCH + " CPUs"}
	}
	cal := &calibration{cpu: cpuFlag, match: "named with -model-cpu"}
	if cpuFlag == "" {
		cal.cpu, cal.match = matchCPU(cpuid.CPU, runtime.GOARCH)
		if cal.cpu == "" {
			return &calibration{skipped: cal.match + "; name the closest with -model-cpu"}
		}
	}
	var err error
	if cal.ghz, cal.clock, err = measureClock(); err != nil {
		return &calibration{skipped: err.Error()}
	}
	impls := map[string]csum.Implementation{}
	for _, im := range csum.Implementations() {
		if im.Available {
			impls[im.Name] = im
		}
	}
	buf := newBuffers(calPartialSize)
	for _, group := range []string{"checksum", "copy"} {
		for _, row := range am.group(group) {
			run, size := calRun(row, impls, buf)
			if run == nil {
				continue
			}
			model, ok := row.bytesPerCycle(cal.cpu)
			if !ok {
				continue
			}
			perNs := float64(size) / fastestNs(run)
			cal.rows = append(cal.rows, calRow{row: row, size: size, measured: perNs / cal.ghz, model: model})
		}
	}
	return cal
}

// calRun returns the function that calls row's kernel k times, and the
// bytes a call handles: a csum implementation's Partial or Copy, gVisor's
// checksum, or copy(). It returns nil for kernels that cannot be called
// alone (the user copies, the streaming copies) or that this CPU cannot
// run.
func calRun(row *modelRow, impls map[string]csum.Implementation, b buffers) (func(int), int) {
	src, dst := b.src[:calCopySize], b.dst[:calCopySize]
	part := b.src[:calPartialSize]
	switch im, ok := impls[row.impl]; {
	case row.impl == "gvisor":
		return func(k int) {
			for range k {
				sinkSum16 = checksum.Checksum(part, sinkSum16)
			}
		}, calPartialSize
	case row.impl == "copy()":
		return func(k int) {
			for range k {
				copy(dst, src)
			}
		}, calCopySize
	case !ok:
		return nil, 0
	case row.r.class.group == "checksum":
		return func(k int) {
			for range k {
				sinkSum = im.Partial(part, sinkSum)
			}
		}, calPartialSize
	default:
		return func(k int) {
			for range k {
				sinkSum = im.Copy(dst, src, sinkSum)
			}
		}, calCopySize
	}
}

// fastestNs returns the time of a call of run in the fastest of calRounds
// batches of about calBatch: the model has no other processes, and they
// (and interrupts) only ever slow a batch, so short batches and the
// fastest of them come closest to what it describes.
func fastestNs(run func(int)) float64 {
	n := calibrate(run, calBatch)
	best := time.Duration(1<<63 - 1)
	for range calRounds {
		best = min(best, timeBatch(run, n))
	}
	return float64(best.Nanoseconds()) / float64(n)
}

// measureClock returns the core's clock in GHz and how it was obtained:
// from the time of addChain, whose adds take one cycle each on every
// x86-64 and Armv8 core, at its fastest of clockRuns runs of clockRounds
// rounds (about 0.5 ms each: short, so that some run is not interrupted),
// which is the clock the kernels run at, turbo included; elsewhere from
// the "cpu MHz" of /proc/cpuinfo.
func measureClock() (float64, string, error) {
	cpuinfo, _ := os.ReadFile("/proc/cpuinfo")
	mhz := cpuinfoFields(string(cpuinfo))["cpu MHz"]
	if !haveAddChain {
		v, err := strconv.ParseFloat(mhz, 64)
		if err != nil || v <= 0 {
			return 0, "", fmt.Errorf("no clock: /proc/cpuinfo has no cpu MHz")
		}
		return v / 1000, "the cpu MHz of /proc/cpuinfo", nil
	}
	const clockRuns, clockRounds = 200, 1 << 16
	addChain(clockRounds * 100) // warm up: the clock may rise
	best := time.Duration(1<<63 - 1)
	for range clockRuns {
		best = min(best, timeBatch(addChain, clockRounds))
	}
	ghz := float64(clockRounds*chainAdds) / float64(best.Nanoseconds())
	how := fmt.Sprintf("measured: the fastest of %d runs of %d dependent register adds (one cycle each on every x86-64 "+
		"and Armv8 core) timed with the monotonic clock", clockRuns, clockRounds*chainAdds)
	if mhz != "" {
		how += "; /proc/cpuinfo says " + mhz + " MHz"
	}
	return ghz, how, nil
}

// matchCPU returns the llvm-mca CPU of the model's list for goarch that is
// closest to c, by cpuid's vendor, family and model (on arm64, the MIDR's
// implementer and part number), and how it matched; or "" and why not.
func matchCPU(c cpuid.CPUInfo, goarch string) (string, string) {
	id := fmt.Sprintf("%s family %#x model %#x", c.VendorString, c.Family, c.Model)
	if c.VendorString == "" {
		id = fmt.Sprintf("%v family %#x model %#x", c.VendorID, c.Family, c.Model)
	}
	cpu := ""
	switch {
	case goarch == "amd64" && c.VendorID == cpuid.AMD:
		cpu = amdByFamily(c.Family, c.Model)
	case goarch == "amd64" && c.VendorID == cpuid.Intel && c.Family == 6:
		cpu = intelByModel(c.Model)
	case goarch == "arm64":
		cpu = armByPart(c.VendorID, c.Model>>4)
	}
	if cpu == "" {
		return "", "no CPU of the model's list matches cpuid's " + id
	}
	return cpu, "cpuid's " + id + " is closest to " + cpu
}

// amdByFamily returns the closest core of the list for an AMD family and
// model: a Zen generation, or Bulldozer's and Jaguar's lines.
func amdByFamily(family, model int) string {
	switch {
	case family == 0x15:
		return "bdver2" // Bulldozer to Excavator: Piledriver's tables
	case family == 0x16:
		return "btver2" // Jaguar and Puma
	case family == 0x17 && model < 0x30:
		return "znver1" // Zen, Zen+
	case family == 0x17:
		return "znver2"
	case family == 0x19 && (model >= 0x10 && model < 0x20 || model >= 0x60 && model < 0x80 || model >= 0xa0 && model < 0xb0):
		return "znver4"
	case family == 0x19:
		return "znver3"
	case family >= 0x1a:
		return "znver4" // Zen 5: the newest model of the list
	}
	return ""
}

// intelByModel returns the closest core of the list for an Intel family 6
// model: Sandy and Ivy Bridge, Haswell (not Broadwell, which has the ADX
// that the list's haswell lacks), Skylake and its client successors, Ice
// Lake, the Golden Cove server cores and later (Sapphire Rapids, Emerald
// Rapids, Granite Rapids), the client cores without AVX-512 from Alder
// Lake on (Alder, Raptor, Meteor, Arrow and Lunar Lake, and Sierra Forest,
// whose E-cores LLVM 19 models with the same tables), and the Silvermont
// line of Atom cores.
func intelByModel(model int) string {
	switch model {
	case 0x2a, 0x2d, 0x3a, 0x3e:
		return "sandybridge"
	case 0x3c, 0x3f, 0x45, 0x46:
		return "haswell"
	case 0x37, 0x4a, 0x4d, 0x5a, 0x5d, 0x4c:
		return "slm"
	case 0x4e, 0x5e, 0x55, 0x8e, 0x9e, 0xa5, 0xa6:
		return "skylake"
	case 0x6a, 0x6c, 0x7d, 0x7e, 0x8c, 0x8d, 0xa7:
		return "icelake-server"
	case 0x8f, 0xcf, 0xad, 0xae:
		return "sapphirerapids"
	case 0x97, 0x9a, 0xb7, 0xba, 0xbf, 0xaa, 0xac, 0xc5, 0xc6, 0xbd, 0xaf:
		return "alderlake"
	}
	return ""
}

// armByPart returns the core of the list for an arm64 implementer and
// MIDR part number.
func armByPart(vendor cpuid.Vendor, part int) string {
	switch {
	case vendor == cpuid.ARM:
		return map[int]string{0xd03: "cortex-a53", 0xd08: "cortex-a72", 0xd0b: "cortex-a76", 0xd0c: "neoverse-n1",
			0xd49: "neoverse-n2", 0xd40: "neoverse-v1", 0xd4f: "neoverse-v2"}[part]
	case vendor == cpuid.Ampere:
		return "ampere1"
	case strings.Contains(strings.ToLower(vendor.String()), "apple"):
		return "apple-m1"
	}
	return ""
}
