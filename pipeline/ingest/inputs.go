package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/pseudo"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// InputFile is one input file of a run (Resolve finds them): the file of a canonical table, or
// a file read through the mapping profile, which loads cases with their contacts and events.
type InputFile struct {
	runrecord.Input // table, path, format, checksum, profile: what the run record shows

	latest  time.Time      // when not zero, records dated after it are quarantined
	limits  censusLimits   // of a canonical CSV file's records
	src     *profileInput  // set for files read through a profile
	sum     *pendingSum    // set while SHA256 is being computed
	counted *pendingCensus // a canonical CSV file's census, being taken; nil: take it when needed
}

// FileResult accounts for one input file (see runrecord.FileResult): ingest fills it, the run
// record shows it.
type FileResult = runrecord.FileResult

// Pseudonymisation notes for the run record (FileResult.Pseudonymisation, stored in runs.inputs
// and summary.json). They are stored values of a machine-read record, compared by tests and
// by whoever reads summary.json, so they stay as they are in every language; no output or
// message shows them.
const (
	keyConfigured = "keyed (HMAC-SHA256)"
	keyDemo       = "DEMO KEY (bundled sample only: these hashes protect nothing)"
	keyNotNeeded  = "not needed (canonical ids are already pseudonymous)"
	keyNoPersonal = "not needed (the profile maps no personal identifier)"
)

// profileInput is what loading a file through one source of a profile needs.
type profileInput struct {
	mapping *mapping
	hasher  *pseudo.Hasher // nil when the profile maps no personal field
	zone    *time.Location
	digest  string // mappingDigest of the source
}

