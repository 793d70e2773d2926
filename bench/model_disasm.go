package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A modelArch is an architecture the model builds for and the tools that
// read its code.
type modelArch struct {
	goarch   string
	env      []string // the go command's environment for this build
	objdump  tool
	emulator tool     // qemu-user's, which runs the binary on another architecture
	triple   string   // llvm-mca's -mtriple
	cpus     []string // llvm-mca's -mcpu names, in the order of the table
	// runsOn names, for the routines whose names contain a key, the CPUs of
	// cpus that have their instructions: llvm-mca marks a loop that a
	// CPU's model cannot schedule, not one the CPU cannot decode. Its
	// models of Zen, Skylake, Ice Lake, Sandy Bridge and Haswell schedule
	// AVX-VNNI's VEX VPDPWSSD, those of Sandy Bridge and Haswell AVX-512,
	// Sandy Bridge's AVX2, and those of all five CPUs without ADX its
	// ADCX and ADOX.
	runsOn map[string][]string
}

// A tool is a program the model runs and the Debian package that has it.
type tool struct{ name, pkg string }

// path returns the tool's path, or an error naming its package.
func (t tool) path() (string, error) {
	p, err := exec.LookPath(t.name)
	if err != nil {
		return "", fmt.Errorf("%s not found: install the Debian package %s (make deps does)", t.name, t.pkg)
	}
	return p, nil
}

// llvmMCA is the model's tool besides each arch's objdump and emulator.
var llvmMCA = tool{"llvm-mca-19", "llvm-19"}

// The amd64 CPUs of the model: those with ADX (and AVX2), and those
// without, which are there for the CPU table's rows that give them
// amd64-sse2 or keep amd64-scalar (Haswell alone among them has AVX2).
var (
	amd64ADX   = []string{"znver1", "znver2", "znver3", "znver4", "skylake", "icelake-server", "sapphirerapids", "alderlake"}
	amd64NoADX = []string{"sandybridge", "haswell", "bdver2", "btver2", "slm"}
)

// modelArches are the architectures of the model with the CPU models of
// the table: AMD's Zen generations and Intel's server and client cores,
// and the amd64 CPUs without ADX; Arm's little and big cores, its server
// cores, Apple's first and Ampere's own.
// The arm64 build has no cgo, so that it needs no cross compiler: the
// kernels are the same.
var modelArches = []modelArch{
	{
		goarch:   "amd64",
		env:      []string{"GOARCH=amd64"},
		objdump:  tool{"objdump", "binutils"},
		emulator: tool{"qemu-x86_64", "qemu-user"},
		triple:   "x86_64-unknown-linux-gnu",
		cpus:     slices.Concat(amd64ADX, amd64NoADX),
		runsOn: map[string][]string{
			"AVX512":  {"znver4", "icelake-server", "sapphirerapids"},
			"AVXVNNI": {"sapphirerapids", "alderlake"},
			"AVX2":    slices.Concat(amd64ADX, []string{"haswell"}),
			"ADX":     amd64ADX,
		},
	},
	{
		goarch:   "arm64",
		env:      []string{"GOARCH=arm64", "CGO_ENABLED=0"},
		objdump:  tool{"aarch64-linux-gnu-objdump", "binutils-aarch64-linux-gnu"},
		emulator: tool{"qemu-aarch64", "qemu-user"},
		triple:   "aarch64-linux-gnu",
		cpus: []string{"cortex-a53", "cortex-a72", "cortex-a76", "neoverse-n1", "neoverse-n2",
			"neoverse-v1", "neoverse-v2", "apple-m1", "ampere1"},
	},
}

// archByName returns the model's arch named goarch, or nil.
func archByName(goarch string) *modelArch {
	for i := range modelArches {
		if modelArches[i].goarch == goarch {
			return &modelArches[i]
		}
	}
	return nil
}

// A routineClass picks routines out of a binary's symbol table by the name
// of the function (its ".abi0" suffix removed, see symbolName) and says
// what they are.
type routineClass struct {
	re    *regexp.Regexp
	group string // "checksum" or "copy": the table and chart it goes in
	peer  string // the peer's label; "" for iovkit's own kernels
}

// routineClasses are the routines the model looks for: every partial* and
// copy* function of csum (the checksum and the checksummed copy of every
// tier, and the Go code of "generic"), every copy* function of the user
// copies, every function of gVisor's checksum package and Go's memmove.
// A new kernel of one of these names is in the model as soon as it is
// built.
var routineClasses = []routineClass{
	{regexp.MustCompile(`^github\.com/iovkit/iovkit/csum\.partial\w*$`), "checksum", ""},
	{regexp.MustCompile(`^github\.com/iovkit/iovkit/csum\.copy\w*$`), "copy", ""},
	{regexp.MustCompile(`^github\.com/iovkit/iovkit/internal/usercopy\.copy\w*$`), "copy", ""},
	{regexp.MustCompile(`^gvisor\.dev/gvisor/pkg/tcpip/checksum\.\w+$`), "checksum", "gvisor"},
	{regexp.MustCompile(`^runtime\.memmove$`), "copy", "copy()"},
}

// A routine is one function of a built binary.
type routine struct {
	name       string // the full symbol name without ABI suffix
	addr, size uint64
	class      *routineClass
}

// short returns the routine's name without its package path:
// "csum.partialNEON", "runtime.memmove".
func (r routine) short() string {
	return r.name[strings.LastIndex(r.name, "/")+1:]
}

