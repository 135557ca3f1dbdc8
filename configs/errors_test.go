package configs

import (
	"errors"
	"testing"
)

// A problem of several lines is told on one line, its lines joined in the reader's language.
func TestFileErrorJoinsAProblemsLinesInItsLanguage(t *testing.T) {
	e := &FileError{File: "p.yaml", Problems: []Issue{{Line: 3, Err: errors.New("first\nsecond")}}}
	if got, want := e.Localize("zh"), "p.yaml:3: first；second"; got != want {
		t.Errorf("zh %q, want %q", got, want)
	}
	if got, want := e.Localize("en"), "p.yaml:3: first; second"; got != want {
		t.Errorf("en %q, want %q", got, want)
	}
}
