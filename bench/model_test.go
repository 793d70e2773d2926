package main

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/iovkit/iovkit/csum"
	"github.com/klauspost/cpuid/v2"
)

// Loops as objdump prints them, each with the code before it.
const (
	// gVisor's checksum loop on arm64 as Go compiles it: the pointer
	// steps by the and-masked 64 of buf = buf[64:].
	arm64GoLoop = `
  1e6400:	ldr	x30, [sp], #32
  1e6404:	ret
  1e6408:	ldp	x5, x7, [x6]
  1e640c:	ldp	x8, x9, [x6, #16]
  1e6410:	ldp	x10, x11, [x6, #32]
  1e6414:	ldp	x12, x13, [x6, #48]
  1e6418:	sub	x2, x2, #0x40
  1e641c:	neg	x14, x2
  1e6420:	asr	x14, x14, #63
  1e6424:	and	x14, x14, #0x40
  1e6428:	add	x6, x6, x14
  1e642c:	sub	x1, x1, #0x40
  1e6430:	adds	x5, x4, x5
  1e6434:	adcs	x5, x7, x5
  1e6438:	mov	x7, xzr
  1e643c:	adcs	x4, x7, x5
  1e6440:	cmp	x1, #0x40
  1e6444:	b.ge	1e6408 <f+0x8>  // b.tcont
  1e6448:	cmp	x1, #0x20
`
	// A block loop around a NEON loop of post-indexed loads: the inner
	// loop is the hot one.
	arm64Nested = `
  100:	eor	v16.16b, v16.16b, v16.16b
  104:	lsr	x8, x1, #7
  108:	ld1	{v0.16b-v3.16b}, [x0], #64
  10c:	ld1	{v4.16b-v7.16b}, [x0], #64
  110:	uadalp	v16.4s, v0.8h
  114:	uadalp	v17.4s, v4.8h
  118:	subs	x8, x8, #0x1
  11c:	b.ne	108 <f+0x8>  // b.any
  120:	ldr	q0, [x0], #16
  124:	cmp	x1, #0x80
  128:	b.cs	100 <f>  // b.hs, b.nlast
`
	// Go's partialGeneric on amd64: the index runs out of registers, is
	// spilled as i+64 and reloaded, and the loop is entered at its
	// condition.
	amd64Spill = `
  6175fb:	xor    %edi,%edi
  617603:	jmp    617662 <f+0x82>
  617605:	mov    %r10,(%rsp)
  617609:	mov    (%rax,%rsi,1),%r11
  61760d:	mov    0x8(%rax,%rsi,1),%r12
  617628:	mov    0x38(%rax,%rsi,1),%rsi
  617630:	add    %r11,%rdx
  617633:	adc    %r12,%rdx
  61765e:	mov    (%rsp),%rsi
  617662:	lea    0x40(%rsi),%r10
  617666:	cmp    %r10,%rbx
  617669:	jl     617680 <f+0xa0>
  617674:	cmp    %r10,%rsi
  617677:	jbe    617605 <f+0x25>
  617679:	jmp    6177ee <f+0x20e>
`
	// runtime.memmove's AVX loop and the 16-byte loop before it: the
	// step is a register set before the loop; the widest registers win.
	amd64Memmove = `
  48c540:	movdqu (%rsi),%xmm0
  48c544:	movdqu %xmm0,(%rdi)
  48c548:	lea    0x10(%rsi),%rsi
  48c54c:	lea    0x10(%rdi),%rdi
  48c550:	sub    $0x10,%rbx
  48c554:	jge    48c540 <runtime.memmove+0x2c0>
  48c6b0:	mov    $0x80,%eax
  48c6b9:	sub    %rax,%rbx
  48c6bc:	vmovdqu (%rsi),%ymm0
  48c6c0:	vmovdqu 0x20(%rsi),%ymm1
  48c6cf:	add    %rax,%rsi
  48c6d2:	vmovdqa %ymm0,(%rdi)
  48c6d6:	vmovdqa %ymm1,0x20(%rdi)
  48c6e5:	add    %rax,%rdi
  48c6e8:	sub    %rax,%rbx
  48c6eb:	ja     48c6bc <runtime.memmove+0x43c>
  48c6ed:	add    %rax,%rbx
  48c780:	vmovntdq %ymm0,(%rdi)
  48c784:	add    $0x100,%rdi
  48c788:	add    $0x100,%rsi
  48c78c:	vmovdqu (%rsi),%ymm0
  48c790:	dec    %rcx
  48c794:	jne    48c780 <runtime.memmove+0x500>
`
)

