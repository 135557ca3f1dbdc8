// Package i18n is earlywarn's one message catalogue: every text a person reads (CLI messages
// and errors, progress steps, reasons, quarantine reasons, web pages, sheet and CSV headers,
// tier, state and rule labels) is looked up here by key, in Chinese (zh, the default) or
// English (en).
//
// The catalogue is a folder of YAML files per language (zh/, en/), one file per area of the
// product (cli, config, rules, run, web, …), each a flat map from key to a fmt format string.
// A key is defined once per language; a test checks that every language has the same keys and
// the same verbs. Keys are dotted, grouped by where the text appears (cli., config., rules.,
// reason., run., publish., web., csv., sheet., report., chart., label., and for the errors of
// the leaf packages synth., groundtruth., pseudo., calendar., idnum.). Formatting is plain fmt, so
// numbers and dates print exactly as in the data (golang.org/x/text/message would group
// digits, "18,336", in both languages).
package i18n

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"syscall"

	"go.yaml.in/yaml/v3"
)

// Languages are the languages of the catalogue, the default first.
var Languages = []string{"zh", "en"}

// Default is the language used when none is configured.
const Default = "zh"

//go:embed zh/*.yaml en/*.yaml
var files embed.FS

// catalogue maps language → key → format.
var catalogue = func() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range Languages {
		names, err := fs.Glob(files, lang+"/*.yaml")
		if err != nil || len(names) == 0 {
			panic(fmt.Sprintf("i18n: no message files for %s", lang))
		}
		all := map[string]string{}
		for _, name := range names {
			b, err := files.ReadFile(name)
			if err != nil {
				panic(err)
			}
			m := map[string]string{}
			if err := yaml.Unmarshal(b, &m); err != nil {
				panic(fmt.Sprintf("i18n: %s: %v", name, err))
			}
			for k, v := range m {
				if _, dup := all[k]; dup {
					panic(fmt.Sprintf("i18n: %s: key %q is defined twice", name, k))
				}
				all[k] = v
			}
		}
		out[lang] = all
	}
	return out
}()

// Supported reports whether lang is a language of the catalogue.
func Supported(lang string) bool { return slices.Contains(Languages, lang) }

// T formats the message key in lang with args (fmt verbs). Arguments that render themselves in
// a language (a Localizer: a Message, an *Error) are rendered in lang. An unknown language falls
// back to the default; a key missing from the catalogue (a bug the catalogue test catches)
// prints as the key itself with its arguments, so nothing is lost.
func T(lang, key string, args ...any) string {
	m, ok := catalogue[lang]
	if !ok {
		m = catalogue[Default]
	}
	args = localizeArgs(lang, args)
	format, ok := m[key]
	if !ok {
		if len(args) == 0 {
			return key
		}
		return key + fmt.Sprint(append([]any{" "}, args...)...)
	}
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// localizeArgs renders the Localizers and errors among args in lang (see Localize); args itself
// when there is none.
func localizeArgs(lang string, args []any) []any {
	var out []any
	for i, a := range args {
		var s string
		switch v := a.(type) {
		case Localizer:
			s = v.Localize(lang)
		case error:
			s = Localize(lang, v)
		default:
			continue
		}
		if out == nil {
			out = slices.Clone(args)
		}
		out[i] = s
	}
	if out == nil {
		return args
	}
	return out
}

// Message is a catalogue message rendered later, in the reader's language: as an argument of
// another message (T renders it in that message's language), or wherever a Localizer goes.
type Message struct {
	Key  string
	Args []any
}

// M makes the Message key with args.
func M(key string, args ...any) Message { return Message{Key: key, Args: args} }

// Localize renders the message in lang.
func (m Message) Localize(lang string) string { return T(lang, m.Key, m.Args...) }

// String renders the message in the default language.
func (m Message) String() string { return m.Localize(Default) }

// Label is the name of a code in lang: the message label.<group>.<code>, or the code itself when
// the catalogue does not name it (a value from the data, such as a township).
func Label(lang, group, code string) string {
	key := "label." + group + "." + code
	if !Has(key) {
		return code
	}
	return T(lang, key)
}

// Has reports whether the catalogue has key (in every language; the test keeps them equal).
func Has(key string) bool {
	_, ok := catalogue[Default][key]
	return ok
}

// Printer formats messages in one language.
type Printer string

// T formats the message key with args in the printer's language.
func (p Printer) T(key string, args ...any) string { return T(string(p), key, args...) }

// Lang is the printer's language.
func (p Printer) Lang() string { return string(p) }

// Error is an error whose text comes from the catalogue: it prints in the language it was made
// in, and Localize renders it in another.
type Error struct {
	Key  string
	Args []any
	Err  error // the cause, if any; printed after the message
}

// Errorf makes an *Error for key with args.
func Errorf(key string, args ...any) *Error { return &Error{Key: key, Args: args} }

// Wrap makes an *Error for key with args whose cause is err.
func Wrap(err error, key string, args ...any) *Error { return &Error{Key: key, Args: args, Err: err} }

// Error renders the error in the default language.
func (e *Error) Error() string { return e.Localize(Default) }

// Localize renders the error in lang.
func (e *Error) Localize(lang string) string {
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		if l, ok := a.(Localizer); ok {
			a = l.Localize(lang) // an argument that is a message is written in lang too
		}
		args[i] = a
	}
	msg := T(lang, e.Key, args...)
	if e.Err != nil {
		msg += T(lang, "error.cause", Localize(lang, e.Err))
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Localizer is an error that can render itself in a language.
type Localizer interface {
	Localize(lang string) string
}

// Localize renders err in lang: through its Localize method when it has one, each on its own
// line when err joins several (errors.Join), else its Error text. An error that only prefixes
// the one it wraps (fmt.Errorf("%s: %w", statement, err)) keeps its prefix, and the wrapped
// error is rendered in lang.
func Localize(lang string, err error) string {
	if err == nil {
		return ""
	}
	if l, ok := err.(Localizer); ok {
		return l.Localize(lang)
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		parts := make([]string, 0, len(j.Unwrap()))
		for _, e := range j.Unwrap() {
			parts = append(parts, Localize(lang, e))
		}
		return strings.Join(parts, "\n")
	}
	switch e := err.(type) {
	case *fs.PathError:
		return T(lang, "error.os.path", osOp(lang, e.Op), e.Path, osCause(lang, e.Err))
	case *os.LinkError:
		return T(lang, "error.os.link", osOp(lang, e.Op), e.Old, e.New, osCause(lang, e.Err))
	}
	msg := err.Error()
	if inner := errors.Unwrap(err); inner != nil {
		if prefix, ok := strings.CutSuffix(msg, inner.Error()); ok {
			return prefix + Localize(lang, inner)
		}
	}
	return msg
}

// osOp is a file operation of the operating system's errors (open, rename …) in lang; one the
// catalogue does not name stays as the system calls it.
func osOp(lang, op string) string {
	if key := "error.os.op." + op; Has(key) {
		return T(lang, key)
	}
	return op
}

// osCause is the cause of an operating-system error on a file in lang; one the catalogue does
// not name stays as the system words it.
func osCause(lang string, err error) string {
	for target, key := range map[error]string{fs.ErrNotExist: "error.os.not_exist", fs.ErrExist: "error.os.exist",
		fs.ErrPermission: "error.os.permission", syscall.ENOSPC: "error.os.no_space", syscall.EISDIR: "error.os.is_dir",
		syscall.ENOTDIR: "error.os.not_dir"} {
		if errors.Is(err, target) {
			return T(lang, key)
		}
	}
	return Localize(lang, err)
}
