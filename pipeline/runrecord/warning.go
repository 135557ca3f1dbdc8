package runrecord

import "github.com/earlywarn/earlywarn/internal/i18n"

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
	WarnOneLetterText    = "one_letter_text"    // days, letters, share of the commonest text
	WarnNoText           = "no_text"            // days, cases
	WarnNoPersons        = "no_persons"         // days, cases, share without a person
)

// WarningCodes lists every warning code, for the catalogue's test.
var WarningCodes = []string{WarnNoClosing, WarnFieldEmpty, WarnFieldMostlyEmpty, WarnFieldConstant,
	WarnAllConstant, WarnNoLetterText, WarnOneLetterText, WarnNoText, WarnNoPersons}

// Render renders the warning in lang: the rule (shown as rule: its name in lang, or its id),
// whether it was skipped, what is wrong with the input and what to do.
func (w Warning) Render(lang, rule string) string {
	args := make([]any, len(w.Args))
	for i, a := range w.Args {
		args[i] = a
	}
	key := "warning.rule"
	if w.Skipped {
		key = "warning.rule_skipped"
	}
	return i18n.T(lang, key, rule, i18n.T(lang, "warning."+w.Code, args...))
}
