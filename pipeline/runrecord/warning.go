package runrecord

import (
	"fmt"
	"strings"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Warning says that a rule cannot mean anything on a run's input, stored without language: a
// code (its message is warning.<code> in the catalogue), the rule, whether the rule was skipped,
// and the arguments of the message, all text (the messages take %s only, so that the same
// arguments fit every language). Codes and thresholds: pipeline/inputcheck.go.
type Warning struct {
	Rule    string   `json:"rule"`
	Code    string   `json:"code"`
	Skipped bool     `json:"skipped"`
	Args    []string `json:"args"`
}

// Warning codes.
const (
	WarnNoClosing        = "no_closing"         // as of, cases past the handling clock, clock days
	WarnFieldEmpty       = "field_empty"        // field, days, cases
	WarnFieldMostlyEmpty = "field_mostly_empty" // field, days, cases, share empty
	WarnFieldConstant    = "field_constant"     // field, days, cases, the one value
	WarnAllConstant      = "all_constant"       // fields, days, cases
	WarnNoLetterText     = "no_letter_text"     // days, channels, cases of those channels, min chars
	WarnNoLetterChannel  = "no_letter_channel"  // days, channels, cases
	WarnOneLetterText    = "one_letter_text"    // days, letters, share of the commonest text
	WarnNoText           = "no_text"            // days, cases
	WarnNoPersons        = "no_persons"         // days, cases, share without a person
	WarnStalePending     = "stale_pending"      // as of, pending cases, those older than the days, days
	WarnShortHistory     = "short_history"      // first day of the records, days of records, days judged by count alone
)

// WarningCodes lists every warning code, for the catalogue's test.
var WarningCodes = []string{WarnNoClosing, WarnFieldEmpty, WarnFieldMostlyEmpty, WarnFieldConstant,
	WarnAllConstant, WarnNoLetterText, WarnNoLetterChannel, WarnOneLetterText, WarnNoText, WarnNoPersons, WarnStalePending, WarnShortHistory}

// Render renders the warning in lang: the rule (shown as rule: its name in lang, or its id),
// whether it was skipped, what is wrong with the input and what to do.
func (w Warning) Render(lang, rule string) string {
	args := make([]any, len(w.Args))
	for i, a := range w.Args {
		args[i] = a
	}
	if (w.Code == WarnNoLetterText || w.Code == WarnNoLetterChannel) && len(w.Args) > 1 {
		args[1] = namedCodes(lang, "channel", w.Args[1], func(code, name string) string {
			return i18n.T(lang, "quarantine.reason.code_named", name, code) // the rule's channels: their names first
		})
	}
	key := "warning.rule"
	if w.Skipped {
		key = "warning.rule_skipped"
	}
	return i18n.T(lang, key, rule, i18n.T(lang, "warning."+w.Code, args...))
}

// namedCodes writes a list of codes (separated by ", ", each in backticks or not) in lang, each
// code whose name in lang is not its own words as named writes the two, joined by the
// language's separator: 来信（`letter`）、网上（`online`）, accepted（受理）、closed（办结）.
func namedCodes(lang, group, list string, named func(code, name string) string) string {
	codes := strings.Split(list, ", ")
	for i, c := range codes {
		if name := i18n.Label(lang, group, strings.Trim(c, "`")); letters(name) != letters(c) {
			codes[i] = named(c, name)
		}
	}
	return strings.Join(codes, i18n.T(lang, "quarantine.reason.code_sep"))
}

// problem is the warnings alike but for their rule: one of them and the rules, named.
type problem struct {
	w     Warning
	rules []string
}

// problems groups ws into problems, in the order first given; name gives a rule's name.
func problems(ws []Warning, name func(rule string) string) []*problem {
	var ps []*problem
	index := map[string]*problem{}
	for _, w := range ws {
		key := fmt.Sprint(w.Code, w.Skipped, w.Args)
		p, ok := index[key]
		if !ok {
			p = &problem{w: w}
			index[key] = p
			ps = append(ps, p)
		}
		p.rules = append(p.rules, name(w.Rule))
	}
	return ps
}

// Lines renders ws in lang for the analyst (Render), warnings alike but for their rule sharing
// one line that names every rule it touched (name gives a rule's name).
func Lines(lang string, ws []Warning, name func(rule string) string) []string {
	var out []string
	for _, p := range problems(ws, name) {
		out = append(out, p.w.Render(lang, strings.Join(p.rules, i18n.T(lang, "warning.separator"))))
	}
	return out
}

// Briefs renders ws in lang for a leader: one line per problem, naming every rule it touched
// (name gives a rule's name), whether they were skipped, and what is wrong with the input in
// plain words (warning.brief.<code>: no config keys, no advice for the mapping, which the
// analyst's full message gives). Warnings alike but for their rule share a line, in the order
// first given.
func Briefs(lang string, ws []Warning, name func(rule string) string) []string {
	ps := problems(ws, name)
	out := make([]string, len(ps))
	for i, p := range ps {
		args := make([]any, len(p.w.Args))
		for j, a := range p.w.Args {
			args[j] = a
		}
		switch p.w.Code {
		case WarnFieldEmpty, WarnFieldMostlyEmpty, WarnFieldConstant:
			if len(args) > 0 && i18n.Has("cli.field."+p.w.Args[0]) {
				args[0] = i18n.T(lang, "cli.field."+p.w.Args[0])
			}
		}
		brief := "warning.brief." + p.w.Code
		if !strings.Contains(i18n.T(lang, brief), "%") {
			args = nil // a brief of no figures takes none
		}
		key := "warning.brief.rules"
		if p.w.Skipped {
			key = "warning.brief.rules_skipped"
		}
		out[i] = i18n.T(lang, key, strings.Join(p.rules, i18n.T(lang, "warning.separator")), i18n.T(lang, brief, args...))
	}
	return out
}
