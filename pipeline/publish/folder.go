package publish

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Shown says which run's outputs the output folder dir holds: the run summary.json names, ""
// when it has none or cannot be read. summary.json is renamed into place last, so the run it
// names published every output whole; whole says every output is still in dir. Outputs
// another run renamed in later, without its summary.json (killed while renaming), leave
// summary.json naming the earlier run: the caller compares it with the latest stored run.
func Shown(dir string) (runID string, whole bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, SummaryJSON))
	if errors.Is(err, os.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, i18n.Wrap(err, "publish.err.read_folder", dir)
	}
	var s struct {
		RunID string `json:"run_id"`
	}
	if json.Unmarshal(b, &s) != nil { // not a run record: the outputs are written again
		return "", false, nil
	}
	for _, name := range outputs {
		if _, err := os.Stat(filepath.Join(dir, name)); errors.Is(err, os.ErrNotExist) {
			return s.RunID, false, nil
		} else if err != nil {
			return "", false, i18n.Wrap(err, "publish.err.read_folder", dir)
		}
	}
	return s.RunID, true, nil
}
