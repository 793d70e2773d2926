//go:build (!amd64 && !arm64) || !gc || purego

package csum

// archImpls is empty: this build has no assembly.
var archImpls []Implementation