// mappingDigest is a digest of everything that decides what a source's files load as: the
// source's settings and fields (its dictionaries' entries among them) and the run's time zone.
func mappingDigest(s *configs.ProfileSource, zone string) string {
	b, err := json.Marshal(struct {
		Source *configs.ProfileSource
		Zone   string
	}{s, zone})
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// Resolve finds a run's input files: canonical files (locateInputs; checksummed and counted in
// the background) without a profile, else every file of the profile's format in the input
// folder (or the input file itself).
// A profile that maps personal identifiers needs a pseudonymisation key; only the files of the
// bundled sample, recognised by their checksums (data.Sample), run without one, on the
// published demo key. latest, when not zero, is the last date a record may carry (the fixed
// as-of date).
func Resolve(cfg configs.Config, latest time.Time) ([]InputFile, error) {
	files, codes, err := resolveInputs(cfg, latest, true)
	if err == nil && codes != nil {
		return nil, codes
	}
	return files, err
}

// CheckHeaders checks, before a run reads any data, what it would reject in cfg's input files:
// the files a canonical folder needs and their required columns, a profile, its key for
// pseudonymising, which source each file of the folder is (or that it is ignored) and the
// columns each source names in its files' headers. It reads only the headers, reports every
// file's problems at once, and returns the files as a run would read them.
func CheckHeaders(cfg configs.Config) ([]runrecord.Input, error) {
	files, codes, err := resolveInputs(cfg, time.Time{}, false)
	if err != nil {
		return nil, err
	}
	errs := []error{codes} // a profile's codes, reported with the headers' problems
	inputs := make([]runrecord.Input, len(files))
	for i, f := range files {
		inputs[i] = f.Input
		if f.Ignored {
			continue
		}
		if err := checkHeader(f); err != nil {
			errs = append(errs, err)
		}
	}
	return inputs, errors.Join(errs...)
}

// checkHeader reads a file's header and checks it has the columns its table or profile needs.
func checkHeader(f InputFile) error {
	if f.src != nil {
		r, err := openSource(f.src.mapping, f.Path)
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
	return checkColumns(f, header)
}

// resolveInputs finds the input files; with checksums, it computes (or starts computing)
// each file's checksum. codes reports a profile's values that are no code of their field's list
// (the files are found all the same, so that validate reports their headers' problems too).
func resolveInputs(cfg configs.Config, latest time.Time, checksums bool) (files []InputFile, codes, err error) {
	key, err := pseudo.LoadKey(cfg.Pseudonymisation.KeyFile, cfg.Pseudonymisation.KeyEnv)
	note := keyConfigured
	switch {
	case errors.Is(err, pseudo.ErrNoKey):
		key, err = nil, nil
	case err != nil:
		return nil, nil, &configs.Error{Err: i18n.Wrap(err, "ingest.key.unusable")}
	}
	if cfg.Profile == "" {
		limits := censusLimits{maxBytes: cfg.Quarantine.MaxRecordBytes}
		files, err := locateInputs(cfg.Input)
		if err == nil && checksums {
			files = inBackground(files, limits)
		}
		for i := range files {
			files[i].Pseudonymisation = keyNotNeeded
			files[i].latest = latest
			files[i].limits = limits
		}
		return files, nil, err
	}
	prof, err := configs.LoadProfile(cfg.ProfilePath())
	if err != nil {
		return nil, nil, &configs.Error{Err: cfg.Locate(configs.Fieldf("profile", "config.problem", err))}
	}
	zone, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		return nil, nil, &configs.Error{Err: i18n.Wrap(err, "ingest.timezone", cfg.TimeZone)}
	}
	matched, ignored, err := profileFiles(cfg.Input, prof)
	if err != nil {
		return nil, nil, err
	}
	// Checksums of the files, when computed to decide on the demo key.
	sums := map[string]string{}
	var hasher *pseudo.Hasher
	if prof.Personal() {
		if key == nil {
			// Without a key, only the bundled sample may run, on the demo key. The files must
			// be its files, whatever folder holds them.
			if sums, err = sampleSums(matched); err != nil {
				return nil, nil, err
			}
			if sums == nil {
				return nil, nil, &configs.Error{Err: i18n.Errorf("ingest.key.needed", prof, pseudo.MinKeyBytes)}
			}
			key, note = []byte(pseudo.DemoKey), keyDemo
		}
		if hasher, err = pseudo.New(key); err != nil {
			return nil, nil, &configs.Error{Err: i18n.Wrap(err, "ingest.key.unusable")}
		}
	} else {
		note = keyNoPersonal
	}
	inputs := make([]*profileInput, len(prof.Sources))
	var codeErrs []error // a code no list has: the files are still found, and their headers checked
	for i := range prof.Sources {
		in := &profileInput{hasher: hasher, zone: zone, digest: mappingDigest(&prof.Sources[i], cfg.TimeZone)}
		if in.mapping, err = newMapping(&prof.Sources[i]); in.mapping == nil {
			return nil, nil, &configs.Error{Err: err}
		} else if err != nil {
			codeErrs = append(codeErrs, err)
		}
		in.mapping.maxRecordBytes = cfg.Quarantine.MaxRecordBytes
		inputs[i] = in
	}
	if codeErrs != nil && checksums {
		return nil, &configs.Error{Err: errors.Join(codeErrs...)}, nil // a run stops here, before reading the files
	}
	for i, paths := range matched {
		s := &prof.Sources[i]
		for _, p := range paths {
			sum := sums[p]
			if checksums && sum == "" {
				if sum, err = Checksum(p); err != nil {
					return nil, nil, err
				}
			}
			files = append(files, InputFile{Input: runrecord.Input{Table: canonicalTable(s.Table), Path: p, Format: s.Format, SHA256: sum,
				Profile: prof.Name, Source: s.Name, Mapping: inputs[i].digest, Pseudonymisation: note}, latest: latest, src: inputs[i]})
		}
	}
	// Cases first, then contacts and events, as canonical folders load.
	slices.SortStableFunc(files, func(a, b InputFile) int {
		return slices.IndexFunc(data.Tables, func(t data.Table) bool { return t.Name == a.Table.Name }) -
			slices.IndexFunc(data.Tables, func(t data.Table) bool { return t.Name == b.Table.Name })
	})
	for _, p := range ignored {
		files = append(files, InputFile{Input: runrecord.Input{Path: p, Profile: prof.Name, Ignored: true}})
	}
	if codeErrs != nil {
		return files, &configs.Error{Err: errors.Join(codeErrs...)}, nil
	}
	return files, nil, nil
}

// canonicalTable is the canonical table named n.
func canonicalTable(n string) data.Table {
	for _, t := range data.Tables {
		if t.Name == n {
			return t
		}
	}
	panic("ingest: no canonical table " + n) // the profile's check allows only these
}

// inBackground starts checksumming the canonical files, and taking the census of each CSV
// file, one file after another in the background, so that a file's checksum and census are
// taken while the files before it load.
func inBackground(files []InputFile, limits censusLimits) []InputFile {
	for i := range files {
		files[i].sum = &pendingSum{done: make(chan struct{})}
		if files[i].Format == "csv" {
			files[i].counted = &pendingCensus{done: make(chan struct{})}
		}
	}
	// The goroutine gets its own copies: callers may change the files returned.
	go func(files []InputFile) {
		for _, f := range files {
			f.sum.sum, f.sum.err = Checksum(f.Path)
			close(f.sum.done)
			if f.counted != nil {
				f.counted.census, f.counted.err = takeCensus(f.Path, f.Table, limits)
				close(f.counted.done)
			}
		}
	}(slices.Clone(files))
	return files
}

// locateInputs finds one file per canonical table in dir (cases.csv or cases.parquet, and so
// on); a missing or ambiguous table is an error that says what to provide.
func locateInputs(dir string) ([]InputFile, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, i18n.Errorf("ingest.input.no_folder", dir)
	}
	if !st.IsDir() {
		return nil, i18n.Errorf("ingest.input.file_no_profile", dir)
	}
	var files []InputFile
	for _, t := range data.Tables {
		var found []InputFile
		for _, ext := range inputFormats {
			p := filepath.Join(dir, t.Name+"."+ext)
			if _, err := os.Stat(p); err == nil {
				found = append(found, InputFile{Input: runrecord.Input{Table: t, Path: p, Format: ext}})
			}
		}
		switch len(found) {
		case 0:
			return nil, i18n.Errorf("ingest.input.missing_table", dir, t.Name, t.Name)
		case 1:
		default:
			return nil, i18n.Errorf("ingest.input.both_formats", dir, t.Name, t.Name)
		}
		files = append(files, found[0])
	}
	return files, nil
}

