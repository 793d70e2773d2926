package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// The model (bench -model, make bench-model) estimates the speed of every
// kernel on CPUs that are not at hand: it builds this command for amd64 and
// arm64, finds each kernel's hot loop in the disassembly, and asks
// llvm-mca, a static model of a CPU's pipeline, how many cycles an
// iteration takes on each CPU of the arch's list.

// A modelRow is one routine of one architecture: its hot loop and
// llvm-mca's estimate for every CPU of the architecture.
type modelRow struct {
	r     routine
	impl  string // the csum implementation or the peer it belongs to; "" for none
	loop  loop
	calls []*modelRow         // a routine without a loop of its own: the modelled routines its loop calls
	est   map[string]estimate // by CPU
	err   error               // why the routine has no estimate
}

// label returns the row's name in the tables: the routine (without its
// package for csum's and the peers') and, in parentheses, its
// implementation or peer.
func (row *modelRow) label() string {
	name := row.r.short()
	if row.r.class.peer != "" || strings.HasPrefix(row.r.name, csumPkg+".") {
		name = name[strings.Index(name, ".")+1:]
	}
	if row.impl != "" {
		return name + " (" + row.impl + ")"
	}
	return name
}

// bytesPerCycle returns the modelled speed of the row's loop on cpu: the
// bytes an iteration advances over its cycles, or for a routine that calls
// others on the same bytes, one over the sum of their cycles per byte.
// ok is false when the CPU cannot run the loop or there is no estimate.
func (row *modelRow) bytesPerCycle(cpu string) (float64, bool) {
	if len(row.calls) > 0 {
		var cyclesPerByte float64
		for _, c := range row.calls {
			b, ok := c.bytesPerCycle(cpu)
			if !ok {
				return 0, false
			}
			cyclesPerByte += 1 / b
		}
		return 1 / cyclesPerByte, true
	}
	e, ok := row.est[cpu]
	if !ok || e.unsupported || e.cycles == 0 {
		return 0, false
	}
	return float64(row.loop.bytes) / e.cycles, true
}

// bottleneck returns what limits the row's loop on cpu, for the tables.
func (row *modelRow) bottleneck(cpu string) string {
	if len(row.calls) > 0 {
		var names []string
		for _, c := range row.calls {
			names = append(names, c.label())
		}
		return "calls " + strings.Join(names, " + ")
	}
	e := row.est[cpu]
	switch {
	case e.unread != "":
		return "llvm-mca cannot read it: " + e.unread
	case e.unsupported:
		return "cannot run"
	case e.bottleneck == "":
		return "dispatch width"
	}
	return e.bottleneck
}

// An archModel is the model of one architecture.
type archModel struct {
	arch  *modelArch
	impls []string // the csum implementations compiled in, best first
	rows  []*modelRow
}

