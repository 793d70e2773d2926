package main

import (
	"slices"
	"testing"
)

func TestSchedule(t *testing.T) {
	const n, rounds = 40, 10
	s := schedule(n, rounds, scheduleSeed)
	if len(s) != rounds {
		t.Fatalf("%d rounds, want %d", len(s), rounds)
	}
	identity := make([]int, n)
	for i := range identity {
		identity[i] = i
	}
	for r, order := range s {
		// Every function exactly once a round.
		if got := slices.Sorted(slices.Values(order)); !slices.Equal(got, identity) {
			t.Errorf("round %d is not a permutation of 0..%d: %v", r, n-1, order)
		}
		if slices.Equal(order, identity) {
			t.Errorf("round %d is in plain order", r)
		}
		// A new order each round.
		if r > 0 && slices.Equal(order, s[r-1]) {
			t.Errorf("rounds %d and %d have the same order", r-1, r)
		}
	}
	// Over the rounds, no function keeps one place: drift spreads out.
	for f := range n {
		first := slices.Index(s[0], f)
		same := true
		for _, order := range s[1:] {
			same = same && slices.Index(order, f) == first
		}
		if same {
			t.Errorf("function %d is at place %d in every round", f, first)
		}
	}
}

func TestScheduleDeterministic(t *testing.T) {
	a, b := schedule(17, 5, 1), schedule(17, 5, 1)
	for r := range a {
		if !slices.Equal(a[r], b[r]) {
			t.Fatalf("round %d differs between two calls with the same seed", r)
		}
	}
	c := schedule(17, 5, 2)
	if slices.Equal(a[0], c[0]) && slices.Equal(a[1], c[1]) {
		t.Errorf("another seed gives the same order")
	}
}

func TestScheduleEdges(t *testing.T) {
	if s := schedule(0, 3, 1); len(s) != 3 || len(s[0]) != 0 {
		t.Errorf("schedule(0, 3) = %v", s)
	}
	if s := schedule(1, 2, 1); !slices.Equal(s[0], []int{0}) || !slices.Equal(s[1], []int{0}) {
		t.Errorf("schedule(1, 2) = %v", s)
	}
	if s := schedule(5, 0, 1); len(s) != 0 {
		t.Errorf("schedule(5, 0) = %v", s)
	}
}