var inputFormats = []string{"csv", "parquet"}

// pendingSum is a checksum being computed in the background.
type pendingSum struct {
	done chan struct{}
	sum  string
	err  error
}

// pendingCensus is a census being taken in the background.
type pendingCensus struct {
	done   chan struct{}
	census census
	err    error
}

// census returns the census of f, a canonical CSV file, waiting for it if it is being taken.
func (f InputFile) census() (census, error) {
	if f.counted == nil {
		return takeCensus(f.Path, f.Table, f.limits)
	}
	<-f.counted.done
	return f.counted.census, f.counted.err
}

// checksummed returns f with its SHA256 filled in, waiting for it if needed.
func (f InputFile) checksummed() (InputFile, error) {
	if f.sum == nil {
		return f, nil
	}
	<-f.sum.done
	if f.sum.err != nil {
		return f, f.sum.err
	}
	f.SHA256, f.sum = f.sum.sum, nil
	return f, nil
}

// Checksum is the SHA-256 of the file at path, in hex; its error names the file.
func Checksum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", readError(path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", readError(path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// sampleSums returns the checksums of files, by path, when every one is a file of the bundled
// sample (data.Sample), else nil. A file of another size is not read.
func sampleSums(files [][]string) (map[string]string, error) {
	sums := map[string]string{}
	for _, paths := range files {
		for _, p := range paths {
			st, err := os.Stat(p)
			if err != nil {
				return nil, readError(p, err)
			}
			if !slices.ContainsFunc(data.Sample, func(f data.SampleFile) bool { return f.Size == st.Size() }) {
				return nil, nil
			}
			sum, err := Checksum(p)
			if err != nil {
				return nil, err
			}
			if !slices.ContainsFunc(data.Sample, func(f data.SampleFile) bool { return f.SHA256 == sum }) {
				return nil, nil
			}
			sums[p] = sum
		}
	}
	return sums, nil
}

// profileFiles finds the files of each of the profile's sources (in the order of its
// sources, each by name) and the files of a folder that match none. An input that is one file
// belongs to the source whose patterns it matches, or to the profile's only source. In a
// folder, a file matching two sources, or a source matching no file, is an error.
func profileFiles(input string, p *configs.Profile) (matched [][]string, ignored []string, err error) {
	matched = make([][]string, len(p.Sources))
	st, err := os.Stat(input)
	if err != nil {
		return nil, nil, i18n.Errorf("ingest.input.no_profile_input", input, p.Sources[0].Format)
	}
	if !st.IsDir() {
		i := slices.IndexFunc(p.Sources, func(s configs.ProfileSource) bool { return s.Matches(filepath.Base(input)) })
		if i < 0 && len(p.Sources) == 1 {
			i = 0
		}
		if i < 0 {
			return nil, nil, i18n.Errorf("ingest.input.file_no_source", input, p, sourcePatterns(p))
		}
		matched[i] = []string{input}
		return matched, nil, nil
	}
	entries, err := os.ReadDir(input)
	if err != nil {
		return nil, nil, i18n.Wrap(err, "ingest.input.folder", input)
	}
	var errs []error
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		path := filepath.Join(input, e.Name())
		var hits []string
		for i := range p.Sources {
			if p.Sources[i].Matches(e.Name()) {
				hits = append(hits, p.Sources[i].Name)
				if len(hits) == 1 {
					matched[i] = append(matched[i], path)
				}
			}
		}
		switch len(hits) {
		case 0:
			ignored = append(ignored, path)
		case 1:
		default:
			errs = append(errs, i18n.Errorf("ingest.input.two_sources", path, strings.Join(hits, ", "), p))
		}
	}
	for i := range p.Sources {
		if len(matched[i]) == 0 {
			s := &p.Sources[i]
			errs = append(errs, i18n.Errorf("ingest.input.no_source_files", input, s.Name, s, sourcePatternsOf(s)))
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	return matched, ignored, nil
}

// sourcePatterns lists each source's file-name patterns, for errors.
func sourcePatterns(p *configs.Profile) string {
	parts := make([]string, len(p.Sources))
	for i := range p.Sources {
		parts[i] = p.Sources[i].Name + ": " + sourcePatternsOf(&p.Sources[i])
	}
	return strings.Join(parts, "; ")
}

func sourcePatternsOf(s *configs.ProfileSource) string {
	if len(s.Files) > 0 {
		return strings.Join(s.Files, " | ")
	}
	return "*" + strings.Join(s.Extensions(), " | *")
}
