//go:build arm64 && gc && !purego

package csum

// archImpls lists the arm64 assembly tiers, best first.
var archImpls []Implementation
