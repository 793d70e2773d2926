package main

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A loop is the block of instructions that a backward branch closes: from
// the branch's target to the branch.
type loop struct {
	insts []inst
	bytes int64    // bytes the loop advances through memory per iteration
	calls []uint64 // with no loop of its own: the routines its loop calls
}

// hotLoop returns the hot loop of a routine's instructions: of its
// innermost loops (those that hold no other), the one that stores through
// the cache rather than around it, then the one with the widest
// registers, then the one that advances the most bytes, then the first.
// (Routines such as memmove have a loop per size class and CPU feature;
// kernels have one loop within a loop over chunks.) It reports an error
// when the routine has no loop or when no pointer of its hot loop advances
// by a constant; when then an innermost loop calls other routines (as
// copyGeneric calls memmove and partialGeneric for each chunk), or the
// routine is one jump to another, the loop it returns with the error lists
// their addresses.
func hotLoop(insts []inst, arch string) (loop, error) {
	type span struct{ start, end int } // indexes of the target and the branch
	var spans []span
	index := map[uint64]int{}
	for i, in := range insts {
		index[in.addr] = i
	}
	// Branches back to one target close one loop: it ends at the last.
	ends := map[int]int{}
	for i, in := range insts {
		if j, ok := index[in.target]; ok && in.branch && j <= i {
			if _, seen := ends[j]; !seen {
				spans = append(spans, span{j, i})
			}
			ends[j] = i
		}
	}
	for k := range spans {
		spans[k].end = ends[spans[k].start]
	}
	if len(spans) == 0 {
		if len(insts) == 1 && insts[0].branch {
			// A routine that is one jump to another (a tier sharing
			// another's kernel under its own name) models as that one.
			return loop{calls: []uint64{insts[0].target}}, errors.New("no loop of its own: it jumps to another routine")
		}
		return loop{}, errors.New("no loop: no backward branch")
	}
	var best loop
	var bestKey [3]int64
	var bestErr error
	var calls []uint64
	for _, s := range spans {
		inner := true
		for _, o := range spans {
			if o != s && s.start <= o.start && o.end <= s.end {
				inner = false
			}
		}
		if !inner {
			continue
		}
		body := insts[s.start : s.end+1]
		n, err := advance(insts, s.start, s.end, arch)
		if err != nil {
			bestErr = err
			for _, in := range body {
				if in.call && !slices.Contains(calls, in.target) {
					calls = append(calls, in.target)
				}
			}
			continue
		}
		key := [3]int64{cachedStores(body, arch), widestRegister(body, arch), n}
		if best.insts == nil || greater(key, bestKey) {
			best, bestKey = loop{insts: body, bytes: n}, key
		}
	}
	if best.insts == nil && len(calls) > 0 {
		return loop{calls: calls}, fmt.Errorf("no loop of its own: its loop calls %d routines", len(calls))
	}
	if best.insts == nil {
		return loop{}, bestErr
	}
	return best, nil
}

// greater reports whether a sorts after b, element by element.
func greater(a, b [3]int64) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return false
}

// cachedStores returns 0 if the block stores around the cache
// (non-temporal stores), else 1.
func cachedStores(body []inst, arch string) int64 {
	for _, in := range body {
		if arch == "amd64" && strings.Contains(in.op, "movnt") || arch == "arm64" && strings.HasPrefix(in.op, "stnp") {
			return 0
		}
	}
	return 1
}

// Register names by width: x86's vector registers, arm64's vector
// registers (v0.16b) and their 128-bit scalar views (q0).
var (
	x86Vector   = regexp.MustCompile(`%([xyz])mm\d+`)
	arm64Vector = regexp.MustCompile(`\b[vq]\d+\b`)
)

// widestRegister returns the width in bytes of the widest register the
// block names: 8 for general registers only.
func widestRegister(body []inst, arch string) int64 {
	w := int64(8)
	for _, in := range body {
		for _, a := range in.args {
			if arch == "arm64" {
				if arm64Vector.MatchString(a) {
					w = max(w, 16)
				}
				continue
			}
			for _, m := range x86Vector.FindAllStringSubmatch(a, -1) {
				w = max(w, map[string]int64{"x": 16, "y": 32, "z": 64}[m[1]])
			}
		}
	}
	return w
}

