//go:build amd64 && gc && !purego

package csum

// archImpls lists the amd64 assembly tiers, best first.
var archImpls []Implementation
