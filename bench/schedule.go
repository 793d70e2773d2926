package main

import "math/rand/v2"

// scheduleSeed fixes the order of every run, so that two runs on one
// machine interleave alike.
const scheduleSeed = 0x10f_c5a1

// schedule returns the order in which a run measures n functions over the
// given number of rounds: each round is a permutation of 0..n-1, so every
// function gets one timed batch a round, and each round has a new random
// order. Drift in the machine (other load, clock frequency, heat) thus hits
// every function alike instead of those measured last, and no function
// always follows the same neighbour (whose cache footprint it would
// inherit). The order depends only on n, rounds and seed.
func schedule(n, rounds int, seed uint64) [][]int {
	order := make([][]int, rounds)
	for r := range order {
		order[r] = rand.New(rand.NewPCG(seed, uint64(r))).Perm(n)
	}
	return order
}
