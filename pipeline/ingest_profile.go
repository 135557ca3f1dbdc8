package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/configs"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/pseudo"
	"github.com/earlywarn/earlywarn/internal/source"
	_ "github.com/earlywarn/earlywarn/internal/source/xlsx" // profiles may read xlsx
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// BundledSample is the input folder of the bundled sample, which may run on the demo key.
const BundledSample = "data/sample"

// Pseudonymisation notes for the run record.
const (
	keyConfigured = "keyed (HMAC-SHA256)"
	keyDemo       = "DEMO KEY (bundled sample only: these hashes protect nothing)"
	keyNotNeeded  = "not needed (canonical ids are already pseudonymous)"
)

// profileInput is what loading a file through a profile needs.
type profileInput struct {
	profile *source.Profile
	hasher  *pseudo.Hasher // nil when the profile maps no personal field
	zone    *time.Location
}

// PrepareInputs finds the run's input files: canonical files (FindInputs) without a profile,
// else every file of the profile's format in the input folder (or the input file itself).
// A profile that maps personal identifiers needs a pseudonymisation key; only the bundled
// sample runs without one, on the published demo key. latest, when not zero, is the last date
// a record may carry (the fixed as-of date).
func PrepareInputs(cfg configs.Config, latest time.Time) ([]InputFile, error) {
	return resolveInputs(cfg, latest, true)
}

// CheckInputs checks, before a run reads any data, what it would reject in its input files:
// the files a canonical folder needs and their required columns, a profile, its key for
// pseudonymising and the columns it names in every file's header. It reads only the headers.
func (p *Plan) CheckInputs() error {
	files, err := resolveInputs(p.Config, time.Time{}, false)
	if err != nil {
		return &ConfigError{Err: err}
	}
	for _, f := range files {
		if err := checkHeader(f); err != nil {
			return &ConfigError{Err: err}
		}
	}
	return nil
}

// checkHeader reads a file's header and checks it has the columns its table or profile needs.
func checkHeader(f InputFile) error {
	if f.src != nil {
		r, err := source.Open(f.src.profile, f.Path)
		if err != nil {
			return err
		}
		return r.Close()
	}
	if f.Format != "csv" {
		return nil // a Parquet file's columns are checked when it loads
	}
	header, err := readHeader(f.Path)
	if err != nil {
		return err
	}
	return checkRequiredColumns(f, header)
}

// resolveInputs finds the input files; with checksums, it computes (or starts computing)
// each file's checksum.
func resolveInputs(cfg configs.Config, latest time.Time, checksums bool) ([]InputFile, error) {
	key, err := pseudo.LoadKey(cfg.Pseudonymisation.KeyFile, cfg.Pseudonymisation.KeyEnv)
	note := keyConfigured
	switch {
	case errors.Is(err, pseudo.ErrNoKey) && isBundledSample(cfg.Input):
		key, note, err = []byte(pseudo.DemoKey), keyDemo, nil
	case errors.Is(err, pseudo.ErrNoKey):
		key, err = nil, nil
	case err != nil:
		return nil, &ConfigError{Err: err}
	}
	if cfg.Profile == "" {
		find := locateInputs
		if checksums {
			find = FindInputs
		}
		files, err := find(cfg.Input)
		for i := range files {
			files[i].Pseudonymisation = keyNotNeeded
			files[i].latest = latest
		}
		return files, err
	}
	prof, err := source.LoadProfile(cfg.Profile)
	if err != nil {
		return nil, &ConfigError{Err: err}
	}
	in := &profileInput{profile: prof}
	if in.zone, err = time.LoadLocation(cfg.TimeZone); err != nil {
		return nil, &ConfigError{Err: fmt.Errorf("timezone %q: %v", cfg.TimeZone, err)}
	}
	if prof.Personal() {
		if key == nil {
			return nil, &ConfigError{Err: fmt.Errorf("profile %s maps personal identifiers (names, id numbers or phones), which are stored only as keyed hashes: set pseudonymisation.key_file or pseudonymisation.key_env to a secret key of at least %d bytes", prof, pseudo.MinKeyBytes)}
		}
		if in.hasher, err = pseudo.New(key); err != nil {
			return nil, &ConfigError{Err: err}
		}
	} else {
		note = "not needed (the profile maps no personal identifier)"
	}
	paths, err := profileFiles(cfg.Input, prof)
	if err != nil {
		return nil, err
	}
	files := make([]InputFile, 0, len(paths))
	for _, p := range paths {
		var sum string
		if checksums {
			if sum, err = checksum(p); err != nil {
				return nil, err
			}
		}
		files = append(files, InputFile{Input: runrecord.Input{Table: data.Cases, Path: p, Format: prof.Format, SHA256: sum,
			Profile: prof.Name, Pseudonymisation: note}, latest: latest, src: in})
	}
	return files, nil
}

func isBundledSample(input string) bool {
	abs, err := filepath.Abs(input)
	return err == nil && strings.HasSuffix(filepath.ToSlash(abs), "/"+BundledSample)
}

