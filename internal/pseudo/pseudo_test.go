package pseudo

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHashIsKeyedHMAC(t *testing.T) {
	h, err := New([]byte("0123456789abcdef0123"))
	if err != nil {
		t.Fatal(err)
	}
	m := hmac.New(sha256.New, []byte("0123456789abcdef0123"))
	m.Write([]byte("idno\x0011010519491231002X"))
	want := hex.EncodeToString(m.Sum(nil))[:HashChars]
	if got := h.Hash(KindIDNumber, "11010519491231002X"); got != want {
		t.Fatalf("Hash = %s, want %s", got, want)
	}
	if h.Hash(KindIDNumber, "x") != h.Clone().Hash(KindIDNumber, "x") {
		t.Error("a clone hashes differently")
	}
	if h.Hash(KindPhone, "13812345678") == h.Hash(KindIDNumber, "13812345678") {
		t.Error("kinds share a domain")
	}
	other, _ := New([]byte("another key of 16+ bytes"))
	if other.Hash(KindName, "张三") == h.Hash(KindName, "张三") {
		t.Error("the key does not change the hash")
	}
	if _, err := New([]byte("short")); err == nil {
		t.Error("a 5-byte key was accepted")
	}
}

func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "key")
	if err := os.WriteFile(file, []byte("  file-key-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if k, err := LoadKey(file, ""); err != nil || string(k) != "file-key-0123456789" {
		t.Errorf("file key: %q %v", k, err)
	}
	t.Setenv("EW_TEST_KEY", "env-key-0123456789")
	if k, err := LoadKey("", "EW_TEST_KEY"); err != nil || string(k) != "env-key-0123456789" {
		t.Errorf("env key: %q %v", k, err)
	}
	if _, err := LoadKey("", ""); !errors.Is(err, ErrNoKey) {
		t.Errorf("no key: %v", err)
	}
	_, err := LoadKey("", "EW_TEST_UNSET_KEY")
	if err == nil || !strings.Contains(err.Error(), "EW_TEST_UNSET_KEY") {
		t.Errorf("unset variable: %v", err)
	}
	t.Setenv("EW_TEST_SHORT", "tooshort")
	if _, err := LoadKey("", "EW_TEST_SHORT"); err == nil || strings.Contains(err.Error(), "tooshort") {
		t.Errorf("short key: %v (must fail without showing the key)", err)
	}
	if _, err := LoadKey(filepath.Join(dir, "missing"), ""); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing file: %v", err)
	}
}

func TestHash2IsHashOfTheJoinedValues(t *testing.T) {
	h, _ := New([]byte("test-key-0123456789abcdef"))
	if got, want := h.Hash2(KindNamePhone, "张三", "13812345678"), h.Hash(KindNamePhone, "张三\x0013812345678"); got != want {
		t.Errorf("Hash2 = %s, Hash of the joined values = %s", got, want)
	}
}
