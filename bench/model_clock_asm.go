//go:build amd64 || arm64

package main

// addChain runs n rounds of chainAdds dependent register adds: its time
// is n*chainAdds cycles of the core's clock, whatever its frequency. n
// must be positive.
//
//go:noescape
func addChain(n int)

// haveAddChain reports whether addChain exists on this architecture.
const haveAddChain = true
