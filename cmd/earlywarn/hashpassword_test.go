package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// TestHashPasswordPiped: a script pipes one line; no prompt is shown; a password shorter than the
// minimum or longer than bcrypt takes is refused with the limit in the message.
func TestHashPasswordPiped(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		code     int
		pw, msg  string // the password hashed, or the message on stderr
	}{
		{"ten characters", "0123456789\n", exitOK, "0123456789", ""},
		{"ten Chinese characters", "春眠不觉晓处处闻啼鸟\n", exitOK, "春眠不觉晓处处闻啼鸟", ""},
		{"first line only, CRLF", "correct horse\r\nsecond line\n", exitOK, "correct horse", ""},
		{"no line end", "correct horse", exitOK, "correct horse", ""},
		{"short", "short\n", exitUsage, "", "密码只有 5 个字符，至少需要 10 个字符"},
		{"nine characters", "012345678\n", exitUsage, "", "至少需要 10 个字符"},
		{"too long", strings.Repeat("密", 25) + "\n", exitUsage, "", "密码有 75 字节，超过 bcrypt 能计算哈希的 72 字节"},
		{"empty", "\n", exitUsage, "", "标准输入中没有密码"},
		{"not UTF-8", "\xff\xfe0123456789\n", exitUsage, "", "不是有效的 UTF-8"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Run(context.Background(), []string{"hash-password"}, strings.NewReader(tt.in), &out, &errb)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, errb.String())
			}
			if tt.code != exitOK {
				if !strings.Contains(errb.String(), tt.msg) || out.Len() != 0 {
					t.Errorf("stderr %q, want %q; stdout %q", errb.String(), tt.msg, out.String())
				}
				return
			}
			if errb.Len() != 0 {
				t.Errorf("a piped password printed %q on stderr", errb.String())
			}
			if err := bcrypt.CompareHashAndPassword([]byte(strings.TrimSpace(out.String())), []byte(tt.pw)); err != nil {
				t.Errorf("%q is not a hash of %q: %v", out.String(), tt.pw, err)
			}
		})
	}
	// The refusal in English says the minimum too.
	var out, errb bytes.Buffer
	if code := Run(context.Background(), []string{"hash-password", "--lang", "en"}, strings.NewReader("short\n"), &out, &errb); code != exitUsage ||
		!strings.Contains(errb.String(), "at least 10") {
		t.Errorf("en: exit %d, %q", code, errb.String())
	}
}

// TestAskTwice: on a terminal the password is asked for twice, with a prompt that states the
// minimum; the two must agree, and a short one is refused before the second question.
func TestAskTwice(t *testing.T) {
	p := i18n.Printer("zh")
	answers := func(ans ...string) (func(string) (string, error), *[]string) {
		var prompts []string
		return func(prompt string) (string, error) {
			prompts = append(prompts, prompt)
			if len(ans) == 0 {
				return "", errors.New("closed")
			}
			a := ans[0]
			ans = ans[1:]
			return a, nil
		}, &prompts
	}
	ask, prompts := answers("correct horse", "correct horse")
	if pw, err := askTwice(p, ask); err != nil || pw != "correct horse" {
		t.Errorf("matching: %q, %v", pw, err)
	}
	if len(*prompts) != 2 || !strings.Contains((*prompts)[0], "请输入密码（至少 10 个字符") || !strings.Contains((*prompts)[1], "再输入一次") {
		t.Errorf("prompts %q", *prompts)
	}

	ask, _ = answers("correct horse", "correct hors")
	if _, err := askTwice(p, ask); err == nil || exitCode(err) != exitUsage || !strings.Contains(i18n.Localize("zh", err), "两次输入的密码不一致") {
		t.Errorf("differing: %v", err)
	}

	ask, prompts = answers("short", "short")
	if _, err := askTwice(p, ask); err == nil || !strings.Contains(i18n.Localize("zh", err), "至少需要 10 个字符") || len(*prompts) != 1 {
		t.Errorf("short: %v after %d prompts", err, len(*prompts))
	}

	ask, _ = answers()
	if _, err := askTwice(p, ask); err == nil || !strings.Contains(i18n.Localize("zh", err), "无法从终端读取密码") {
		t.Errorf("closed terminal: %v", err)
	}
}
