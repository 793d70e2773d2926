//go:build (!(amd64 || arm64) || !gc || purego) && race && linux

package usercopy

import "golang.org/x/sys/unix"

// probeWrite proves the page of user address addr writable by asking the
// kernel to add zero to an aligned word of it atomically: FUTEX_WAKE_OP with
// FUTEX_OP_ADD and an operand of 0, which fails with EFAULT on a page that
// cannot be written and wakes no one. Race builds without the assembly probe
// use it because under the race detector sync/atomic runs in C
// (ThreadSanitizer), where a fault cannot be recovered. A page that is not
// writable stops the probe as a fault would, with its address returned.
func (w window) probeWrite(addr uintptr) (fault uintptr, ok bool) {
	word, ok := w.probeWord(addr)
	if !ok {
		return 0, false
	}
	const (
		futexWakeOp  = 5       // FUTEX_WAKE_OP
		futexPrivate = 128     // FUTEX_PRIVATE_FLAG
		addZero      = 1 << 28 // FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_EQ, 0)
	)
	p := w.at(word)
	_, _, errno := unix.Syscall6(unix.SYS_FUTEX, uintptr(p), futexWakeOp|futexPrivate, 0, 0, uintptr(p), addZero)
	if errno != 0 {
		return addr, false
	}
	return 0, true
}