// group returns the rows of group g ("checksum" or "copy") with an
// estimate or calls, iovkit's first.
func (am *archModel) group(g string) []*modelRow {
	var rows []*modelRow
	for _, row := range am.rows {
		if row.r.class.group == g && row.err == nil {
			rows = append(rows, row)
		}
	}
	slices.SortStableFunc(rows, func(a, b *modelRow) int {
		return boolInt(a.r.class.peer != "") - boolInt(b.r.class.peer != "")
	})
	return rows
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// buildModel builds, disassembles and models every architecture, in
// parallel, into a temporary folder it removes.
func buildModel(ctx context.Context) ([]*archModel, error) {
	mca, err := llvmMCA.path()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "iovkit-model-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	models := make([]*archModel, len(modelArches))
	errs := make([]error, len(modelArches))
	var wg sync.WaitGroup
	for i := range modelArches {
		wg.Go(func() { models[i], errs[i] = modelArchitecture(ctx, &modelArches[i], dir, mca) })
	}
	wg.Wait()
	return models, errors.Join(errs...)
}

// modelArchitecture builds for a, finds the routines and their hot loops
// and runs llvm-mca on each loop for each CPU.
func modelArchitecture(ctx context.Context, a *modelArch, dir, mca string) (*archModel, error) {
	objdump, err := a.objdump.path()
	if err != nil {
		return nil, err
	}
	bin, err := buildForModel(ctx, a, dir)
	if err != nil {
		return nil, err
	}
	impls, err := listImpls(ctx, a, bin)
	if err != nil {
		return nil, err
	}
	routines, err := findRoutines(bin)
	if err != nil {
		return nil, err
	}
	am := &archModel{arch: a, impls: impls}
	byAddr := map[uint64]*modelRow{}
	for _, r := range routines {
		row := &modelRow{r: r, impl: implOf(r, impls), est: map[string]estimate{}}
		insts, err := disassemble(ctx, objdump, bin, r)
		if err != nil {
			return nil, err
		}
		row.loop, row.err = hotLoop(insts, a.goarch)
		am.rows = append(am.rows, row)
		byAddr[r.addr] = row
	}
	for _, row := range am.rows {
		if row.err == nil || len(row.loop.calls) == 0 {
			continue
		}
		var calls []*modelRow
		for _, addr := range row.loop.calls {
			if c := byAddr[addr]; c != nil && c.err == nil {
				calls = append(calls, c)
			}
		}
		if len(calls) == len(row.loop.calls) {
			row.calls, row.err = calls, nil
		}
	}
	return am, am.estimate(ctx, mca)
}

// runs reports whether cpu has the instructions of routine r, as far as
// the arch's runsOn knows.
func (a *modelArch) runs(r routine, cpu string) bool {
	for key, cpus := range a.runsOn {
		if strings.Contains(r.name, key) && !slices.Contains(cpus, cpu) {
			return false
		}
	}
	return true
}

// estimate runs llvm-mca for every CPU on every loop, a CPU at a time on
// each core.
func (am *archModel) estimate(ctx context.Context, mca string) error {
	var rows []*modelRow
	var loops []loop
	for _, row := range am.rows {
		if row.err == nil && len(row.calls) == 0 {
			rows, loops = append(rows, row), append(loops, row.loop)
		}
	}
	cpus := make(chan string)
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for cpu := range cpus {
				ests, err := runMCA(ctx, mca, am.arch.triple, cpu, loops)
				mu.Lock()
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", am.arch.goarch, err))
				}
				for i, e := range ests {
					if !am.arch.runs(rows[i].r, cpu) {
						e = estimate{unsupported: true}
					}
					rows[i].est[cpu] = e
				}
				mu.Unlock()
			}
		})
	}
	for _, cpu := range am.arch.cpus {
		cpus <- cpu
	}
	close(cpus)
	wg.Wait()
	return errors.Join(errs...)
}

// implOf returns the csum implementation that routine r is the Partial or
// Copy of ("partialNEON" is arm64-neon's: the name after partial or copy
// is the implementation's without its arch, in any case), or the peer it
// is; "" if none.
func implOf(r routine, impls []string) string {
	if r.class.peer != "" {
		return r.class.peer
	}
	fn := r.short()
	fn = fn[strings.Index(fn, ".")+1:]
	for _, p := range []string{"partial", "copy"} {
		if rest, ok := strings.CutPrefix(fn, p); ok && strings.HasPrefix(r.name, csumPkg+".") {
			for _, im := range impls {
				if strings.EqualFold(rest, shortImpl(im)) {
					return im
				}
			}
		}
	}
	return ""
}

// listImpls runs the binary built for a with -impls and returns the
// csum implementations it prints: natively, or for another architecture
// under qemu-user.
func listImpls(ctx context.Context, a *modelArch, bin string) ([]string, error) {
	args := []string{bin, "-impls"}
	if a.goarch != runtime.GOARCH {
		q, err := a.emulator.path()
		if err != nil {
			return nil, err
		}
		args = append([]string{q}, args...)
	}
	out, err := exec.CommandContext(ctx, args[0], args[1:]...).Output()
	if err != nil {
		return nil, fmt.Errorf("%s -impls: %w", strings.Join(args, " "), err)
	}
	var names []string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			names = append(names, s)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s -impls printed no implementation", strings.Join(args, " "))
	}
	return names, nil
}
