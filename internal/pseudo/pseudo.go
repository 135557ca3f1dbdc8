// Package pseudo turns personal identifiers into keyed hashes (HMAC-SHA256), so that records
// of one person can be linked without the identifier ever being stored, logged or shown.
package pseudo

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io/fs"
	"os"
	"strings"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// MinKeyBytes is the shortest key accepted.
const MinKeyBytes = 16

// DemoKey is the published key of the bundled sample. Hashes made with it protect nothing:
// anyone can recompute them. Runs that use it say so.
const DemoKey = "earlywarn-demo-key-for-the-bundled-sample-only"

// Kinds of identifier; each is hashed in its own domain, so an id number and a phone number
// with the same digits never collide.
const (
	KindIDNumber  = "idno"
	KindNamePhone = "name+phone"
	KindName      = "name"
	KindPhone     = "phone"
)

// Hasher computes keyed hashes. It is not safe for concurrent use; Clone gives each goroutine
// its own.
type Hasher struct {
	key []byte
	mac hash.Hash
	buf []byte
}

// New returns a Hasher for key, which must have at least MinKeyBytes bytes.
func New(key []byte) (*Hasher, error) {
	if len(key) < MinKeyBytes {
		return nil, i18n.Errorf("pseudo.key_short", len(key), MinKeyBytes)
	}
	k := append([]byte(nil), key...)
	return &Hasher{key: k, mac: hmac.New(sha256.New, k)}, nil
}

// Clone returns an independent Hasher with the same key.
func (h *Hasher) Clone() *Hasher {
	c, _ := New(h.key)
	return c
}

// HashChars is the length of a Hash: the HMAC-SHA256 truncated to 128 bits, in hex. That is
// far beyond collision range for any office's records and halves what the tables store.
const HashChars = 32

// Hash returns the hex HMAC-SHA256 of kind and value, truncated to HashChars characters.
func (h *Hasher) Hash(kind, value string) string {
	h.buf = append(append(append(h.buf[:0], kind...), 0), value...)
	return h.sum()
}

// Hash2 is Hash(kind, a+"\x00"+b), for an identifier made of two values.
func (h *Hasher) Hash2(kind, a, b string) string {
	h.buf = append(append(append(append(append(h.buf[:0], kind...), 0), a...), 0), b...)
	return h.sum()
}

// sum returns the truncated hex HMAC of h.buf.
func (h *Hasher) sum() string {
	h.mac.Reset()
	h.mac.Write(h.buf)
	var sum [sha256.Size]byte
	var out [HashChars]byte
	hex.Encode(out[:], h.mac.Sum(sum[:0])[:HashChars/2])
	return string(out[:])
}

// Short returns the first 16 hex characters of Hash, for raw values in quarantine records
// where a reader only needs to tell values apart.
func (h *Hasher) Short(kind, value string) string {
	return "hmac:" + h.Hash(kind, value)[:16]
}

// ErrNoKey means no key was configured.
var ErrNoKey error = i18n.Errorf("pseudo.no_key")

// LoadKey reads the key from the file named keyFile, else from the environment variable named
// keyEnv. Surrounding white space is dropped. Errors name the file or variable, never the key.
func LoadKey(keyFile, keyEnv string) ([]byte, error) {
	switch {
	case keyFile != "":
		b, err := os.ReadFile(keyFile)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, i18n.Errorf("pseudo.key_file_missing", keyFile)
		}
		if err != nil {
			return nil, i18n.Wrap(errors.Unwrap(err), "pseudo.key_file_unreadable", keyFile)
		}
		k := []byte(strings.TrimSpace(string(b)))
		if len(k) < MinKeyBytes {
			return nil, i18n.Errorf("pseudo.key_file_short", keyFile, len(k), MinKeyBytes)
		}
		return k, nil
	case keyEnv != "":
		v, ok := os.LookupEnv(keyEnv)
		if !ok || strings.TrimSpace(v) == "" {
			return nil, i18n.Errorf("pseudo.key_env_unset", keyEnv)
		}
		k := []byte(strings.TrimSpace(v))
		if len(k) < MinKeyBytes {
			return nil, i18n.Errorf("pseudo.key_env_short", keyEnv, len(k), MinKeyBytes)
		}
		return k, nil
	}
	return nil, ErrNoKey
}
