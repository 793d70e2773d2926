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
}

// impl is an implementation compiled in: its name, whether this CPU can
// run it, and the number by which archPartial and archCopy call its
// kernels (0 for generic). Dispatch goes through their switch of direct
// calls rather than function values, so that the compiler sees that no
// buffer escapes: a caller's array on the stack stays there.
type impl struct {
	name      string
	available bool
	id        int
}

// impls lists every implementation compiled in, best first; the portable
// code is always last.
var impls = append(archImpls, impl{"generic", true, 0})

// active is the implementation Partial and Copy use now.
var active = choose()

type activeImpl struct {
	impl
	// short lets Partial sum inputs of 8 to shortLen bytes itself: true
	// for the implementation chosen at start-up, false for one pinned by
	// Use, so that a pinned implementation is what runs for every length.
	short bool
}

// choose returns the best available implementation.
func choose() activeImpl {
	for _, im := range impls {
		if im.available {
			return activeImpl{im, true}
		}
	}
	panic("csum: no implementation available") // generic always is
}

// Implementations returns every implementation compiled into this binary,
// best first, whether or not this CPU can run it. "generic" is always
// present and always available.
func Implementations() []Implementation {
	out := make([]Implementation, len(impls))
	for i, im := range impls {
		id := im.id
		out[i] = Implementation{
			Name:      im.name,
			Available: im.available,
			Partial:   func(b []byte, sum Sum) Sum { return archPartial(id, b, sum) },
			Copy: checkedCopy(func(dst, src []byte, sum Sum) Sum {
				return archCopy(id, dst, src, sum)
			}),
		}
	}
	return out
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

// Active returns the name of the implementation Partial and Copy use now.
func Active() string { return active.name }

// Use makes Partial and Copy run the implementation called name, for every
// length, until restore is called. (Without Use, Partial sums inputs of 8 to
// 64 bytes with a few lines of Go, whatever the implementation: that is
// faster than any call.) It is meant for tests and benchmarks and is not safe to
// call while other goroutines checksum. It fails if no implementation has that
// name or this CPU cannot run it.
func Use(name string) (restore func(), err error) {
	for _, im := range impls {
		if im.name != name {
			continue
		}
		if !im.available {
			return nil, fmt.Errorf("csum: implementation %q is not available on this CPU", name)
		}
		prev := active
		active = activeImpl{im, false}
		return func() { active = prev }, nil
	}
	return nil, fmt.Errorf("csum: no implementation %q in this build", name)
}
