//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/sys/unix"
)

// lockedBuffer is a bytes.Buffer safe to read while the command writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// openPTY returns the two ends of a new pseudo-terminal.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	// Through SyscallConn, not Fd, which would make reads of the master block past deadlines.
	rc, err := master.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if cerr := rc.Control(func(fd uintptr) {
		if err = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); err == nil {
			n, err = unix.IoctlGetInt(int(fd), unix.TIOCGPTN)
		}
	}); cerr != nil || err != nil {
		t.Skipf("cannot unlock the pseudo-terminal: %v %v", cerr, err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("cannot open the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return master, tty
}

// TestHashPasswordOnATerminalHidesInput types the password twice on a real (pseudo-)terminal:
// each prompt is on stderr, the terminal does not echo what is typed, and the hash is of it.
func TestHashPasswordOnATerminalHidesInput(t *testing.T) {
	master, tty := openPTY(t)
	var out bytes.Buffer
	var errb lockedBuffer
	done := make(chan int, 1)
	go func() { done <- Run(context.Background(), []string{"hash-password"}, tty, &out, &errb) }()

	const pw = "correct horse battery"
	prompts := []string{"请输入密码（至少 10 个字符", "请再输入一次密码"}
	for _, prompt := range prompts {
		// Type only once the prompt is out and the terminal has stopped echoing.
		deadline := time.Now().Add(time.Minute)
		for {
			tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(errb.String(), prompt) && tio.Lflag&unix.ECHO == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no prompt %q with echo off; stderr %q", prompt, errb.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
		if _, err := master.WriteString(pw + "\n"); err != nil {
			t.Fatal(err)
		}
	}
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if err := bcrypt.CompareHashAndPassword([]byte(strings.TrimSpace(out.String())), []byte(pw)); err != nil {
		t.Errorf("%q is not a hash of the password: %v", out.String(), err)
	}
	// Whatever the terminal showed: the password is not in it. With the terminal's end closed,
	// the master reads what is left, then fails.
	tty.Close()
	master.SetReadDeadline(time.Now().Add(10 * time.Second))
	var shown []byte
	buf := make([]byte, 4096)
	for {
		n, err := master.Read(buf)
		shown = append(shown, buf[:n]...)
		if err != nil {
			break
		}
	}
	if bytes.Contains(shown, []byte("correct")) {
		t.Errorf("the terminal echoed the password: %q", shown)
	}
	if strings.Contains(errb.String(), "correct") {
		t.Errorf("stderr shows the password: %q", errb.String())
	}
}
