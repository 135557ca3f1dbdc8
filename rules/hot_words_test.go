package rules

import "testing"

// A topic word begins and ends with neither a function character nor a function word.
func TestTrimWord(t *testing.T) {
	for w, want := range map[string]string{
		"房价之外":   "房价",
		"垃圾站选址的": "垃圾站选址",
		"离小区":    "小区",
		"要求解决a":  "要求解决",
		"的房价以来":  "房价",
		"以外":     "",
		"物业收费":   "物业收费",
	} {
		if got := trimWord(w); got != want {
			t.Errorf("trimWord(%q) = %q, want %q", w, got, want)
		}
	}
}
