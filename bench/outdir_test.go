package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestOutDir(t *testing.T) {
	t.Chdir(t.TempDir())
	when := time.Date(2026, 9, 20, 14, 3, 5, 0, time.UTC)
	for _, want := range []string{"out/20260920-140305-amd64", "out/20260920-140305-amd64-2", "out/20260920-140305-amd64-3"} {
		dir, err := outDir("", when, "amd64", false)
		if err != nil || dir != want {
			t.Errorf("outDir = %q, %v; want %q", dir, err, want)
		}
	}
	if dir, err := outDir("", when, "arm64", true); err != nil || dir != "out/20260920-140305-arm64-emulated" {
		t.Errorf("emulated outDir = %q, %v", dir, err)
	}
	// A folder given explicitly is created with its parents, and reused.
	for range 2 {
		if dir, err := outDir("a/b", when, "amd64", false); err != nil || dir != "a/b" {
			t.Errorf("outDir(a/b) = %q, %v", dir, err)
		}
	}
	if st, err := os.Stat(filepath.Join("a", "b")); err != nil || !st.IsDir() {
		t.Errorf("a/b: %v", err)
	}
	if err := os.WriteFile("file", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := outDir("file/sub", when, "amd64", false); err == nil {
		t.Errorf("outDir under a file succeeded")
	}
}