// advance returns the bytes per iteration by which the loop body
// insts[start:end+1] moves through memory: the most that a register used
// in an address (its base, or its index times the scale) grows by in one
// pass. It follows each general register's value through the pass as a
// register's value at the top plus a constant: adds, subtracts and lea of
// constants, arm64's pre- and post-indexed addressing, moves, spills to the
// stack and reloads (Go's code spills an index when it runs out of
// registers), and the and of an immediate with which Go masks a slice
// pointer's step (taken as the immediate: the step of every pass but the
// last). A register the loop does not write holds the constant that a
// move of an immediate last set in the code before the loop, read
// straight through (runtime.memmove's step). A register written any other
// way has no step.
func advance(insts []inst, start, end int, arch string) (int64, error) {
	body := insts[start : end+1]
	writes := runPass(body, arch, nil).wrote
	init := map[string]value{}
	for r, v := range runPass(insts[:start], arch, nil).val {
		if v.ok && v.reg == "" && !writes[r] {
			init[r] = v
		}
	}
	t := runPass(body, arch, init)
	// stepOf returns r's step: its own constant, or the step of the
	// register whose value plus a constant it ends with.
	var stepOf func(r string, depth int) (int64, bool)
	stepOf = func(r string, depth int) (int64, bool) {
		if !t.wrote[r] {
			return 0, true
		}
		v := t.get(r)
		switch {
		case !v.ok || v.reg == "" || depth > len(t.wrote):
			return 0, false
		case v.reg == r:
			return v.off, true
		}
		return stepOf(v.reg, depth+1)
	}
	var best int64
	for _, m := range t.mems {
		for _, u := range []struct {
			reg   string
			scale int64
		}{{m.base, 1}, {m.index, m.scale}} {
			if u.reg == "" || u.reg == "rsp" || u.reg == "sp" || u.reg == "rip" {
				continue
			}
			if d, ok := stepOf(u.reg, 0); ok {
				best = max(best, d*u.scale)
			}
		}
	}
	if best <= 0 {
		return 0, errors.New("no address register of the loop advances by a constant")
	}
	return best, nil
}

// A value is what a general register holds: the value of register reg at
// the top of the pass plus off, or the constant off if reg is "".
type value struct {
	reg string
	off int64
	ok  bool // false: unknown
}

// plus returns v+d.
func (v value) plus(d int64) value { v.off += d; return v }

// sum returns a+b, known if one of them is a constant.
func sum(a, b value) value {
	switch {
	case !a.ok || !b.ok:
		return value{}
	case b.reg == "":
		return a.plus(b.off)
	case a.reg == "":
		return b.plus(a.off)
	}
	return value{}
}

// constant returns the value c.
func constant(c int64) value { return value{off: c, ok: true} }

// A memRef is the registers of one memory operand, and its text.
type memRef struct {
	base, index string
	scale       int64
	text        string
}

// A tracker follows one pass of code through the general registers.
type tracker struct {
	val   map[string]value // registers written so far, or given at the start
	slot  map[string]value // stack slots stored to, by operand text
	wrote map[string]bool  // registers the pass wrote
	mems  []memRef         // every memory operand of the pass
}

// runPass runs insts from registers holding init (the others hold their
// own value) and returns the tracker.
func runPass(insts []inst, arch string, init map[string]value) *tracker {
	t := &tracker{val: map[string]value{}, slot: map[string]value{}, wrote: map[string]bool{}}
	for r, v := range init {
		t.val[r] = v
	}
	for _, in := range insts {
		if arch == "arm64" {
			t.stepARM64(in)
		} else {
			t.stepX86(in)
		}
	}
	return t
}

// get returns what register r holds.
func (t *tracker) get(r string) value {
	switch {
	case r == "xzr":
		return constant(0)
	case r == "":
		return value{}
	}
	if v, ok := t.val[r]; ok {
		return v
	}
	return value{reg: r, ok: true}
}

// set records that r now holds v.
func (t *tracker) set(r string, v value) {
	if r == "" || r == "xzr" {
		return
	}
	t.val[r] = v
	t.wrote[r] = true
}

// x86Mem matches an AT&T memory operand: disp(base,index,scale).
var x86Mem = regexp.MustCompile(`^(?:%\w+:)?(-?0x[0-9a-f]+|-?\d+)?\((%\w+)?(?:,(%\w+)(?:,(\d))?)?\)$`)

// x86NoWrite are the mnemonics (without size suffix) that do not write
// their last operand.
var x86NoWrite = map[string]bool{"cmp": true, "test": true, "bt": true, "ucomiss": true, "ucomisd": true,
	"comiss": true, "comisd": true, "vptest": true, "prefetcht0": true, "prefetchnta": true, "nop": true}

