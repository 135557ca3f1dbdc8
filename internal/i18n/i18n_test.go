package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// verbs matches fmt verbs (with flags, width, precision and explicit argument indexes).
var verbs = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*(\d+|\*)?(\.(\d+|\*))?(\[\d+\])?[vTtbcdoOqxXUeEfFgGsp]`)

// TestCatalogueComplete checks that every language has the same keys, and that a message uses
// the same verbs in every language (so the same arguments fit each).
func TestCatalogueComplete(t *testing.T) {
	zh := catalogue[Default]
	if len(zh) == 0 {
		t.Fatal("the zh catalogue is empty")
	}
	for _, lang := range Languages[1:] {
		other := catalogue[lang]
		for k := range zh {
			if _, ok := other[k]; !ok {
				t.Errorf("%s/ lacks key %q", lang, k)
			}
		}
		for k := range other {
			if _, ok := zh[k]; !ok {
				t.Errorf("zh/ lacks key %q (found in %s/)", k, lang)
			}
		}
		for k, zf := range zh {
			of, ok := other[k]
			if !ok {
				continue
			}
			a, b := verbs.FindAllString(zf, -1), verbs.FindAllString(of, -1)
			if !sameVerbs(a, b) {
				t.Errorf("key %q: zh uses %v, %s uses %v", k, a, lang, b)
			}
		}
	}
}

// sameVerbs compares verb lists; explicit indexes allow another order.
func sameVerbs(a, b []string) bool {
	if slices.ContainsFunc(a, func(v string) bool { return strings.Contains(v, "[") }) ||
		slices.ContainsFunc(b, func(v string) bool { return strings.Contains(v, "[") }) {
		a, b = slices.Clone(a), slices.Clone(b)
		slices.Sort(a)
		slices.Sort(b)
		a, b = slices.Compact(a), slices.Compact(b)
	}
	return slices.Equal(a, b)
}

// TestNoEnglishInChinese checks that a Chinese message is not an untranslated English one.
func TestNoEnglishInChinese(t *testing.T) {
	words := regexp.MustCompile(`[A-Za-z]{4,}`)
	for k, v := range catalogue["zh"] {
		stripped := verbs.ReplaceAllString(v, "")
		// Ids, file names, keys and commands may stay as they are: they are written in backquotes.
		stripped = regexp.MustCompile("`[^`]*`").ReplaceAllString(stripped, "")
		stripped = regexp.MustCompile(`\{\{[^}]*\}\}`).ReplaceAllString(stripped, "")
		if len(words.FindAllString(stripped, -1)) > 2 {
			t.Errorf("zh message %q looks English: %q", k, v)
		}
	}
}

func TestT(t *testing.T) {
	if got := T("en", "error.cause", "x"); got != ": x" {
		t.Errorf("T = %q", got)
	}
	if got := T("fr", "error.cause", "x"); got != "：x" {
		t.Errorf("unknown language should fall back to zh, got %q", got)
	}
	if got := T("zh", "no.such.key", 3); got != "no.such.key 3" {
		t.Errorf("missing key = %q", got)
	}
}

// TestLocalizeThroughWrappers: an error that only prefixes a catalogue error keeps its prefix,
// and the catalogue error renders in the language asked for; so do joined ones.
func TestLocalizeThroughWrappers(t *testing.T) {
	inner := Errorf("error.cause", "x")
	wrapped := fmt.Errorf("SELECT 1: %w", inner)
	if got := Localize("en", wrapped); got != "SELECT 1: : x" {
		t.Errorf("wrapped = %q", got)
	}
	if got := Localize("zh", wrapped); got != "SELECT 1: ：x" {
		t.Errorf("wrapped = %q", got)
	}
	joined := errors.Join(wrapped, errors.New("plain"))
	if got := Localize("en", joined); got != "SELECT 1: : x\nplain" {
		t.Errorf("joined = %q", got)
	}
	// A wrapper that rewrites the text is left as it is.
	odd := fmt.Errorf("%w (again)", inner)
	if got := Localize("en", odd); got != odd.Error() {
		t.Errorf("odd = %q", got)
	}
}

// TestLocalizerArguments: an argument that renders itself (a Message, an error of the
// catalogue) renders in the language of the message it is part of.
func TestLocalizerArguments(t *testing.T) {
	m := M("error.cause", "x")
	if got := T("en", "error.cause", m); got != ": : x" {
		t.Errorf("message argument = %q", got)
	}
	if got := T("zh", "error.cause", Errorf("error.cause", "y")); got != "：：y" {
		t.Errorf("error argument = %q", got)
	}
	if m.String() != "：x" {
		t.Errorf("String = %q", m.String())
	}
}

// The operating system's errors on files read in the reader's language: the operation and the
// cause from the catalogue, the path as it is; an unknown cause stays as the system words it.
func TestOSErrorsAreLocalized(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&fs.PathError{Op: "open", Path: "/x/g.csv", Err: syscall.ENOENT}, "打开 /x/g.csv 失败：文件或文件夹不存在"},
		{&os.LinkError{Op: "rename", Old: "a.tmp", New: "a.csv", Err: syscall.EACCES}, "重命名 a.tmp 为 a.csv 失败：没有权限"},
		{fmt.Errorf("地名表：%w", &fs.PathError{Op: "write", Path: "g.csv", Err: syscall.ENOSPC}), "地名表：写入 g.csv 失败：磁盘空间不足"},
		{&fs.PathError{Op: "chmod", Path: "g.csv", Err: syscall.EROFS}, "chmod g.csv 失败：" + syscall.EROFS.Error()},
	} {
		if got := Localize("zh", c.err); got != c.want {
			t.Errorf("Localize(%v) = %q, want %q", c.err, got, c.want)
		}
	}
	if got, want := Localize("en", &fs.PathError{Op: "open", Path: "g.csv", Err: syscall.ENOENT}), "opening g.csv failed: no such file or folder"; got != want {
		t.Errorf("in English: %q, want %q", got, want)
	}
}
