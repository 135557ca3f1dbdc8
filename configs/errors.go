package configs

import (
	"errors"
	"fmt"
	"strings"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// FieldError is a problem with one config key. Key is the dotted path, e.g.
// "rules[2].params.window_days"; the message comes from the catalogue (key Msg, arguments Args).
type FieldError struct {
	Key  string
	Msg  string
	Args []any
}

// Fieldf makes a *FieldError for key with the catalogue message msg.
func Fieldf(key, msg string, args ...any) *FieldError {
	return &FieldError{Key: key, Msg: msg, Args: args}
}

func (e *FieldError) Error() string { return e.Localize(i18n.Default) }

// Localize renders the problem in lang: the key, then what is wrong with it.
func (e *FieldError) Localize(lang string) string {
	return e.Key + ": " + i18n.T(lang, e.Msg, e.Args...)
}

// FileError lists every problem of a config file, each with its line where known. It is the
// error Load and Source.Locate return.
type FileError struct {
	File     string  // the config file's path, or "(built-in default)"
	Problems []Issue // in the order found
}

// Issue is one problem of a config file.
type Issue struct {
	Line    int    // 1-based; 0 when unknown
	Setting string // the flag or environment variable that set the value, instead of the file
	Err     error  // a *FieldError, an *i18n.Error, or another error
}

func (e *FileError) Error() string { return e.Localize(i18n.Default) }

// Localize renders every problem on its own line, each naming the file and, where known, the
// line.
func (e *FileError) Localize(lang string) string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("\n")
		}
		var fld *FieldError
		if p.Setting != "" && errors.As(p.Err, &fld) {
			fmt.Fprintf(&b, "%s: %s", p.Setting, oneLine(lang, i18n.T(lang, fld.Msg, fld.Args...)))
			continue
		}
		if p.Line > 0 {
			fmt.Fprintf(&b, "%s:%d: %s", e.File, p.Line, oneLine(lang, i18n.Localize(lang, p.Err)))
		} else {
			fmt.Fprintf(&b, "%s: %s", e.File, oneLine(lang, i18n.Localize(lang, p.Err)))
		}
	}
	return b.String()
}

// oneLine keeps a problem on one line, so that every line of a FileError names the file.
func oneLine(lang, msg string) string {
	if !strings.Contains(msg, "\n") {
		return msg
	}
	var parts []string
	for _, p := range strings.Split(msg, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, i18n.T(lang, "config.line_sep"))
}

// Flatten lists the errors joined in err (recursively), or err alone.
func Flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// Error is a configuration that cannot be used, found when a command prepares to run: rules
// that do not compile, DuckDB settings it refuses, a profile, or a key the inputs need. Nothing
// was read or written. Err says why; it may localize.
type Error struct{ Err error }

func (e *Error) Error() string { return e.Localize(i18n.Default) }

// Localize renders the problem in lang.
func (e *Error) Localize(lang string) string { return i18n.Localize(lang, e.Err) }
func (e *Error) Unwrap() error               { return e.Err }

// IsConfigError reports whether err is a problem of the configuration (a *FileError, a
// *FieldError or an *Error anywhere in its chain).
func IsConfigError(err error) bool {
	var fe *FileError
	var fld *FieldError
	var ce *Error
	return errors.As(err, &fe) || errors.As(err, &fld) || errors.As(err, &ce)
}