// x86Base returns an AT&T mnemonic without the size suffix objdump gives
// some instructions ("addq" is "add"), for the mnemonics stepX86 tells
// apart.
func x86Base(op string) string {
	switch b := op[:len(op)-1]; {
	case strings.ContainsAny(op[len(op)-1:], "qlwb") && (b == "add" || b == "sub" || b == "lea" || b == "mov" ||
		b == "and" || b == "inc" || b == "dec" || b == "cmp" || b == "test"):
		return b
	}
	return op
}

// x86MemRef parses an AT&T memory operand and its displacement.
func x86MemRef(a string) (memRef, int64, bool) {
	m := x86Mem.FindStringSubmatch(a)
	if m == nil {
		return memRef{}, 0, false
	}
	ref := memRef{base: x86Reg(m[2]), index: x86Reg(m[3]), scale: 1, text: a}
	if m[4] != "" {
		ref.scale, _ = strconv.ParseInt(m[4], 10, 64)
	}
	disp, _ := immediate(m[1])
	return ref, disp, true
}

// stepX86 applies one AT&T-syntax instruction.
func (t *tracker) stepX86(in inst) {
	for _, a := range in.args {
		if m, _, ok := x86MemRef(a); ok {
			t.mems = append(t.mems, m)
		}
	}
	if in.branch || len(in.args) == 0 {
		return
	}
	op := x86Base(in.op)
	last, src := in.args[len(in.args)-1], in.args[0]
	if m, _, ok := x86MemRef(last); ok { // a store: only spills matter
		if op == "mov" && m.base == "rsp" && len(in.args) == 2 {
			t.slot[last] = t.get(x86Reg(src))
		}
		return
	}
	dst := x86Reg(last)
	if dst == "" || x86NoWrite[op] {
		return
	}
	imm, isImm := immediate(strings.TrimPrefix(src, "$"))
	isImm = isImm && strings.HasPrefix(src, "$")
	two := len(in.args) == 2
	var v value
	switch {
	case (op == "mov" || op == "movabs") && isImm:
		v = constant(imm)
	case op == "mov" && x86Reg(src) != "":
		v = t.get(x86Reg(src))
	case op == "mov":
		if m, _, ok := x86MemRef(src); ok && m.base == "rsp" {
			if s, ok := t.slot[src]; ok {
				v = s
			}
		}
	case op == "lea":
		m, disp, _ := x86MemRef(src)
		v = constant(disp)
		if m.base != "" {
			v = sum(t.get(m.base), v)
		}
		if m.index != "" {
			iv := t.get(m.index)
			if iv.reg != "" && m.scale != 1 {
				iv = value{}
			}
			v = sum(v, value{reg: iv.reg, off: iv.off * m.scale, ok: iv.ok})
		}
	case op == "add" && two && isImm:
		v = t.get(dst).plus(imm)
	case op == "add" && two:
		v = sum(t.get(dst), t.get(x86Reg(src)))
	case op == "sub" && two && isImm:
		v = t.get(dst).plus(-imm)
	case op == "sub" && two:
		if s := t.get(x86Reg(src)); s.ok && s.reg == "" {
			v = t.get(dst).plus(-s.off)
		}
	case op == "inc":
		v = t.get(dst).plus(1)
	case op == "dec":
		v = t.get(dst).plus(-1)
	case op == "and" && isImm && imm > 0:
		v = constant(imm)
	}
	t.set(dst, v)
}

// immediate parses s as a signed number, decimal or 0x hexadecimal (a
// hexadecimal above 2^63 is a negative two's complement). "" is 0.
func immediate(s string) (int64, bool) {
	if s == "" {
		return 0, true
	}
	neg := strings.HasPrefix(s, "-")
	u, err := strconv.ParseUint(strings.TrimPrefix(s, "-"), 0, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		return -int64(u), true
	}
	return int64(u), true
}

// x86Reg returns the 64-bit register that an AT&T register operand names
// ("%ecx" and "%cl" are "rcx", "%r9d" is "r9"), or "" if a is no general
// register.
func x86Reg(a string) string {
	if !strings.HasPrefix(a, "%") {
		return ""
	}
	r := a[1:]
	if len(r) >= 2 && r[0] == 'r' && r[1] >= '0' && r[1] <= '9' {
		return strings.TrimRight(r, "dwb")
	}
	switch r {
	case "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "rip":
		return r
	case "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp":
		return "r" + r[1:]
	case "ax", "bx", "cx", "dx", "si", "di", "bp", "sp":
		return "r" + r
	case "al", "bl", "cl", "dl":
		return "r" + r[:1] + "x"
	case "sil", "dil", "bpl", "spl":
		return "r" + r[:2]
	}
	return ""
}

