//go:build !amd64 && !arm64

package main

// loadKernel, its step and the name of its loads, where the report has no
// assembly: Go reading 8-byte words, which may fall short of the CPU's
// load bandwidth.
var loadKernel, loadStep, loadName = func(b []byte) { sinkWord = loadWords(b) }, 8, "8-byte words read in Go (no assembly for this architecture)"
