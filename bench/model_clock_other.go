//go:build !amd64 && !arm64

package main

// addChain does not exist here: the clock comes from /proc/cpuinfo.
func addChain(n int) { panic("addChain: not on this architecture") }

// haveAddChain reports whether addChain exists on this architecture.
const haveAddChain = false
