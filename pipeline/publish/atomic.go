package publish

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// An output is written under a temporary name in the output folder (tempName), synced, and
// renamed into place only when every output of the batch is complete (renameInto), after which
// the folder itself is synced. A reader of the folder sees each file whole, old or new.

// tempName is the name under which an output is written before it is renamed into place.
func tempName(dir, name string) string { return filepath.Join(dir, "."+name+".tmp") }

// removeTemps removes the temporary files of names that an earlier, killed run left in dir.
func removeTemps(dir string, names []string) error {
	for _, name := range names {
		if err := os.Remove(tempName(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return i18n.Wrap(err, "publish.err.remove_temp", tempName(dir, name))
		}
	}
	return nil
}

// renameInto renames the temporary files of names, in that order, to their names in dir, and
// syncs dir.
func renameInto(dir string, names []string) error {
	for _, name := range names {
		if err := os.Rename(tempName(dir, name), filepath.Join(dir, name)); err != nil {
			return i18n.Wrap(err, "publish.err.rename", name)
		}
	}
	return syncFile(dir)
}

// writeFileSynced creates path, lets write fill it through a buffer, and syncs and closes it.
func writeFileSynced(path string, write func(w io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// syncFile flushes a file (or folder) that something else wrote to stable storage.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
