package cachesize

import "testing"

func TestL2From(t *testing.T) {
	for _, tc := range []struct{ reported, want int }{
		{-1, 1 << 20},
		{0, 1 << 20},
		{512 << 10, 512 << 10},
		{2 << 20, 2 << 20},
	} {
		if got := L2From(tc.reported); got != tc.want {
			t.Errorf("L2From(%d) = %d, want %d", tc.reported, got, tc.want)
		}
	}
	if L2 <= 0 {
		t.Errorf("L2 = %d, want a positive size", L2)
	}
}
