package main

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/iovkit/iovkit/csum"
	"github.com/klauspost/cpuid/v2"
)

// machine describes where the report ran.
type machine struct {
	cpu        string // brand name, or what is known without one
	brand      string // the brand name alone, as go test prints it; "" if none
	ident      string // vendor, family, model and stepping, as CPUID gives them
	cores      string
	caches     string
	hostCPU    string // the model name in /proc/cpuinfo: under qemu-user, the real CPU's
	hypervisor string // CPUID's hypervisor vendor; "" if none
	goVersion  string
	goarch     string
	procs      int  // GOMAXPROCS
	cgo        bool // whether this build has cgo (and so the C memcpy peer)
	impls      []csum.Implementation
	active     string
	emu        emulation
}

// describeMachine looks at this machine.
func describeMachine() machine {
	c := cpuid.CPU
	kernelArch, _ := os.ReadFile("/proc/sys/kernel/arch")
	cpuinfo, _ := os.ReadFile("/proc/cpuinfo")
	return machine{
		cpu:        cpuName(c),
		brand:      c.BrandName,
		ident:      cpuIdent(c),
		cores:      coreCount(c),
		caches:     cacheSizes(c),
		hostCPU:    cpuinfoFields(string(cpuinfo))["model name"],
		hypervisor: c.HypervisorVendorString,
		goVersion:  runtime.Version(),
		goarch:     runtime.GOARCH,
		procs:      runtime.GOMAXPROCS(0),
		cgo:        cMemcpy != nil,
		impls:      csum.Implementations(),
		active:     csum.Active(),
		emu:        detectEmulation(runtime.GOARCH, string(kernelArch), string(cpuinfo), c.HypervisorVendorString),
	}
}

// cpuName returns the CPU's brand name or, on CPUs that report none (many
// arm64 ones, and qemu's), its vendor and model numbers.
func cpuName(c cpuid.CPUInfo) string {
	if c.BrandName != "" {
		return c.BrandName
	}
	return "no brand name (" + cpuIdent(c) + ")"
}

// cpuIdent returns the CPU's vendor, family, model and stepping: what
// tells one core design from another when brand names do not.
func cpuIdent(c cpuid.CPUInfo) string {
	vendor := c.VendorString
	if vendor == "" {
		vendor = "unknown vendor"
	}
	return fmt.Sprintf("%s, family %d, model %d, stepping %d", vendor, c.Family, c.Model, c.Stepping)
}

// coreCount describes the cores the CPU reports next to those Go sees.
func coreCount(c cpuid.CPUInfo) string {
	s := fmt.Sprintf("%d logical CPUs", runtime.NumCPU())
	if c.PhysicalCores > 0 {
		s += fmt.Sprintf("; the CPU reports physical cores: %d, threads per core: %d", c.PhysicalCores, c.ThreadsPerCore)
	}
	return s
}

// cacheSizes lists the cache sizes the CPU reports.
func cacheSizes(c cpuid.CPUInfo) string {
	var parts []string
	for _, l := range []struct {
		name string
		size int
	}{{"L1d", c.Cache.L1D}, {"L1i", c.Cache.L1I}, {"L2", c.Cache.L2}, {"L3", c.Cache.L3}} {
		if l.size > 0 {
			parts = append(parts, l.name+" "+formatSize(l.size))
		}
	}
	if c.CacheLine > 0 {
		parts = append(parts, fmt.Sprintf("%d-byte lines", c.CacheLine))
	}
	if len(parts) == 0 {
		return "not reported"
	}
	return strings.Join(parts, ", ")
}

// implNames lists the csum implementations compiled in and those this CPU
// can run.
func (m machine) implNames() (compiled, runnable []string) {
	for _, im := range m.impls {
		compiled = append(compiled, im.Name)
		if im.Available {
			runnable = append(runnable, im.Name)
		}
	}
	return compiled, runnable
}

// facts returns the description as labelled lines, in the order the report
// prints them.
func (m machine) facts() [][2]string {
	compiled, runnable := m.implNames()
	emu := "no: " + m.emu.evidence
	if m.emu.emulated {
		emu = "YES, figures are not this CPU's: " + m.emu.evidence
	}
	virt := "no hypervisor reported"
	if m.hypervisor != "" {
		virt = "hypervisor " + m.hypervisor
	}
	cgo := "no (the C memcpy peer is left out)"
	if m.cgo {
		cgo = "yes"
	}
	facts := [][2]string{
		{"CPU", m.cpu},
		{"CPUID", m.ident},
		{"cores", m.cores},
		{"caches", m.caches},
		{"virtualisation", virt},
		{"emulated", emu},
		{"Go", fmt.Sprintf("%s %s/%s, GOMAXPROCS %d, cgo %s", m.goVersion, runtime.GOOS, m.goarch, m.procs, cgo)},
		{"csum compiled in", strings.Join(compiled, ", ")},
		{"csum on this CPU", strings.Join(runnable, ", ") + " (active: " + m.active + ")"},
	}
	if m.emu.emulated && m.hostCPU != "" {
		facts = slices.Insert(facts, 1, [2]string{"host CPU", m.hostCPU + " (from /proc/cpuinfo)"})
	}
	return facts
}

// emulatedMark marks every line of an emulated run's output.
const emulatedMark = "EMULATED"

// mark returns emulatedMark if the run is emulated, else "".
func (m machine) mark() string {
	if m.emu.emulated {
		return emulatedMark
	}
	return ""
}

// linePrefix returns what starts every line of the run's output: the mark
// and a space, or "".
func (m machine) linePrefix() string {
	if m.emu.emulated {
		return emulatedMark + " "
	}
	return ""
}
