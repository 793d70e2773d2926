package main

import (
	"slices"
	"testing"
)

func TestParseSizes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []int
	}{
		{"20,1500,64K,16M", []int{20, 1500, 64 << 10, 16 << 20}},
		{"16M, 20 ,1500", []int{20, 1500, 16 << 20}},
		{"4k,4K,4096,4KiB,4kib", []int{4096}},
		{"1", []int{1}},
		{"20B,1g,1GiB", []int{20, 1 << 30}},
		{"2m,3MiB", []int{2 << 20, 3 << 20}},
	} {
		got, err := parseSizes(c.in)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("parseSizes(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{
		"", ",", "20,", "0", "-1", "1.5K", "K", "B", "12X", "5iB", "4KB", "2G", "1025M", "99999999999", "0x10", "1,,2",
	} {
		if got, err := parseSizes(in); err == nil {
			t.Errorf("parseSizes(%q) = %v, want an error", in, got)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int]string{
		1: "1 B", 20: "20 B", 1500: "1500 B", 1024: "1 KiB", 1536: "1536 B", 4096: "4 KiB",
		65536: "64 KiB", 1 << 20: "1 MiB", 16 << 20: "16 MiB", 3 << 30: "3 GiB",
	} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestSizeFlagRoundTrip checks that the flag writes a list it reads back.
func TestSizeFlagRoundTrip(t *testing.T) {
	sizes := []int{20, 1500, 4096, 65536, 16 << 20, 1 << 30}
	f := sizeFlag{&sizes}
	if got, want := f.String(), "20,1500,4K,64K,16M,1G"; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
	var back []int
	if err := (sizeFlag{&back}).Set(f.String()); err != nil || !slices.Equal(back, sizes) {
		t.Errorf("Set(%q) = %v, %v; want %v", f.String(), back, err, sizes)
	}
	if err := (sizeFlag{&back}).Set("20,x"); err == nil {
		t.Errorf("Set(%q) succeeded", "20,x")
	}
	if got := (sizeFlag{}).String(); got != "" {
		t.Errorf("zero sizeFlag String() = %q", got)
	}
}
