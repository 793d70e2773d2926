//go:build !(amd64 || arm64) || !gc || purego

package usercopy

// probeExact: the probe touches an aligned word of the page, not the byte it
// is given.
const probeExact = false

// probeWord returns an aligned 32-bit word in the page of user address addr
// that lies inside [base, end), for a probe that must use a whole word. There
// is none only when Base or End is not 4-byte aligned and the page holds
// fewer than 4 bytes of the space.
func (w window) probeWord(addr uintptr) (uintptr, bool) {
	page := addr &^ pageMask
	lo := max(page, w.base)
	hi := min(page+pageMask, w.end-1) // last byte, inclusive: cannot overflow
	word := (lo + 3) &^ 3
	if word < lo || word > hi || hi-word < 3 {
		return 0, false
	}
	return word, true
}
