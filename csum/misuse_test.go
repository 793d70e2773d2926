package csum

import (
	"net/netip"
	"strings"
	"testing"
)

// wantPanic runs f and fails the test unless it panics with a message of
// this package that contains want.
func wantPanic(t *testing.T, what, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if msg, ok := r.(string); !ok || !strings.HasPrefix(msg, "csum: ") || !strings.Contains(msg, want) {
			t.Errorf("%s: panicked with %#v, want a panic saying %q", what, r, want)
		}
	}()
	f()
}

// TestPseudoHeaderBadAddresses gives the pseudo-header functions addresses
// they cannot sum: each panics in csum's words, naming the address.
func TestPseudoHeaderBadAddresses(t *testing.T) {
	v4, v6 := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")
	mapped := netip.MustParseAddr("::ffff:192.0.2.1")
	var zero netip.Addr
	wantPanic(t, "TCPUDPMagic with an IPv6 source", "source address 2001:db8::1 is not IPv4", func() { TCPUDPMagic(v6, v4, 8, 17, 0) })
	wantPanic(t, "TCPUDPNofold with an IPv6 destination", "destination address 2001:db8::1 is not IPv4", func() { TCPUDPNofold(v4, v6, 8, 17, 0) })
	wantPanic(t, "TCPUDPMagic with the zero Addr", "source address invalid IP is not IPv4", func() { TCPUDPMagic(zero, v4, 8, 17, 0) })
	wantPanic(t, "IPv6Magic with the zero Addr", "IPv6Magic: invalid address", func() { IPv6Magic(v6, zero, 8, 17, 0) })
	if TCPUDPMagic(mapped, v4, 8, 17, 0) != TCPUDPMagic(v4, v4, 8, 17, 0) {
		t.Errorf("an IPv4-mapped address sums differently from its IPv4 form")
	}
	if IPv6Magic(v4, v6, 8, 17, 0) != IPv6Magic(mapped, v6, 8, 17, 0) {
		t.Errorf("IPv6Magic: an IPv4 address sums differently from its mapped form")
	}
}

// TestStateAddNegative: a negative length is a programming error, as
// everywhere in the module, and leaves the state alone.
func TestStateAddNegative(t *testing.T) {
	st := State{Sum: 5, Off: 3}
	wantPanic(t, "State.Add(s, -3)", "negative length", func() { st.Add(1, -3) })
	if st != (State{Sum: 5, Off: 3}) {
		t.Errorf("a failed Add changed the state to %+v", st)
	}
}
