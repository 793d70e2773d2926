package csum

import (
	"os"
	"testing"
)

// TestWantImpl fails when the implementation chosen at start-up is not the
// one the test run expects. make test sets IOVKIT_WANT_IMPL for every CPU
// tier it runs (GODEBUG masks, qemu CPU models), so that a dispatch
// mistake, or a tier this machine should run but did not, fails instead of
// passing on a slower path. It names the tier the features left choose, or
// the tier of the CPU table that must replace it (amd64-sse2 on qemu's
// EPYC): a tier the features choose is mapped through the table
// (preferredOn), which leaves a tier the table chooses as it is.
func TestWantImpl(t *testing.T) {
	want := os.Getenv("IOVKIT_WANT_IMPL")
	if want == "" {
		want = expectedImpl()
	}
	want = preferredOn(want)
	if got := Active(); got != want {
		t.Fatalf("Active() = %q, want %q (GODEBUG=%q)", got, want, os.Getenv("GODEBUG"))
	}
}