func TestHotLoop(t *testing.T) {
	for _, c := range []struct {
		name, arch, text string
		first, last      uint64 // addresses of the loop's first and last instructions
		bytes            int64
	}{
		{"arm64 Go loop", "arm64", arm64GoLoop, 0x1e6408, 0x1e6444, 64},
		{"arm64 nested", "arm64", arm64Nested, 0x108, 0x11c, 128},
		{"amd64 spilled index", "amd64", amd64Spill, 0x617605, 0x617677, 64},
		{"amd64 memmove", "amd64", amd64Memmove, 0x48c6bc, 0x48c6eb, 128},
	} {
		insts, err := parseObjdump([]byte(c.text))
		if err != nil {
			t.Fatal(err)
		}
		l, err := hotLoop(insts, c.arch)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if first, last := l.insts[0].addr, l.insts[len(l.insts)-1].addr; first != c.first || last != c.last || l.bytes != c.bytes {
			t.Errorf("%s: loop %#x..%#x advancing %d bytes, want %#x..%#x advancing %d", c.name, first, last, l.bytes, c.first, c.last, c.bytes)
		}
	}
}

func TestHotLoopNone(t *testing.T) {
	for _, text := range []string{
		"  10:\tadd    %rax,%rbx\n  13:\tjmp    20 <f+0x10>\n",                                            // no backward branch
		"  10:\tadd    %rax,%rbx\n  13:\tmov    (%rsi),%rcx\n  16:\tjne    10 <f>\n",                      // no pointer steps
		"  10:\tmov    (%rsi),%rcx\n  13:\tcall   400 <g>\n  18:\tjmp    10 <f>\n",                        // calls g
		"  10:\tmov    (%rsi),%rcx\n  13:\tcall   400 <g>\n  18:\tcall   500 <h>\n  1d:\tjmp    10 <f>\n", // calls g and h
	} {
		insts, err := parseObjdump([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		l, err := hotLoop(insts, "amd64")
		if err == nil {
			t.Errorf("%q: found a loop of %d bytes, want none", text, l.bytes)
		}
		if want := strings.Count(text, "call"); len(l.calls) != want {
			t.Errorf("%q: calls %x, want %d", text, l.calls, want)
		}
	}
}

func TestMCASource(t *testing.T) {
	insts, err := parseObjdump([]byte(arm64Nested))
	if err != nil {
		t.Fatal(err)
	}
	l, err := hotLoop(insts, "arm64")
	if err != nil {
		t.Fatal(err)
	}
	want := ".Lloop:\n\tld1 {v0.16b-v3.16b}, [x0], #64\n\tld1 {v4.16b-v7.16b}, [x0], #64\n" +
		"\tuadalp v16.4s, v0.8h\n\tuadalp v17.4s, v4.8h\n\tsubs x8, x8, #0x1\n\tb.ne .Lloop\n"
	if got := l.mcaSource(); got != want {
		t.Errorf("mcaSource:\n%s\nwant:\n%s", got, want)
	}
}

// mcaReport is the part of llvm-mca 19's report that parseMCA reads.
const mcaReport = `Iterations:        200
Instructions:      2200
Total Cycles:      1612
Total uOps:        2200

Cycles with backend pressure increase [ 91.69% ]
Throughput Bottlenecks: 
  Resource Pressure       [ 91.50% ]
  - Zn4FP0  [ 91.44% ]
  - Zn4FP1  [ 91.44% ]
  - Zn4FP2  [ 16.63% ]
  Data Dependencies:      [ 12.28% ]
  - Register Dependencies [ 12.28% ]
  - Memory Dependencies   [ 0.00% ]
`

func TestParseMCA(t *testing.T) {
	e, insts, err := parseMCA([]byte(mcaReport))
	if err != nil {
		t.Fatal(err)
	}
	if e.cycles != 8.06 || e.bottleneck != "Zn4FP0+Zn4FP1 92%" || insts != 2200 {
		t.Errorf("got %+v and %d instructions, want 8.06 cycles, Zn4FP0+Zn4FP1 92%%, 2200", e, insts)
	}
	deps := strings.NewReplacer("[ 91.50% ]", "[ 5.00% ]", "[ 12.28% ]", "[ 40.00% ]").Replace(mcaReport)
	if e, _, _ := parseMCA([]byte(deps)); e.bottleneck != "register dep. 40%" {
		t.Errorf("dependencies: got %q", e.bottleneck)
	}
	if _, _, err := parseMCA([]byte("error: nothing")); err == nil {
		t.Error("a report without cycles: no error")
	}
}

func TestToolMissing(t *testing.T) {
	_, err := tool{"iovkit-no-such-tool", "iovkit-pkg"}.path()
	if err == nil || !strings.Contains(err.Error(), "Debian package iovkit-pkg") {
		t.Errorf("error %v, want one naming the package", err)
	}
	for _, tl := range []tool{llvmMCA, modelArches[0].objdump, modelArches[1].objdump} {
		if tl.pkg == "" {
			t.Errorf("%s: no package", tl.name)
		}
	}
}

func TestMatchCPU(t *testing.T) {
	for _, c := range []struct {
		vendor        cpuid.Vendor
		family, model int
		goarch, want  string
	}{
		{cpuid.AMD, 0x17, 0x01, "amd64", "znver1"},
		{cpuid.AMD, 0x17, 0x31, "amd64", "znver2"},
		{cpuid.AMD, 0x19, 0x01, "amd64", "znver3"},
		{cpuid.AMD, 0x19, 0x11, "amd64", "znver4"},
		{cpuid.Intel, 6, 0xcf, "amd64", "sapphirerapids"},
		{cpuid.Intel, 6, 0x97, "amd64", "alderlake"},
		{cpuid.Intel, 6, 0x55, "amd64", "skylake"},
		{cpuid.Intel, 6, 0x6a, "amd64", "icelake-server"},
		{cpuid.Intel, 6, 0x3a, "amd64", "sandybridge"},
		{cpuid.Intel, 6, 0x3f, "amd64", "haswell"},
		{cpuid.Intel, 6, 0x3d, "amd64", ""}, // Broadwell: ADX, which haswell's column has not
		{cpuid.Intel, 6, 0x4d, "amd64", "slm"},
		{cpuid.AMD, 0x15, 0x02, "amd64", "bdver2"},
		{cpuid.AMD, 0x16, 0x30, "amd64", "btver2"},
		{cpuid.Intel, 6, 0x01, "amd64", ""},
		{cpuid.ARM, 0, 0xd0c0, "arm64", "neoverse-n1"},
		{cpuid.ARM, 0, 0xd4f0, "arm64", "neoverse-v2"},
		{cpuid.ARM, 0, 0x0010, "arm64", ""},
	} {
		got, why := matchCPU(cpuid.CPUInfo{VendorID: c.vendor, Family: c.family, Model: c.model}, c.goarch)
		if got != c.want {
			t.Errorf("%v family %#x model %#x: %q (%s), want %q", c.vendor, c.family, c.model, got, why, c.want)
		}
		if got != "" && !slices.Contains(cpusOf(c.goarch), got) {
			t.Errorf("%q is not a CPU of the %s model", got, c.goarch)
		}
	}
}

func TestModelFlags(t *testing.T) {
	c, err := parseFlags([]string{"-model", "-out", "x"})
	if err != nil || !c.model || c.out != "x" {
		t.Errorf("-model -out x: %+v, %v", c, err)
	}
	cpu := cpusOf(runtime.GOARCH)[0]
	if c, err := parseFlags([]string{"-model", "-model-cpu", cpu}); err != nil || c.modelCPU != cpu {
		t.Errorf("-model-cpu %s: %+v, %v", cpu, c, err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-model", "-sizes", "20"}, "-sizes: -model takes -out and -model-cpu only"},
		{[]string{"-model", "-quick"}, "-quick: -model takes"},
		{[]string{"-model-cpu", "znver1"}, "-model-cpu needs -model"},
		{[]string{"-model", "-model-cpu", "pentium"}, `-model-cpu "pentium": want none or a CPU of the`},
	} {
		if _, err := parseFlags(c.args); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want an error containing %q", c.args, err, c.want)
		}
	}
}

func TestModelMention(t *testing.T) {
	root := t.TempDir()
	if m := modelMention(root); m != "" {
		t.Errorf("no model: %q", m)
	}
	dir := filepath.Join(root, "20260101-000000-model")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, modelReportName), []byte("# model\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if m := modelMention(root); !strings.Contains(m, "make bench-model") || !strings.Contains(m, "20260101-000000-model/model.md") {
		t.Errorf("mention %q", m)
	}
}

// theModel builds the model once for the tests that need it: it needs
// go, both objdumps, llvm-mca-19 and qemu-aarch64 (make deps installs
// them), and fails without them.
var theModel = sync.OnceValues(func() ([]*archModel, error) { return buildModel(context.Background()) })

// TestModelKernels checks the hot loops found in the real kernels: the
// bytes a step of each tier's loop takes, as their assembly's comments
// give them, and gVisor's 64; and that a tier's routine that jumps to
// another's is modelled as that one.
func TestModelKernels(t *testing.T) {
	models, err := theModel()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{
		"amd64 csum.partialScalar": 64, "amd64 csum.partialADX": 256, "amd64 csum.partialAVX2": 128,
		"amd64 csum.partialAVX512": 512, "amd64 csum.partialAVXVNNI": 256, "amd64 checksum.calculateChecksum": 64,
		"arm64 csum.partialNEON": 128, "arm64 csum.partialUADDW": 128, "arm64 csum.copyNEON": 128,
		"arm64 csum.partialScalar": 64, "arm64 checksum.calculateChecksum": 64,
	}
	// A routine that is one jump to another models as that one.
	aliases := map[string]string{"arm64 csum.copyUADDW": "csum.copyNEON"}
	for _, am := range models {
		for _, row := range am.rows {
			key := am.arch.goarch + " " + row.r.short()
			if w, ok := want[key]; ok {
				delete(want, key)
				if row.err != nil || row.loop.bytes != w {
					t.Errorf("%s: %d bytes an iteration (%v), want %d", key, row.loop.bytes, row.err, w)
				}
			}
			if to, ok := aliases[key]; ok {
				delete(aliases, key)
				if row.err != nil || len(row.calls) != 1 || row.calls[0].r.short() != to {
					t.Errorf("%s: calls %d routines (%v), want %s", key, len(row.calls), row.err, to)
				}
			}
		}
	}
	for key := range want {
		t.Errorf("%s: not in the model", key)
	}
	for key := range aliases {
		t.Errorf("%s: not in the model", key)
	}
}

// TestModelRunsOn checks that the amd64 model gives no figure for a loop
// on a CPU without its instruction set, though llvm-mca's tables of that
// CPU schedule it (AVX-VNNI on Zen, Skylake, Ice Lake, Sandy Bridge and
// Haswell; AVX-512 on Sandy Bridge and Haswell; AVX2 on Sandy Bridge; ADX
// on all five CPUs without it), and a figure on every CPU that has it.
func TestModelRunsOn(t *testing.T) {
	models, err := theModel()
	if err != nil {
		t.Fatal(err)
	}
	am := models[slices.IndexFunc(models, func(am *archModel) bool { return am.arch.goarch == "amd64" })]
	noADX := []string{"sandybridge", "haswell", "bdver2", "btver2", "slm"}
	has := map[string]func(cpu string) bool{ // by the instruction set a routine's name ends in
		"AVXVNNI": func(cpu string) bool { return cpu == "sapphirerapids" || cpu == "alderlake" },
		"AVX512":  func(cpu string) bool { return cpu == "znver4" || cpu == "icelake-server" || cpu == "sapphirerapids" },
		"AVX2":    func(cpu string) bool { return cpu == "haswell" || !slices.Contains(noADX, cpu) },
		"ADX":     func(cpu string) bool { return !slices.Contains(noADX, cpu) },
	}
	seen := map[string]int{}
	for _, row := range am.rows {
		short := row.r.short()
		for key, runs := range has {
			if !strings.Contains(short, key) || len(row.calls) > 0 {
				continue
			}
			for _, cpu := range am.arch.cpus {
				if _, ok := row.bytesPerCycle(cpu); ok != runs(cpu) {
					t.Errorf("%s on %s: modelled %v, want %v", short, cpu, ok, runs(cpu))
				}
			}
			seen[key]++
		}
	}
	// Partial and Copy of each tier, and the streaming copies of the three
	// vector tiers.
	if want := map[string]int{"AVXVNNI": 3, "AVX512": 3, "AVX2": 3, "ADX": 2}; !maps.Equal(seen, want) {
		t.Errorf("routines checked by instruction set: %v, want %v", seen, want)
	}
}

// TestModelCoversImplementations checks that the Partial and Copy of every
// csum implementation of both architectures are in the model, with a
// figure or "cannot run" for every CPU: this arch's from
// csum.Implementations, the other's from its binary.
func TestModelCoversImplementations(t *testing.T) {
	models, err := theModel()
	if err != nil {
		t.Fatal(err)
	}
	for _, am := range models {
		impls := am.impls
		if am.arch.goarch == runtime.GOARCH {
			impls = nil
			for _, im := range csum.Implementations() {
				impls = append(impls, im.Name)
			}
			if !slices.Equal(impls, am.impls) {
				t.Errorf("%s: the binary lists %q, csum.Implementations %q", am.arch.goarch, am.impls, impls)
			}
		}
		if len(impls) < 2 {
			t.Errorf("%s: implementations %q: no assembly tier", am.arch.goarch, impls)
		}
		for _, im := range impls {
			for _, g := range []string{"checksum", "copy"} {
				i := slices.IndexFunc(am.group(g), func(r *modelRow) bool { return r.impl == im })
				if i < 0 {
					t.Errorf("%s %s: no %s row", am.arch.goarch, im, g)
					continue
				}
				row := am.group(g)[i]
				for _, cpu := range am.arch.cpus {
					if _, ok := row.bytesPerCycle(cpu); !ok && !cannotRun(row, cpu) {
						t.Errorf("%s %s on %s: no figure", am.arch.goarch, row.label(), cpu)
					}
				}
			}
		}
	}
}

// TestModelOutputs checks that the tables and charts are written.
func TestModelOutputs(t *testing.T) {
	models, err := theModel()
	if err != nil {
		t.Fatal(err)
	}
	rep := &modelReport{models: models, mca: "llvm-mca", cal: &calibration{skipped: "a test"}}
	dir := t.TempDir()
	if err := writeModelOutputs(dir, rep); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, modelReportName))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"partialNEON (arm64-neon)", "neoverse-v2", "znver1", "calculateChecksum (gvisor)", "memmove (copy())"} {
		if !strings.Contains(string(md), escape(s)) {
			t.Errorf("%s lacks %q", modelReportName, s)
		}
	}
	for _, am := range models {
		for _, g := range []string{"checksum", "copy"} {
			for _, ext := range []string{".svg", ".png"} {
				if st, err := os.Stat(filepath.Join(dir, chartName(am, g)+ext)); err != nil || st.Size() == 0 {
					t.Errorf("chart %s%s: %v", chartName(am, g), ext, err)
				}
			}
		}
	}
}