// profileFiles is the input file, or the files of a folder with the profile's extensions, by name.
func profileFiles(input string, p *source.Profile) ([]string, error) {
	st, err := os.Stat(input)
	if err != nil {
		return nil, fmt.Errorf("input %s does not exist; point --input (or input: in the config) at a %s file or a folder of them", input, p.Format)
	}
	if !st.IsDir() {
		return []string{input}, nil
	}
	entries, err := os.ReadDir(input)
	if err != nil {
		return nil, fmt.Errorf("input folder %s: %w", input, err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && slices.Contains(p.Extensions(), strings.ToLower(filepath.Ext(e.Name()))) {
			out = append(out, filepath.Join(input, e.Name()))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("input folder %s has no %s file for profile %s", input, strings.Join(p.Extensions(), " or "), p)
	}
	return out, nil
}

// loadProfiled maps one file through its profile in Go, hands the rows and rejects to DuckDB
// as Arrow batches, validates codes and duplicate ids there, and loads the cases with the
// contact and events each implies: the first contact on the received date, "accepted" on the
// received date and "closed" on the closing date. It fills res's counts and timings.
func loadProfiled(ctx context.Context, q *sql.Conn, runID string, f InputFile, res *FileResult) error {
	in := f.src
	r, err := source.Open(in.profile, f.Path)
	if err != nil {
		return err
	}
	defer r.Close()
	newMapper := func() *source.Mapper {
		var hasher *pseudo.Hasher
		if in.hasher != nil {
			hasher = in.hasher.Clone()
		}
		return source.NewMapper(in.profile, hasher, in.zone, f.latest)
	}
	// The rows are loaded while later ones are still being mapped: Go side and hand-off
	// overlap, and are timed up to the last batch handed over and from there.
	start := time.Now()
	cases := streamCases(ctx, r, newMapper, runtime.GOMAXPROCS(0))
	stmt := "CREATE OR REPLACE TEMP TABLE stage_src AS SELECT * FROM src_cases"
	loadErr := fromArrow(ctx, q, "src_cases", cases, stmt)
	counts, mapped, err := cases.Wait()
	switch {
	case err != nil && !errors.Is(err, errStopped):
		return err // a read error, which DuckDB saw as a failing stream
	case ctx.Err() != nil:
		return ctx.Err()
	case loadErr != nil:
		return fmt.Errorf("load %s: %w", f.Path, loadErr)
	case err != nil:
		return fmt.Errorf("load %s: reading stopped before the end of the file; this is a bug, please report it", f.Path)
	}
	res.GoSeconds = mapped.Sub(start).Seconds()
	rejects, err := array.NewRecordReader(rejectSchema, []arrow.RecordBatch{rejectBatch(counts.Rejects)})
	if err != nil {
		return err
	}
	stmt = fmt.Sprintf("INSERT INTO quarantine SELECT %s, %s, line, field, reason, raw FROM src_rejects", literal(runID), literal(f.Path))
	if err := fromArrow(ctx, q, "src_rejects", rejects, stmt); err != nil {
		return fmt.Errorf("load %s: %w", f.Path, err)
	}
	res.HandOffSeconds = time.Since(mapped).Seconds()
	dropped, err := validate(ctx, q, runID, f, "stage_src", "_line")
	if err != nil {
		return err
	}
	var loaded int64
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM stage_src").Scan(&loaded); err != nil {
		return err
	}
	read, quarantined := counts.Read, int64(len(counts.Rejects))+dropped
	if read != loaded+quarantined {
		return fmt.Errorf("load %s: %d rows read but %d loaded and %d quarantined; this is a bug, please report it", f.Path, read, loaded, quarantined)
	}
	contacts := `SELECT case_id AS contact_id, case_id, received_date AS contact_date, channel, level,
  complainant_id AS person_id, head_count, category, township FROM stage_src`
	events := `SELECT case_id || ':accepted' AS event_id, case_id, 'accepted' AS event_type, received_date AS event_date FROM stage_src
UNION ALL SELECT case_id || ':closed', case_id, 'closed', closed_date FROM stage_src WHERE closed_date IS NOT NULL`
	// Records this file replaces are deleted first; a first load, into empty tables, has none.
	var replacing bool
	if err := q.QueryRowContext(ctx, "SELECT EXISTS (FROM cases) OR EXISTS (FROM contacts) OR EXISTS (FROM events)").Scan(&replacing); err != nil {
		return fmt.Errorf("load %s: %w", f.Path, err)
	}
	var stmts []string
	if replacing {
		stmts = append(stmts,
			"DELETE FROM cases WHERE case_id IN (SELECT case_id FROM stage_src)",
			"DELETE FROM contacts WHERE contact_id IN (SELECT case_id FROM stage_src)",
			"DELETE FROM events WHERE event_id IN (SELECT case_id || ':accepted' FROM stage_src UNION ALL SELECT case_id || ':closed' FROM stage_src)")
	}
	stmts = append(stmts,
		fmt.Sprintf("INSERT INTO cases (%s) SELECT %s FROM stage_src", columnList(data.Cases), columnList(data.Cases)),
		fmt.Sprintf("INSERT INTO contacts (%s) %s", columnList(data.Contacts), contacts),
		fmt.Sprintf("INSERT INTO events (%s) %s", columnList(data.Events), events),
		`INSERT INTO person_keys SELECT DISTINCT complainant_id, complainant_idno_key, complainant_namephone_key FROM stage_src
  WHERE complainant_idno_key IS NOT NULL OR complainant_namephone_key IS NOT NULL
  EXCEPT SELECT person_id, idno_key, namephone_key FROM person_keys`,
		"DROP TABLE stage_src")
	if err := execAll(ctx, q, stmts...); err != nil {
		return fmt.Errorf("load %s: %w", f.Path, err)
	}
	res.Read, res.Loaded, res.Quarantined = read, loaded, quarantined
	return nil
}
