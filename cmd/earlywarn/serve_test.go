package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/earlywarn/earlywarn/web"
)

// TestRunWhileTheServerHoldsTheDatabase: when the holder of the lock is a review server, run
// says to start the screening from the server.
func TestRunWhileTheServerHoldsTheDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ew.duckdb")
	holder := exec.Command(os.Args[0], "-test.run=^$")
	holder.Env = append(os.Environ(), "EARLYWARN_TEST_HOLD_DB="+db)
	stdin, _ := holder.StdinPipe()
	stdout, _ := holder.StdoutPipe()
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); holder.Wait() }()
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "ready\n" {
		t.Fatalf("holder: %q", line)
	}
	// What a server holding the database writes beside it.
	b, _ := json.Marshal(web.LockInfo{PID: holder.Process.Pid, Addr: "127.0.0.1:8080", Started: time.Now()})
	if err := os.WriteFile(web.LockInfoPath(db), b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := cli(t, "run", "--config", "../../configs/default.yaml", "--input", "testdata/tiny", "--db", db, "--out", filepath.Join(dir, "out"))
	if code != exitLocked || !strings.Contains(errs, "审阅服务器") || !strings.Contains(errs, fmt.Sprintf("PID %d", holder.Process.Pid)) ||
		!strings.Contains(errs, "http://127.0.0.1:8080/") || !strings.Contains(errs, "运行筛查") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	// A stale file from a server that is gone does not mislead: the PID differs.
	b, _ = json.Marshal(web.LockInfo{PID: holder.Process.Pid + 100000, Addr: "127.0.0.1:8080"})
	os.WriteFile(web.LockInfoPath(db), b, 0o644)
	code, _, errs = cli(t, "run", "--config", "../../configs/default.yaml", "--input", "testdata/tiny", "--db", db, "--out", filepath.Join(dir, "out"))
	if code != exitLocked || strings.Contains(errs, "审阅服务器") {
		t.Errorf("stale lock info: exit %d, stderr %q", code, errs)
	}
}

func TestHashPassword(t *testing.T) {
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"hash-password"}, strings.NewReader("s3cret pass\n"), &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	hash := strings.TrimSpace(out.String())
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte("s3cret pass")) != nil {
		t.Errorf("%q is not a bcrypt hash of the password", hash)
	}
	code = Run(context.Background(), []string{"hash-password"}, strings.NewReader(""), &out, &errb)
	if code != exitUsage || !strings.Contains(errb.String(), "标准输入中没有密码") {
		t.Errorf("empty stdin: exit %d, %s", code, errb.String())
	}
}

func serveConfig(t *testing.T, dir, users string) string {
	t.Helper()
	base, err := os.ReadFile("../../configs/default.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "serve.yaml")
	if err := os.WriteFile(path, append(base, []byte("\nquarantine: {max_reject_rate: 1}  # the tiny fixture rejects 3 of 10 cases\nserve:\n  addr: 127.0.0.1:0\n"+users)...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestServeConfigErrorsNameTheKey(t *testing.T) {
	dir := t.TempDir()
	cfg := serveConfig(t, dir, "  run_at: '25:00'\n  users:\n    - {name: a, role: boss, password_hash: plain}\n")
	code, _, errs := cli(t, "serve", "--config", cfg, "--db", filepath.Join(dir, "ew.duckdb"))
	for _, want := range []string{"serve.run_at", "serve.users[0].role", "serve.users[0].password_hash", "hash-password"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q: %s", want, errs)
		}
	}
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if code, _, errs := cli(t, "validate", "--config", cfg); code != exitUsage || !strings.Contains(errs, "serve.users[0].role") {
		t.Errorf("validate: exit %d %s", code, errs)
	}
}

// TestServeServesAndRunsTheScreening starts the server on the tiny fixture, signs in as an
// admin, runs the screening from the server and stops it.
func TestServeServesAndRunsTheScreening(t *testing.T) {
	dir := t.TempDir()
	h, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	cfg := serveConfig(t, dir, "  users:\n    - {name: root, role: admin, password_hash: '"+string(h)+"'}\n")
	db := filepath.Join(dir, "ew.duckdb")
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"serve", "--config", cfg, "--db", db, "--input", "testdata/tiny", "--out", filepath.Join(dir, "out")}, strings.NewReader(""), out, io.Discard)
	}()
	var base string
	for i := 0; i < 300 && base == ""; i++ {
		time.Sleep(100 * time.Millisecond)
		if m := regexp.MustCompile(`http://(\S+)/`).FindStringSubmatch(out.String()); m != nil {
			base = "http://" + m[1]
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("server did not start: %q", out.String())
	}
	if li, ok := web.ReadLockInfo(db); !ok || li.PID != os.Getpid() || "http://"+li.Addr != base {
		t.Errorf("lock info %+v %v, server at %s", li, ok, base)
	}
	c := &http.Client{Jar: newJar(), CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	body := get(t, c, base+"/login")
	token := regexp.MustCompile(`name="login_token" value="([^"]+)"`).FindStringSubmatch(body)[1]
	resp, err := c.PostForm(base+"/login", map[string][]string{"login_token": {token}, "user": {"root"}, "password": {"pw"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v %v", resp, err)
	}
	body = get(t, c, base+"/watchlist")
	if !strings.Contains(body, "数据库中还没有运行记录") {
		t.Errorf("a fresh database should say to run the screening first:\n%s", body)
	}
	body = get(t, c, base+"/login") // signed in: redirected, empty body
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	page := get(t, c, base+"/audit")
	m := csrf.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the audit page:\n%s", page)
	}
	resp, err = c.PostForm(base+"/run", map[string][]string{"csrf": {m[1]}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("run from the server: %v %v", resp, err)
	}
	body = get(t, c, base+"/watchlist?done=run")
	if !strings.Contains(body, "筛查已完成") || !strings.Contains(body, `class="matter-link"`) {
		t.Errorf("watchlist after the server's run:\n%s", body)
	}
	for _, name := range []string{"watchlist.csv", "report.html", "watchlist.xlsx"} {
		if _, err := os.Stat(filepath.Join(dir, "out", name)); err != nil {
			t.Errorf("the server's run did not write %s: %v", name, err)
		}
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("serve exit %d", code)
	}
	if _, ok := web.ReadLockInfo(db); ok {
		t.Error("lock info left behind after the server stopped")
	}
}

func get(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
