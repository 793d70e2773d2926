package main

import (
	"strings"
	"testing"
)

// Excerpts of /proc/cpuinfo as each architecture's kernel writes it.
const (
	cpuinfoAMD64 = `processor	: 0
vendor_id	: GenuineIntel
cpu family	: 6
model name	: Intel(R) Xeon(R) Processor
flags		: fpu vme de pse tsc msr pae mce cx8 apic sep syscall nx lm constant_tsc avx2 avx512f
bogomips	: 4600.00

processor	: 1
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) Processor
flags		: fpu vme de pse tsc msr pae mce cx8 apic sep syscall nx lm constant_tsc avx2 avx512f
`
	cpuinfo386 = `processor	: 0
vendor_id	: GenuineIntel
model name	: Intel(R) Pentium(R) M processor 1.60GHz
flags		: fpu vme de pse tsc msr mce cx8 sep mtrr pge mca cmov clflush
`
	cpuinfoARM64 = `processor	: 0
BogoMIPS	: 50.00
Features	: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp
CPU implementer	: 0x41
CPU architecture: 8
CPU variant	: 0x3
CPU part	: 0xd0c
CPU revision	: 1
`
	cpuinfoARM = `processor	: 0
model name	: ARMv7 Processor rev 4 (v7l)
Features	: half thumb fastmult vfp edsp neon vfpv3 tls vfpv4 idiva idivt
CPU implementer	: 0x41
CPU architecture: 7
`
	cpuinfoS390X = `vendor_id       : IBM/S390
# processors    : 2
bogomips per cpu: 3241.00
features	: esan3 zarch stfle msa ldisp eimm dfp edat etf3eh highgprs te vx
`
	cpuinfoRISCV64 = `processor	: 0
hart		: 0
isa		: rv64imafdc_zicsr_zifencei
mmu		: sv39
`
)

func TestCPUInfoArch(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"amd64", cpuinfoAMD64, "amd64"},
		{"386", cpuinfo386, "386"},
		{"arm64", cpuinfoARM64, "arm64"},
		{"arm", cpuinfoARM, "arm"},
		{"s390x", cpuinfoS390X, "s390x"},
		{"riscv64", cpuinfoRISCV64, "riscv64"},
		{"empty", "", ""},
		{"garbage", "no colon here\n:\n\x00", ""},
		{"lm only inside a word", strings.ReplaceAll(cpuinfo386, "cmov", "cmov palm"), "386"},
	} {
		if got := cpuinfoArch(c.text); got != c.want {
			t.Errorf("%s: cpuinfoArch = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestCPUInfoFields(t *testing.T) {
	f := cpuinfoFields(cpuinfoAMD64)
	if f["model name"] != "Intel(R) Xeon(R) Processor" || f["processor"] != "0" {
		t.Errorf("fields of the first processor: %q", f)
	}
}

func TestKernelGOARCH(t *testing.T) {
	for in, want := range map[string]string{
		"x86_64": "amd64", "i686": "386", "aarch64": "arm64", "armv7l": "arm", "s390x": "s390x",
		"riscv64": "riscv64", "ppc64le": "ppc64le", "": "", "sparc64": "",
	} {
		if got := kernelGOARCH(in); got != want {
			t.Errorf("kernelGOARCH(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDetectEmulation(t *testing.T) {
	for _, c := range []struct {
		name                                    string
		goarch, kernelArch, cpuinfo, hypervisor string
		emulated                                bool
		host, evidence                          string // evidence: a part of it
	}{
		{"native amd64", "amd64", "x86_64\n", cpuinfoAMD64, "KVMKVMKVM", false, "amd64", "/proc/sys/kernel/arch describes amd64, as GOARCH"},
		{"native arm64", "arm64", "aarch64\n", cpuinfoARM64, "", false, "arm64", "as GOARCH"},
		{"qemu-aarch64 on amd64", "arm64", "x86_64\n", cpuinfoAMD64, "", true, "amd64", "/proc/sys/kernel/arch describes amd64, this binary is arm64"},
		// A qemu that fakes /proc/cpuinfo is still caught by the kernel's arch.
		{"qemu faking cpuinfo", "arm64", "x86_64\n", cpuinfoARM64, "", true, "amd64", "kernel/arch"},
		{"qemu-s390x on arm64", "s390x", "aarch64", cpuinfoARM64, "", true, "arm64", "this binary is s390x"},
		{"no kernel arch: cpuinfo", "arm64", "", cpuinfoAMD64, "", true, "amd64", "/proc/cpuinfo describes amd64, this binary is arm64"},
		{"no kernel arch, native", "amd64", "", cpuinfoAMD64, "", false, "amd64", "/proc/cpuinfo describes amd64, as GOARCH"},
		{"unknown kernel arch: cpuinfo", "arm64", "sparc64", cpuinfoARM64, "", false, "arm64", "/proc/cpuinfo"},
		{"386 on amd64 is native", "386", "x86_64", cpuinfoAMD64, "", false, "amd64", "as GOARCH"},
		{"arm on arm64 is native", "arm", "aarch64", cpuinfoARM64, "", false, "arm64", "as GOARCH"},
		{"amd64 on 386 is not", "amd64", "i686", cpuinfo386, "", true, "386", "this binary is amd64"},
		{"qemu-x86_64 on x86: TCG", "amd64", "x86_64", cpuinfoAMD64, tcgVendor, true, "amd64", "qemu's software CPU"},
		{"nothing known", "amd64", "", "", "", false, "", "assumed native"},
	} {
		got := detectEmulation(c.goarch, c.kernelArch, c.cpuinfo, c.hypervisor)
		if got.emulated != c.emulated || got.host != c.host || !strings.Contains(got.evidence, c.evidence) {
			t.Errorf("%s: got %+v, want emulated=%v host=%q evidence containing %q", c.name, got, c.emulated, c.host, c.evidence)
		}
	}
}
