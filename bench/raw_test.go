package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

// TestRawFormat checks the lines against go test -bench's format and reads
// them back as benchstat would.
func TestRawFormat(t *testing.T) {
	rep := fakeReport(false)
	var b bytes.Buffer
	if err := writeRaw(&b, rep); err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`^Benchmark[A-Za-z]+(/[a-z]+=[^/ ]+)+-2 \d+ \d+(\.\d+)? ns/op \d+(\.\d+)? MB/s$`)
	benchLines := 0
	for l := range strings.SplitSeq(b.String(), "\n") {
		if strings.HasPrefix(l, "Benchmark") {
			benchLines++
			if !line.MatchString(l) {
				t.Errorf("not a go test -bench line: %q", l)
			}
		}
	}
	if want := 8 * 7; benchLines != want {
		t.Errorf("%d benchmark lines, want one per sample: %d", benchLines, want)
	}
	if !strings.Contains(b.String(), "BenchmarkPartial/impl=avx2/size=1500-2 1000 20 ns/op 75000 MB/s\n") {
		t.Errorf("no line for avx2 at 1500 B with the median sample:\n%s", b.String())
	}

	r := benchfmt.NewReader(&b, "raw.txt")
	pkgs := map[string]int{}
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			t.Fatalf("not a result: %v", r.Result())
		}
		pkgs[res.GetConfig("pkg")]++
		if res.GetConfig("goos") != "linux" || res.GetConfig("goarch") != "amd64" || res.GetConfig("cpu") != "Test CPU" {
			t.Errorf("%s: config %v", res.Name, res.Config)
		}
		if res.GetConfig("emulated") != "" {
			t.Errorf("%s: a native run marked emulated", res.Name)
		}
		if ns, ok := res.Value("sec/op"); !ok || ns <= 0 {
			t.Errorf("%s: no time per op", res.Name)
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if pkgs[csumPkg] != 4*7 || pkgs[iterPkg] != 4*7 {
		t.Errorf("results per package %v: the csum lines go with csum's benchmarks, the iterator's with iter's", pkgs)
	}
}

func TestRawEmulated(t *testing.T) {
	var b bytes.Buffer
	if err := writeRaw(&b, fakeReport(true)); err != nil {
		t.Fatal(err)
	}
	r := benchfmt.NewReader(&b, "raw.txt")
	for r.Scan() {
		if res := r.Result().(*benchfmt.Result); !strings.Contains(res.GetConfig("emulated"), "this binary is arm64") {
			t.Fatalf("%s: emulated = %q", res.Name, res.GetConfig("emulated"))
		}
	}
}
