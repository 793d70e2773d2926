package csum

import (
	"os"
	"testing"
)

// TestWantImpl fails when the implementation chosen at start-up is not the
// one the test run expects. make test sets IOVKIT_WANT_IMPL for every CPU
// tier it runs (GODEBUG masks, qemu CPU models) to the tier the features
// left must choose, so that a dispatch mistake, or a tier this machine
// should run but did not, fails instead of passing on a slower path. On
// CPU models where evidence prefers another implementation (preferredOn),
// that one must run instead.
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
