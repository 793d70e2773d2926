package main

import "github.com/klauspost/cpuid/v2"

// The load kernels of load_amd64.s. Each reads b with four loads of its
// width a step; len(b) must be a multiple of its step.
//
//go:noescape
func loadZMM(b []byte) // AVX-512: steps of 256 bytes

//go:noescape
func loadYMM(b []byte) // AVX: steps of 128 bytes

//go:noescape
func loadXMM(b []byte) // SSE2: steps of 64 bytes

// loadKernel, its step and the name of its loads: the widest this CPU has.
var loadKernel, loadStep, loadName = func() (func([]byte), int, string) {
	switch {
	case cpuid.CPU.Supports(cpuid.AVX512F):
		return loadZMM, 256, "64-byte AVX-512 loads"
	case cpuid.CPU.Supports(cpuid.AVX):
		return loadYMM, 128, "32-byte AVX loads"
	}
	return loadXMM, 64, "16-byte SSE2 loads"
}()