// TestRunMCA runs llvm-mca-19 on three loops in one run: one every x86-64
// CPU runs, one of AVX-512 (which Zen 1 lacks and Zen 4 has) and one it
// cannot read.
func TestRunMCA(t *testing.T) {
	mca, err := llvmMCA.path()
	if err != nil {
		t.Fatal(err)
	}
	var loops []loop
	for _, text := range []string{
		"  10:\tadd    $0x40,%rsi\n  14:\tadd    (%rsi),%rax\n  17:\tjne    10 <f>\n",
		"  10:\tvpaddd (%rsi),%zmm1,%zmm1\n  16:\tadd    $0x40,%rsi\n  1a:\tjne    10 <f>\n",
		"  10:\tfrobnicate %rax\n  14:\tadd    $0x40,%rsi\n  18:\tmov    (%rsi),%rax\n  1b:\tjne    10 <f>\n",
	} {
		insts, err := parseObjdump([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		l, err := hotLoop(insts, "amd64")
		if err != nil {
			t.Fatal(err)
		}
		loops = append(loops, l)
	}
	for _, cpu := range []string{"znver1", "znver4"} {
		ests, err := runMCA(context.Background(), mca, modelArches[0].triple, cpu, loops)
		if err != nil {
			t.Fatal(err)
		}
		if e := ests[0]; e.cycles < 0.5 || e.cycles > 3 || e.unsupported || e.unread != "" {
			t.Errorf("%s: a one-add loop: %+v", cpu, e)
		}
		if e := ests[1]; e.unsupported != (cpu == "znver1") || e.unread != "" || e.unsupported == (e.cycles > 0) {
			t.Errorf("%s: an AVX-512 loop: %+v", cpu, e)
		}
		if e := ests[2]; !strings.Contains(e.unread, "frobnicate") {
			t.Errorf("%s: an unreadable loop: %+v", cpu, e)
		}
	}
}

// TestDropWrappers keeps the body of a routine and drops the ABI wrapper of
// the same name, whichever comes first.
func TestDropWrappers(t *testing.T) {
	rs := []routine{
		{name: "csum.partialGeneric", addr: 0x100, size: 40},
		{name: "csum.partialAVX2", addr: 0x200, size: 900},
		{name: "csum.partialGeneric", addr: 0x300, size: 300},
		{name: "csum.copyGeneric", addr: 0x400, size: 500},
		{name: "csum.copyGeneric", addr: 0x500, size: 30},
	}
	var got []uint64
	for _, r := range dropWrappers(rs) {
		got = append(got, r.addr)
	}
	if want := []uint64{0x200, 0x300, 0x400}; !slices.Equal(got, want) {
		t.Errorf("dropWrappers kept the routines at %#x, want %#x", got, want)
	}
}

// cannotRun reports whether cpu cannot run the row's loop, or one of the
// routines it calls.
func cannotRun(row *modelRow, cpu string) bool {
	if len(row.calls) > 0 {
		return slices.ContainsFunc(row.calls, func(c *modelRow) bool { return cannotRun(c, cpu) })
	}
	return row.est[cpu].unsupported
}
