package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// mcaIterations is how many iterations llvm-mca simulates. Its cycles per
// iteration are the total over this count, which includes filling the
// pipeline once (under 1% here).
const mcaIterations = 200

// An estimate is llvm-mca's verdict on one loop for one CPU.
type estimate struct {
	cycles     float64 // per iteration
	bottleneck string  // what llvm-mca names, shortly; "" if it names none
	// unsupported is set when the CPU model lacks an instruction of the
	// loop: the CPU cannot run that tier.
	unsupported bool
	unread      string // what llvm-mca said of an instruction it could not read, if any
}

// runMCA runs llvm-mca on loops for cpu, in one run with a code region
// for each, and returns an estimate for each. llvm-mca skips the lines it
// cannot read, naming them, and the instructions its model of the CPU
// lacks: a loop that lost an instruction it could read is one the CPU
// cannot run.
func runMCA(ctx context.Context, mca, triple, cpu string, loops []loop) ([]estimate, error) {
	var src strings.Builder
	ends := make([]int, len(loops)) // the last line of each region
	for i, l := range loops {
		fmt.Fprintf(&src, "# LLVM-MCA-BEGIN %d\n%s# LLVM-MCA-END\n", i, strings.ReplaceAll(l.mcaSource(), mcaLabel, fmt.Sprint(mcaLabel, i)))
		ends[i] = strings.Count(src.String(), "\n")
	}
	cmd := exec.CommandContext(ctx, mca, "-mtriple="+triple, "-mcpu="+cpu, fmt.Sprintf("-iterations=%d", mcaIterations),
		"-bottleneck-analysis", "-skip-unsupported-instructions=any", "-")
	cmd.Stdin = strings.NewReader(src.String())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("llvm-mca -mcpu=%s: %v: %s", cpu, err, strings.TrimSpace(stderr.String()))
	}
	regions := mcaRegion.Split(string(out), -1)[1:]
	if len(regions) != len(loops) {
		return nil, fmt.Errorf("llvm-mca -mcpu=%s: %d code regions in its report, want %d", cpu, len(regions), len(loops))
	}
	unread := map[int]string{} // loops with a line llvm-mca could not read
	for _, m := range mcaParseError.FindAllStringSubmatch(stderr.String(), -1) {
		line, _ := strconv.Atoi(m[1])
		if i, _ := slices.BinarySearch(ends, line); i < len(loops) {
			unread[i] = m[2]
		}
	}
	ests := make([]estimate, len(loops))
	for i, r := range regions {
		e, insts, err := parseMCA([]byte(r))
		switch {
		case unread[i] != "":
			e = estimate{unread: unread[i]}
		case err != nil:
			return nil, fmt.Errorf("llvm-mca -mcpu=%s: %w", cpu, err)
		case insts != mcaIterations*len(loops[i].insts):
			e = estimate{unsupported: true}
		}
		ests[i] = e
	}
	return ests, nil
}

// What llvm-mca prints: the header of each code region's report, and an
// error on a line of the input it cannot read.
var (
	mcaRegion     = regexp.MustCompile(`(?m)^\[\d+\] Code Region.*$`)
	mcaParseError = regexp.MustCompile(`(?m)^<stdin>:(\d+):\d+: error: (.*)$`)
)

// mcaPercent matches a line of the bottleneck analysis: a name and a share
// of the cycles, such as "  - N1UnitV1  [ 24.38% ]".
var mcaPercent = regexp.MustCompile(`^\s*(?:- )?([A-Za-z][\w ]*?):?\s+\[ ([\d.]+)% \]$`)

// parseMCA reads the cycles per iteration and the bottleneck from
// llvm-mca's report of one code region, and the instructions it
// simulated: of resource pressure and data dependencies, the larger, with
// its unit (the most pressed resource, several when tied) or kind
// (register or memory dependencies).
func parseMCA(out []byte) (estimate, int, error) {
	var iters, cycles float64
	var insts int
	shares := map[string]float64{}
	var units []string // resource units in the order given
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if k, v, ok := strings.Cut(line, ":"); ok {
			switch strings.TrimSpace(k) {
			case "Iterations":
				iters, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
			case "Total Cycles":
				cycles, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
			case "Instructions":
				insts, _ = strconv.Atoi(strings.TrimSpace(v))
			}
		}
		m := mcaPercent.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		p, _ := strconv.ParseFloat(m[2], 64)
		name := strings.TrimSpace(m[1])
		switch name {
		case "Resource Pressure", "Data Dependencies":
			section = name
			shares[name] = p
		default:
			if section == "Resource Pressure" && strings.HasPrefix(strings.TrimSpace(line), "-") {
				shares[name] = p
				units = append(units, name)
			} else {
				shares[name] = p
			}
		}
	}
	if err := sc.Err(); err != nil {
		return estimate{}, 0, err
	}
	if iters == 0 || cycles == 0 {
		return estimate{}, 0, errors.New("llvm-mca's report has no iterations or cycles")
	}
	return estimate{cycles: cycles / iters, bottleneck: bottleneck(shares, units)}, insts, nil
}

// minPressure is the share of cycles below which llvm-mca's bottlenecks
// do not count: the loop is then bound by how fast the core dispatches
// its micro-operations.
const minPressure = 10

// bottleneck names the larger of resource pressure and data dependencies,
// with its share of the cycles: "N1UnitV1 24%", "Zn4FP0+Zn4FP1 91%",
// "register dep. 60%"; "" when llvm-mca found neither above minPressure.
func bottleneck(shares map[string]float64, units []string) string {
	res, dep := shares["Resource Pressure"], shares["Data Dependencies"]
	switch {
	case res < minPressure && dep < minPressure:
		return ""
	case res >= dep:
		var top []string
		var most float64
		for _, u := range units {
			switch s := shares[u]; {
			case s > most+0.05:
				top, most = []string{u}, s
			case s >= most-0.05:
				top = append(top, u)
			}
		}
		if len(top) == 0 { // in-order cores: llvm-mca names no unit
			top = []string{"resource pressure"}
		}
		return fmt.Sprintf("%s %.0f%%", strings.Join(top, "+"), res)
	case shares["Memory Dependencies"] > shares["Register Dependencies"]:
		return fmt.Sprintf("memory dep. %.0f%%", dep)
	}
	return fmt.Sprintf("register dep. %.0f%%", dep)
}
