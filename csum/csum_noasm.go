//go:build (!amd64 && !arm64) || !gc || purego

package csum

// archImpls is empty: this build has no assembly.
var archImpls []Implementation

// preferredOn returns best: generic is the only implementation.
func preferredOn(best string) string { return best }

// archPartial runs partialGeneric, the only implementation.
func archPartial(_ int, b []byte, sum Sum) Sum { return partialGeneric(b, sum) }

// archCopy runs copyGeneric, the only implementation.
func archCopy(_ int, dst, src []byte, sum Sum) Sum { return copyGeneric(dst, src, sum) }
