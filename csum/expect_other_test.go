//go:build (!amd64 && !arm64) || !gc || purego

package csum

// expectedImpl is what a build without assembly must choose.
func expectedImpl() string { return "generic" }