// arm64Mem matches an A64 memory operand: [base], [base, #off],
// [base, index] and [base, index, lsl #s], with "!" for pre-indexing.
var arm64Mem = regexp.MustCompile(`^\[(\w+)(?:, #(-?\w+)|, (\w+)(?:, lsl #(\d+)|, [su]xt\w+(?: #(\d+))?)?)?\](!?)$`)

// stepARM64 applies one A64 instruction.
func (t *tracker) stepARM64(in inst) {
	memAt := -1
	for i, a := range in.args {
		m := arm64Mem.FindStringSubmatch(a)
		if m == nil {
			continue
		}
		memAt = i
		ref := memRef{base: arm64Reg(m[1]), scale: 1, text: a}
		if m[3] != "" {
			ref.index = arm64Reg(m[3])
			if s := m[4] + m[5]; s != "" {
				sh, _ := strconv.Atoi(s)
				ref.scale = 1 << sh
			}
		}
		t.mems = append(t.mems, ref)
		switch {
		case m[6] == "!": // pre-indexed: base += off
			off, _ := immediate(m[2])
			t.set(ref.base, t.get(ref.base).plus(off))
		case i == len(in.args)-2 && strings.HasPrefix(in.args[i+1], "#"): // post-indexed
			off, _ := immediate(strings.TrimPrefix(in.args[i+1], "#"))
			t.set(ref.base, t.get(ref.base).plus(off))
		}
	}
	if in.branch || len(in.args) == 0 {
		return
	}
	op := in.op
	switch {
	case op == "cmp" || op == "cmn" || op == "tst" || op == "ccmp" || op == "ccmn" || op == "prfm" || op == "fcmp":
		return
	case strings.HasPrefix(op, "st"): // a store: only spills matter
		if op == "str" && memAt == 1 && strings.HasPrefix(in.args[1], "[sp") {
			t.slot[in.args[1]] = t.get(arm64Reg(in.args[0]))
		}
		return
	case memAt >= 0: // a load writes the registers before its address
		for _, a := range in.args[:memAt] {
			var v value
			if s, ok := t.slot[in.args[memAt]]; ok && op == "ldr" && memAt == 1 {
				v = s
			}
			t.set(arm64Reg(a), v)
		}
		return
	}
	dst := arm64Reg(in.args[0])
	var imm int64
	isImm := false
	if last := in.args[len(in.args)-1]; strings.HasPrefix(last, "#") {
		imm, isImm = immediate(strings.TrimPrefix(last, "#"))
	}
	var v value
	switch n := len(in.args); {
	case op == "mov" && isImm, op == "orr" && n == 3 && in.args[1] == "xzr" && isImm:
		v = constant(imm)
	case op == "mov" && n == 2:
		v = t.get(arm64Reg(in.args[1]))
	case op == "add" && n == 3 && isImm:
		v = t.get(arm64Reg(in.args[1])).plus(imm)
	case op == "sub" && n == 3 && isImm:
		v = t.get(arm64Reg(in.args[1])).plus(-imm)
	case op == "add" && n == 3:
		v = sum(t.get(arm64Reg(in.args[1])), t.get(arm64Reg(in.args[2])))
	case op == "and" && isImm && imm > 0:
		v = constant(imm)
	}
	t.set(dst, v)
}

// arm64Reg returns the 64-bit general register that an A64 operand names
// ("w5" is "x5"), or "" if a is none.
func arm64Reg(a string) string {
	switch {
	case a == "sp" || a == "xzr" || a == "wzr":
		return a
	case len(a) >= 2 && (a[0] == 'x' || a[0] == 'w') && a[1] >= '0' && a[1] <= '9':
		if _, err := strconv.Atoi(a[1:]); err == nil {
			return "x" + a[1:]
		}
	}
	return ""
}

// mcaLabel is the label at the top of a loop's llvm-mca source.
const mcaLabel = ".Lloop"

// mcaSource returns a loop as llvm-mca's input: one instruction a line,
// every branch to mcaLabel at the top.
func (l loop) mcaSource() string {
	var b strings.Builder
	b.WriteString(mcaLabel + ":\n")
	for _, in := range l.insts {
		fmt.Fprintf(&b, "\t%s\n", in.text(mcaLabel))
	}
	return b.String()
}
