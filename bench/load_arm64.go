package main

// loadNEON is the load kernel of load_arm64.s: it reads b with four
// 16-byte loads an instruction, two instructions a step of 128 bytes;
// len(b) must be a multiple of 128.
//
//go:noescape
func loadNEON(b []byte)

// loadKernel, its step and the name of its loads.
var loadKernel, loadStep, loadName = loadNEON, 128, "NEON LD1 of four 16-byte registers"