// symbolName removes the suffix the linker gives assembly functions
// (".abi0"); Go functions have none.
func symbolName(sym string) string {
	return strings.TrimSuffix(sym, ".abi0")
}

// findRoutines returns the functions of the ELF binary at path that a
// routine class picks, in address order.
func findRoutines(path string) ([]routine, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var rs []routine
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Size == 0 {
			continue
		}
		name := symbolName(s.Name)
		for i := range routineClasses {
			if routineClasses[i].re.MatchString(name) {
				rs = append(rs, routine{name: name, addr: s.Value, size: s.Size, class: &routineClasses[i]})
				break
			}
		}
	}
	rs = dropWrappers(rs)
	slices.SortFunc(rs, func(a, b routine) int { return cmp.Compare(a.addr, b.addr) })
	return rs, nil
}

// dropWrappers keeps, of routines that share a name, the largest: the
// other is an ABI wrapper the toolchain made, a few instructions that call
// it (a Go function that assembly jumps to, such as csum's partialGeneric,
// gets one named with ".abi0").
func dropWrappers(rs []routine) []routine {
	largest := map[string]int{}
	for i, r := range rs {
		if j, ok := largest[r.name]; !ok || r.size > rs[j].size {
			largest[r.name] = i
		}
	}
	return slices.DeleteFunc(slices.Clone(rs), func(r routine) bool {
		return rs[largest[r.name]].addr != r.addr
	})
}

// buildForModel builds the bench command itself for arch into dir and
// returns the binary's path: it links every csum tier, the user copies,
// gVisor's checksum and the runtime, built as the library is (no flags;
// the gc toolchain's defaults).
func buildForModel(ctx context.Context, a *modelArch, dir string) (string, error) {
	out := filepath.Join(dir, "bench-"+a.goarch)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, ".")
	cmd.Env = append(os.Environ(), a.env...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build for %s: %v\n%s", a.goarch, err, msg)
	}
	return out, nil
}

// An inst is one disassembled instruction.
type inst struct {
	addr   uint64
	op     string   // the mnemonic, as objdump prints it
	args   []string // the operands, split at top-level commas
	branch bool     // a jump, conditional or not (not a call or return)
	call   bool     // a direct call
	target uint64   // a branch's or call's target
}

// text returns the instruction as assembly source, with a branch's target
// replaced by label.
func (in inst) text(label string) string {
	args := in.args
	if in.branch {
		args = append(slices.Clone(args[:len(args)-1]), label)
	}
	return strings.TrimSpace(in.op + " " + strings.Join(args, ", "))
}

// disassemble returns the instructions of r in the binary at path.
func disassemble(ctx context.Context, objdump, path string, r routine) ([]inst, error) {
	cmd := exec.CommandContext(ctx, objdump, "-d", "--no-show-raw-insn",
		fmt.Sprintf("--start-address=%#x", r.addr), fmt.Sprintf("--stop-address=%#x", r.addr+r.size), path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %v: %s", filepath.Base(objdump), r.short(), err, strings.TrimSpace(stderr.String()))
	}
	return parseObjdump(out)
}

// objdumpLine is one instruction line of objdump -d --no-show-raw-insn.
var objdumpLine = regexp.MustCompile(`^\s*([0-9a-f]+):\t(.*)$`)

// parseObjdump reads the instructions of objdump's output, dropping its
// comments ("# 0x..." on x86, "// b.any" on arm64) and symbolic addresses
// ("<sym+0x10>").
func parseObjdump(out []byte) ([]inst, error) {
	var insts []inst
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := objdumpLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		addr, _ := strconv.ParseUint(m[1], 16, 64)
		text := m[2]
		// "#" starts an x86 comment but is an arm64 immediate's prefix:
		// objdump puts a comment after spaces.
		for _, sep := range []string{" <", "//", "    # "} {
			if i := strings.Index(text, sep); i >= 0 {
				text = text[:i]
			}
		}
		text = strings.TrimSpace(strings.ReplaceAll(text, "\t", " "))
		if text == "" {
			continue
		}
		op, rest, _ := strings.Cut(text, " ")
		in := inst{addr: addr, op: op, args: splitOperands(strings.TrimSpace(rest))}
		call := op == "call" || op == "callq" || op == "bl"
		if (call || isBranch(op)) && len(in.args) > 0 {
			t, err := strconv.ParseUint(in.args[len(in.args)-1], 16, 64)
			if err == nil {
				in.branch, in.call, in.target = !call, call, t
			}
		}
		insts = append(insts, in)
	}
	return insts, sc.Err()
}

// isBranch reports whether mnemonic op is a jump that names its target
// (x86: jmp, jcc, jrcxz, loop; arm64: b, b.cond, cbz, cbnz, tbz, tbnz).
func isBranch(op string) bool {
	switch op {
	case "b", "cbz", "cbnz", "tbz", "tbnz", "loop", "loope", "loopne":
		return true
	}
	return strings.HasPrefix(op, "b.") || strings.HasPrefix(op, "j")
}

// splitOperands splits an operand list at the commas outside brackets,
// braces and parentheses.
func splitOperands(s string) []string {
	if s == "" {
		return nil
	}
	var args []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ',':
			if depth == 0 {
				args = append(args, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(args, strings.TrimSpace(s[start:]))
}
