package main

import "encoding/binary"

// loadOnly reads every byte of b and does nothing else, with the widest
// loads this CPU has (loadKernel): the CPU's load bandwidth, which
// csum.Partial is held to. The kernel reads whole steps of loadStep bytes;
// the last partial step is read again whole, overlapping, when b has one
// step or more, and word by word in Go when it has less.
func loadOnly(b []byte) {
	n := len(b) / loadStep * loadStep
	if n > 0 {
		loadKernel(b[:n])
	}
	switch {
	case n == len(b):
	case len(b) >= loadStep:
		loadKernel(b[len(b)-loadStep:])
	default:
		sinkWord = loadWords(b)
	}
}

// sinkWord keeps the result of loadWords alive.
var sinkWord uint64

// loadWords reads b eight bytes at a time (the rest byte by byte) and
// returns the OR of what it read, so that no load can be left out.
func loadWords(b []byte) uint64 {
	var acc uint64
	for len(b) >= 8 {
		acc |= binary.LittleEndian.Uint64(b)
		b = b[8:]
	}
	for _, c := range b {
		acc |= uint64(c)
	}
	return acc
}
