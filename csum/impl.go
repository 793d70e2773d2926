package csum

import "fmt"

// Implementation is one way of computing Partial and Copy: the portable Go
// code or one tier of assembly.
type Implementation struct {
	// Name is "generic" or the architecture and the features used, such as
	// "amd64-avx2" or "arm64-neon".
	Name string
	// Available reports whether this CPU can run it: it has every feature
	// the tier uses and every feature of the tiers below it.
	Available bool
	// Partial and Copy behave as the package's Partial and Copy. They must
	// not be called when Available is false.
	Partial func(b []byte, sum Sum) Sum
	Copy    func(dst, src []byte, sum Sum) Sum

	// id is the number by which archPartial and archCopy call its kernels
	// (0 for generic). The package's Partial and Copy dispatch on it
	// (activePartial, activeCopy: on amd64 a jump in assembly, elsewhere
	// that switch of direct calls) rather than through the function
	// values, so that the compiler sees that no buffer escapes: a caller's
	// array on the stack stays there.
	id int
}

// impls lists every implementation compiled in, in the order in which
// the CPU's features choose among them, best first; the portable code is
// always last.
var impls = withFuncs(append(archImpls, Implementation{Name: "generic", Available: true}))

// withFuncs fills in the Partial and Copy of each implementation from its
// id.
func withFuncs(list []Implementation) []Implementation {
	for i := range list {
		id := list[i].id
		list[i].Partial = func(b []byte, sum Sum) Sum { return archPartial(id, b, sum) }
		list[i].Copy = checkedCopy(func(dst, src []byte, sum Sum) Sum { return archCopy(id, dst, src, sum) })
	}
	return list
}

// checkedCopy gives a raw copy kernel the length check of Copy.
func checkedCopy(f func(dst, src []byte, sum Sum) Sum) func(dst, src []byte, sum Sum) Sum {
	return func(dst, src []byte, sum Sum) Sum {
		if len(dst) < len(src) {
			panic(errShortDst)
		}
		return f(dst[:len(src)], src, sum)
	}
}

// activeID is the id of the implementation Partial and Copy use now, on
// which they dispatch (activePartial, activeCopy; on amd64 the assembly
// reads it). pinned reports that Use chose it: then Partial hands it inputs
// of every length rather than summing short ones itself.
var (
	activeID = choose().id
	pinned   bool
)

// choose returns the implementation for this CPU: the first available
// one, unless evidence about this CPU model prefers another
// (preferredOn).
func choose() Implementation {
	for _, im := range impls {
		if !im.Available {
			continue
		}
		if name := preferredOn(im.Name); name != im.Name {
			if other, ok := lookup(name); ok && other.Available {
				return other
			}
		}
		return im
	}
	panic("csum: no implementation available") // generic always is
}

// lookup returns the implementation called name.
func lookup(name string) (Implementation, bool) {
	for _, im := range impls {
		if im.Name == name {
			return im, true
		}
	}
	return Implementation{}, false
}

// Implementations returns every implementation compiled into this binary,
// whether or not this CPU can run it: in the order in which the CPU's
// features choose among them, best first ("generic", always present and
// available, is last). On some CPU models a later one is chosen instead,
// where it is measured or modelled to be faster there; Active names the
// one chosen.
func Implementations() []Implementation {
	return append([]Implementation(nil), impls...)
}

// Active returns the name of the implementation Partial and Copy use now.
func Active() string {
	for _, im := range impls {
		if im.id == activeID {
			return im.Name
		}
	}
	panic("csum: no implementation has the active id") // impls holds every id
}

// Use makes Partial and Copy run the implementation called name, for every
// length, until restore is called. (Without Use, Partial sums inputs of 8 to
// 64 bytes in its dispatch, with a few instructions, whatever the
// implementation: that is faster than any call.) It is meant for tests and
// benchmarks and is not safe to call while other goroutines checksum. It
// fails if no implementation has that name or this CPU cannot run it.
func Use(name string) (restore func(), err error) {
	im, ok := lookup(name)
	if !ok {
		return nil, fmt.Errorf("csum: no implementation %q in this build", name)
	}
	if !im.Available {
		return nil, fmt.Errorf("csum: implementation %q is not available on this CPU", name)
	}
	prev, prevPinned := activeID, pinned
	activeID, pinned = im.id, true
	return func() { activeID, pinned = prev, prevPinned }, nil
}
