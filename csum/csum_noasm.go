//go:build (!amd64 && !arm64) || !gc || purego

package csum

// archImpls is empty: this build has no assembly.
var archImpls []impl

// archPartial runs partialGeneric, the only implementation.
func archPartial(_ int, b []byte, sum Sum) Sum { return partialGeneric(b, sum) }

// archCopy runs copyGeneric, the only implementation.
func archCopy(_ int, dst, src []byte, sum Sum) Sum { return copyGeneric(dst, src, sum) }
