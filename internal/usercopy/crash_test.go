//go:build linux

package usercopy_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/iovkit/iovkit/internal/usercopy"
)

// childEnv names the crash a re-executed test binary is to perform.
const childEnv = "USERCOPY_TEST_CRASH"

// TestFaultOutsideCrashes checks that a fault outside the user range is not
// swallowed: with no recover of the program's own, the program dies of it,
// as it would without usercopy. Each case runs in a child process, the test
// binary run again.
func TestFaultOutsideCrashes(t *testing.T) {
	if c := os.Getenv(childEnv); c != "" {
		crash(t, c)
		return
	}
	for _, c := range []string{"go-memory", "bad-pointer"} {
		t.Run(c, func(t *testing.T) {
			out, err := runChild(t, c)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() == 0 {
				t.Fatalf("the child did not die: %v\n%s", err, out)
			}
			if strings.Contains(out, "child survived") ||
				!strings.Contains(out, "invalid memory address") || !strings.Contains(out, "SIGSEGV") {
				t.Fatalf("the child did not die of a fault (%v):\n%s", err, out)
			}
			t.Logf("the child died (%v):\n%s", err, firstLines(out, 4))
		})
	}
}

// crash performs one fault outside the user range, which must kill the
// process.
func crash(t *testing.T, which string) {
	f := newFixture(t, 1)
	outside := noAccess(t, ps)
	switch which {
	case "go-memory": // the Go side of a copy faults
		usercopy.CopyIn(outside[:10], f.as, f.base)
	case "bad-pointer": // a Space hands out memory that is not its own
		s := badSpace{f.base, f.as.End(), func(a uintptr) unsafe.Pointer {
			return unsafe.Pointer(&outside[a-f.base])
		}}
		usercopy.CopyOut(s, f.base+3, make([]byte, 10))
	}
	fmt.Println("child survived")
}

// runChild runs this test again in a child process with childEnv set. Under
// qemu-user without binfmt_misc the kernel cannot run the binary itself, so
// if it refuses, the child is run under qemu-$GOARCH, found on $PATH.
func runChild(t *testing.T, which string) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"-test.run=^" + strings.Split(t.Name(), "/")[0] + "$"}
	env := append(os.Environ(), childEnv+"="+which)
	cmd := exec.Command(exe, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if errors.Is(err, syscall.ENOEXEC) {
		qemu, lerr := exec.LookPath(qemuName())
		if lerr != nil {
			t.Skipf("cannot run the child: %v, and no %s: %v", err, qemuName(), lerr)
		}
		if dir := "/usr/" + gnuTriple() + "-linux-gnu"; dirExists(dir) {
			env = append(env, "QEMU_LD_PREFIX="+dir) // for a binary built with cgo
		}
		cmd = exec.Command(qemu, append([]string{exe}, args...)...)
		cmd.Env = env
		out, err = cmd.CombinedOutput()
	}
	return string(out), err
}

func qemuName() string { return "qemu-" + gnuTriple() }

// gnuTriple returns the GNU name of this architecture, as in qemu-aarch64
// and /usr/aarch64-linux-gnu.
func gnuTriple() string {
	switch runtime.GOARCH {
	case "arm64":
		return "aarch64"
	case "amd64":
		return "x86_64"
	}
	return runtime.GOARCH
}

func dirExists(dir string) bool {
	st, err := os.Stat(dir)
	return err == nil && st.IsDir()
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
