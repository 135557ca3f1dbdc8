// Package review is the leaders' side of the watchlist: labels shared by the report, the Excel
// export and the review app, the review tables (ownership, progress notes, audit log) and the
// reads and writes on them. It does not import the pipeline; the pipeline calls into it.
package review

import "github.com/earlywarn/earlywarn/internal/i18n"

// Languages of every label; zh is the default.
const (
	LangZH = "zh"
	LangEN = "en"
)

// Tiers in order of urgency.
var Tiers = []string{"red", "orange", "yellow"}

// labelGroups are the groups of the catalogue's label.<group>.<code> keys that Label looks a
// code up in, in this order. Watchlist changes (label.state.*) are not among them: "reopened"
// is an event type here and a change there.
var labelGroups = []string{"tier", "kind", "family", "rule", "review", "channel", "level", "event", "result", "role"}

// Label gives the display name of a code (tier, kind, family, rule kind, review state, channel,
// level, event type, evaluation result, role) in lang, from the message catalogue (internal/i18n, label.*); an
// unknown code, or a language the catalogue lacks, is shown as it is.
func Label(lang, code string) string {
	if !i18n.Supported(lang) {
		return code
	}
	for _, g := range labelGroups {
		if key := "label." + g + "." + code; i18n.Has(key) {
			return i18n.T(lang, key)
		}
	}
	return code
}

// Lang returns lang if it is supported, else LangZH.
func Lang(lang string) string {
	if lang == LangEN {
		return LangEN
	}
	return LangZH
}
