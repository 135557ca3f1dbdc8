package publish

import (
	"encoding/json"
	"io"

	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// writeSummaryJSON writes the run record, indented, with a final newline, and its input
// warnings as the run's terminal report says them in lang (warning_messages), for a reader of
// the file who does not know the codes.
func writeSummaryJSON(path string, s *runrecord.Summary, lang string) error {
	name := func(rule string) string { return s.Rules[rule].Name.In(lang, rule) }
	b, err := json.MarshalIndent(struct {
		*runrecord.Summary
		WarningMessages []string `json:"warning_messages,omitempty"`
	}{s, runrecord.Lines(lang, s.Warnings, name)}, "", "  ")
	if err != nil {
		return err
	}
	return writeFileSynced(path, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}
