package publish

import (
	"encoding/json"
	"io"

	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// writeSummaryJSON writes the run record, indented, with a final newline.
func writeSummaryJSON(path string, s *runrecord.Summary) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return writeFileSynced(path, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}
