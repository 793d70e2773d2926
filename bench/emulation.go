package main

import (
	"bufio"
	"fmt"
	"strings"
)

// emulation is what the report can tell about running under an emulator
// such as qemu-user, which runs a binary for one architecture on a machine
// of another (or, on x86, on a software CPU).
type emulation struct {
	emulated bool
	host     string // the machine's architecture, as GOARCH names it; "" if unknown
	evidence string // what the verdict rests on, for the report
}

// tcgVendor is the hypervisor vendor that qemu's software CPU (TCG) reports
// through CPUID; a virtual machine on KVM reports "KVMKVMKVM" instead.
const tcgVendor = "TCGTCGTCGTCG"

// detectEmulation applies the report's heuristic, which is:
//
//  1. The host's architecture is the kernel's: kernelArch, the contents of
//     /proc/sys/kernel/arch (uname -m of the kernel, which qemu-user does
//     not rewrite, unlike the uname system call), or when that is missing
//     the architecture that cpuinfo, the text of /proc/cpuinfo, describes
//     (qemu 7 passes the host's through). A host that cannot run goarch
//     natively means emulation. An amd64 host runs 386 and an arm64 host
//     runs arm natively.
//  2. On x86, a CPUID hypervisor vendor of "TCGTCGTCGTCG" means qemu's
//     software CPU (qemu-x86_64 on an x86 host, where rule 1 sees nothing).
//
// Anything else counts as native. qemu-user versions that also fake
// /proc/cpuinfo are caught by rule 1 through kernelArch.
func detectEmulation(goarch, kernelArch, cpuinfo, hypervisor string) emulation {
	host, from := kernelGOARCH(strings.TrimSpace(kernelArch)), "/proc/sys/kernel/arch"
	if host == "" {
		host, from = cpuinfoArch(cpuinfo), "/proc/cpuinfo"
	}
	switch {
	case host != "" && !runsNatively(host, goarch):
		return emulation{true, host, fmt.Sprintf("%s describes %s, this binary is %s", from, host, goarch)}
	case hypervisor == tcgVendor:
		return emulation{true, host, "CPUID's hypervisor vendor is " + tcgVendor + ", qemu's software CPU"}
	case host == "":
		return emulation{false, "", "host architecture unknown (no /proc/sys/kernel/arch, /proc/cpuinfo unrecognised): assumed native"}
	}
	return emulation{false, host, fmt.Sprintf("%s describes %s, as GOARCH", from, host)}
}

// runsNatively reports whether a host of architecture host runs goarch code
// without an emulator.
func runsNatively(host, goarch string) bool {
	return host == goarch || host == "amd64" && goarch == "386" || host == "arm64" && goarch == "arm"
}

// kernelGOARCH maps a kernel machine name (uname -m) to GOARCH, or to "" if
// it is unknown.
func kernelGOARCH(machine string) string {
	switch machine {
	case "x86_64":
		return "amd64"
	case "i386", "i486", "i586", "i686":
		return "386"
	case "aarch64", "arm64":
		return "arm64"
	case "s390x", "ppc64le", "ppc64", "riscv64", "loong64":
		return machine
	}
	if strings.HasPrefix(machine, "armv") {
		return "arm"
	}
	return ""
}

// cpuinfoFields returns the fields of a Linux /proc/cpuinfo text, each
// with its first value (that of the first processor).
func cpuinfoFields(text string) map[string]string {
	fields := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if k = strings.TrimSpace(k); ok {
			if _, seen := fields[k]; !seen {
				fields[k] = strings.TrimSpace(v)
			}
		}
	}
	return fields
}

// cpuinfoArch returns the architecture, as GOARCH names it, that the text
// of a Linux /proc/cpuinfo describes, from fields only that architecture's
// kernel writes; "" if it recognises none. x86 cannot tell amd64 from 386
// this way; it returns amd64 when the flags include lm (long mode).
func cpuinfoArch(text string) string {
	fields := cpuinfoFields(text)
	has := func(k string) bool { _, ok := fields[k]; return ok }
	switch {
	case has("flags") && has("vendor_id"):
		if strings.Contains(" "+fields["flags"]+" ", " lm ") {
			return "amd64"
		}
		return "386"
	case has("CPU implementer") && fields["CPU architecture"] == "8":
		return "arm64"
	case has("CPU implementer"):
		return "arm"
	case strings.HasPrefix(fields["vendor_id"], "IBM/S390"):
		return "s390x"
	case strings.HasPrefix(fields["isa"], "rv64"):
		return "riscv64"
	}
	return ""
}
