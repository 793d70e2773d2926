//go:build !amd64 || !gc || purego

package csum

// testOnlyImpls are routines that dispatch reaches only for some lengths
// (see nt_amd64_test.go); this build has none.
var testOnlyImpls []Implementation
