package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// maxSize bounds one size of the list: the report allocates two buffers of
// the largest size.
const maxSize = 1 << 30

// units are the binary units of sizes, largest first.
var units = []struct {
	shift       uint
	short, long string
}{{30, "G", "GiB"}, {20, "M", "MiB"}, {10, "K", "KiB"}}

// parseSizes parses a comma-separated list of sizes, such as
// "20,1500,64K,16M" (see parseSize). The list must not be empty; the result
// is sorted and free of duplicates.
func parseSizes(s string) ([]int, error) {
	var sizes []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := parseSize(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		sizes = append(sizes, n)
	}
	slices.Sort(sizes)
	return slices.Compact(sizes), nil
}

// parseSize parses a byte count from 1 to maxSize: a whole number with an
// optional unit in any case, B or a binary K, M, G (also KiB, MiB, GiB).
func parseSize(s string) (int, error) {
	num, shift := cutUnit(strings.ToUpper(s))
	n, err := strconv.ParseUint(num, 10, 32)
	if err != nil || n == 0 || n > maxSize>>shift {
		return 0, fmt.Errorf("bad size %q: want a whole number of bytes from 1 to 1G, with an optional unit K, M or G", s)
	}
	return int(n) << shift, nil
}

// cutUnit splits an upper-case size into its number and the shift of its
// unit.
func cutUnit(s string) (num string, shift uint) {
	for _, u := range units {
		for _, suffix := range []string{strings.ToUpper(u.long), u.short} {
			if num, ok := strings.CutSuffix(s, suffix); ok {
				return num, u.shift
			}
		}
	}
	return strings.TrimSuffix(s, "B"), 0
}

// scaleSize returns n in the largest binary unit that divides it exactly,
// so that no size is rounded: 1500 stays in bytes, 65536 is 64 KiB.
func scaleSize(n int) (v int, short, long string) {
	for _, u := range units {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return n >> u.shift, u.short, u.long
		}
	}
	return n, "", "B"
}

// formatSize returns n bytes for people: "1500 B", "4 KiB", "16 MiB".
func formatSize(n int) string {
	v, _, long := scaleSize(n)
	return fmt.Sprintf("%d %s", v, long)
}

// shortSize returns n bytes as the size flag writes it: "1500", "4K", "16M".
func shortSize(n int) string {
	v, short, _ := scaleSize(n)
	return strconv.Itoa(v) + short
}

// sizeFlag is a flag.Value holding a size list.
type sizeFlag struct{ sizes *[]int }

func (f sizeFlag) String() string {
	if f.sizes == nil { // the flag package's zero value, for its defaults
		return ""
	}
	parts := make([]string, len(*f.sizes))
	for i, n := range *f.sizes {
		parts[i] = shortSize(n)
	}
	return strings.Join(parts, ",")
}

func (f sizeFlag) Set(s string) error {
	sizes, err := parseSizes(s)
	if err != nil {
		return err
	}
	*f.sizes = sizes
	return nil
}
