//go:build arm64 && gc && !purego

package csum

// expectedImpl is the tier this CPU should run, found independently of the
// dispatch code. Until the arm64 assembly lands it is the portable code.
func expectedImpl() string { return "generic" }
