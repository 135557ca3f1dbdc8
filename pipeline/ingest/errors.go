package ingest

import (
	"errors"
	"strings"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// The stage's errors come from the catalogue (internal/i18n, keys ingest.…): they print in the
// default language and render in the run's through i18n.Localize. A cause that is not of the
// catalogue (an operating system's, DuckDB's or a decoder's message) follows as it is.

// readError is a file that could not be read.
func readError(path string, err error) error {
	return i18n.Wrap(err, "ingest.read", path)
}

// missingColumn is an error of the catalogue that is errMissingColumn (errors.Is).
type missingColumn struct{ e *i18n.Error }

func (m missingColumn) Error() string               { return m.e.Error() }
func (m missingColumn) Localize(lang string) string { return m.e.Localize(lang) }
func (m missingColumn) Is(target error) bool        { return target == errMissingColumn }

func missingColumnf(key string, args ...any) error {
	return missingColumn{i18n.Errorf(key, args...)}
}

// cleanDuckErr keeps the first line of a DuckDB error, which says what went wrong; the rest
// repeats the statement.
func cleanDuckErr(err error) error {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i > 0 {
		msg = msg[:i]
	}
	return errors.New(msg)
}

// stringArgs converts strings to the arguments of a message.
func stringArgs(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
