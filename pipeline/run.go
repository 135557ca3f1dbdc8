package pipeline

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/ingest"
	"github.com/earlywarn/earlywarn/pipeline/publish"
	"github.com/earlywarn/earlywarn/rules"
	"github.com/earlywarn/earlywarn/web/review"
)

// Options are the per-invocation settings of a run that are not configuration.
type Options struct {
	// AsOf is the screening date; zero for the latest date in the data not after Today. The run
	// screens the records as they stood that day: those dated later are loaded and left out.
	AsOf time.Time
	// Today is the day the run happens; zero for today's date by the clock in the config's time
	// zone. Records dated after it are quarantined, and AsOf may not be after it.
	Today    time.Time
	Version  string   // earlywarn version, for the run record
	Reporter Reporter // nil for none
	DB       *sql.DB  // an open database (from OpenDB) to run on instead of opening cfg.Database; not closed
	// Full screens every case with every rule and stores the run, even when the latest stored
	// run's results still stand (see Run) or its flags stand for cases whose records have not
	// changed (see rescreen.go).
	Full bool
}

// Run is the nightly job: load new input files, screen as of a date, store the flags, the
// watchlist and a run record, and publish the outputs. It writes the database in two
// transactions, so that screening reads committed tables, for which DuckDB keeps the statistics
// its plans need:
//
//  0. first, when the output folder does not hold the latest stored run's outputs whole (a run
//     killed while publishing), they are written again from the database (see republish);
//  1. the load: every input file, the reject-rate check, contact linking and the as-of date
//     (given, it must fall within the data; else the latest date not after today), all or nothing;
//  2. screening, building the watchlist and comparing it with earlier runs write only
//     connection-local temporary tables;
//  3. the run: flags, watchlist, changes, lifted dismissals and the run record, all or nothing.
//
// A run that fails or is killed in the load leaves the database as it was. One that fails or
// is killed after it leaves the inputs loaded and no run for them: the next run adopts that
// load (its files and quarantined rows count as its own), screens and stores the run. One
// killed after its run is stored leaves its outputs unpublished: the next run writes them
// again, and its own outputs carry that run's files and quarantined rows.
//
// A night with nothing new screens nothing: when the run loaded, adopted, classified and read
// for places nothing, and the latest stored run screened as of the same day on the same basis
// (Summary.Basis) with no review action since it started, a full screening would give that
// run's results again. Unless opts.Full, Run then stores and publishes nothing (the output
// folder already holds that run's outputs, whole) and returns a summary without a run id that
// names that run as Standing.
func Run(ctx context.Context, plan *Plan, opts Options) (*Summary, error) {
	started := time.Now()
	cfg, rs := plan.Config, plan.Rules
	rep := orQuiet(opts.Reporter)
	today, asOf := runDay(opts.Today, cfg.TimeZone), dateOf(opts.AsOf)
	if asOf.After(today) {
		return nil, &ConfigError{Err: i18n.Errorf("run.err.as_of_future", day(asOf), day(today), cfg.TimeZone)}
	}
	rep.Step("run.step.inputs")
	// A first run that fails before its load commits leaves no database file behind.
	_, statErr := os.Stat(cfg.Database)
	fresh := opts.DB == nil && errors.Is(statErr, fs.ErrNotExist)
	ses, err := plan.open(ctx, cfg.Database, opts.DB, today)
	if err != nil {
		return nil, err
	}
	defer ses.close(ctx)
	conn := ses.conn

	s := &Summary{
		RunID: newRunID(started), StartedAt: started.UTC(), Version: opts.Version,
		ConfigPath: cfg.SourceName(), ConfigHash: cfg.Hash(), Database: cfg.Database,
		ScreenBasis: screenBasis(cfg, opts.Version), Timings: map[string]float64{},
	}
	s.Basis = runBasis(cfg, s.ScreenBasis)
	// Before anything else, the output folder gets the latest stored run's outputs, whole.
	t := time.Now()
	u, err := republish(ctx, ses, cfg, rep)
	if err != nil {
		return nil, err
	}
	s.Republished, s.UnpublishedRuns = u.republished, u.runs
	if u.republished != "" {
		s.Timings["republish"] = time.Since(t).Seconds()
	}

	t = time.Now()
	err = db.InTransaction(ctx, conn, func() error {
		if err := ses.createSchema(ctx, cfg.Database); err != nil {
			return err
		}
		adopted, err := adoptInterruptedLoads(ctx, conn, s.RunID)
		if err != nil {
			return err
		}
		if s.Inputs, s.Links, err = load(ctx, conn, s.RunID, ses.inputs, adopted, cfg.Quarantine.MaxRejectRate, cfg.Linking, rep); err != nil {
			return err
		}
		if s.Inputs, err = carryUnpublished(ctx, conn, s.UnpublishedRuns, s.Inputs); err != nil {
			return err
		}
		if plan.category != nil {
			if s.Categories, err = classifyCategories(ctx, conn, plan.category, cfg.Text, rep); err != nil {
				return err
			}
		}
		given := !asOf.IsZero()
		if asOf, s.DataLatest, err = screeningDate(ctx, conn, asOf, today); err != nil {
			return err
		}
		if !given && s.DataLatest == "" {
			if s.RecordsLatest, err = recordsLatest(ctx, conn, asOf); err != nil {
				return err
			}
		}
		s.AfterAsOf, err = db.Counts(ctx, conn, afterAsOfSQL, sql.Named("as_of", day(asOf)))
		return err
	})
	if err != nil {
		if fresh {
			ses.close(ctx)
			removeDatabase(cfg.Database)
		}
		return nil, err
	}
	s.Timings["ingest"] = time.Since(t).Seconds()
	s.AsOf = day(asOf)
	// From here on the load is committed: a failure stores no run, and the next run screens it.
	unscreened := func(err error) error { return &UnscreenedLoadError{RunID: s.RunID, Err: err} }

	var placesRead int64
	if plan.places != nil {
		t = time.Now()
		if placesRead, err = plan.extractPlaces(ctx, conn, rep); err != nil {
			return nil, unscreened(err)
		}
		s.Timings["places"] = time.Since(t).Seconds()
	}
	if !opts.Full {
		standing, err := standingRun(ctx, conn, s, asOf, placesRead)
		if err != nil {
			return nil, unscreened(err)
		}
		if standing != nil {
			s.RunID, s.Standing, s.Outputs = "", standing.RunID, outputPaths(cfg.Output)
			s.WatchlistItems, s.Tiers, s.Families, s.States = standing.WatchlistItems, standing.Tiers, standing.Families, standing.States
			s.DueSoon, s.DueSoonDays, s.TitleGist, s.BareTitles = standing.DueSoon, standing.DueSoonDays, standing.TitleGist, standing.BareTitles
			s.FinishedAt = time.Now().UTC()
			s.Timings["total"] = s.FinishedAt.Sub(started).Seconds()
			return s, nil
		}
	}

	t = time.Now()
	rep.Step("run.step.screen", s.AsOf)
	if err := plan.keepLetters(ctx, conn, asOf, asOf); err != nil {
		return nil, unscreened(err)
	}
	// The latest stored run's reasons are this run's for the same facts when it is on this run's
	// screening basis: the same config and program render them alike (in both languages).
	carry, err := db.Column[bool](ctx, conn, sameBasisSQL, sql.Named("basis", s.ScreenBasis))
	if err != nil {
		return nil, unscreened(err)
	}
	// Rules keep what they count over their period for the next run, which reads only what
	// changed since (a full run counts everything again); the store below keeps it.
	screenCtx := rules.KeepCounts(ctx, !opts.Full)
	if s.Rules, s.Warnings, err = screen(screenCtx, conn, rs, cfg.Clocks, cfg.Watchlist, asOf, carry[0], opts.Full, rep); err != nil {
		return nil, unscreened(err)
	}
	quiet, err := db.Column[int64](ctx, conn, quietMattersSQL)
	if err != nil {
		return nil, unscreened(err)
	}
	s.QuietMatters = quiet[0]
	s.Timings["screen"] = time.Since(t).Seconds()

	t = time.Now()
	s.Topics, err = findTopics(ctx, conn, cfg, asOf, rep)
	releaseGoMemory()
	if err != nil {
		return nil, unscreened(err)
	}
	if s.Topics != nil {
		s.Timings["topics"] = time.Since(t).Seconds()
	}
	// Every contact of the screened cases is the largest table screening holds, and nothing
	// after topics reads it: the watchlist, tracking and publishing get its memory.
	if err := db.DropTemp(ctx, conn, db.CaseContacts); err != nil {
		return nil, unscreened(err)
	}

	t = time.Now()
	rep.Step("run.step.watchlist")
	if s.BareTitles, err = buildWatchlist(ctx, conn, cfg.Watchlist, namerOf(rs), cfg.Lang, asOf); err != nil {
		return nil, unscreened(err)
	}
	// Without closing data no deadline means anything (see checkInputs): no days overdue, no
	// due-soon list.
	if s.DeadlinesUnknown, err = deadlinesUnknown(ctx, conn, s.Warnings, cfg.Clocks, asOf); err != nil {
		return nil, unscreened(err)
	}
	deadlines := !s.DeadlinesUnknown
	prevRun, prevAsOf, sameDay, err := track(ctx, conn, cfg.Watchlist, asOf, deadlines)
	if err != nil {
		return nil, unscreened(err)
	}
	s.PrevAsOf, s.SameAsOfRuns = prevAsOf, sameDay
	s.Timings["watchlist"] = time.Since(t).Seconds()

	t = time.Now()
	rep.Step("run.step.store")
	err = db.InTransaction(ctx, conn, func() error {
		seq, err := db.Column[int64](ctx, conn, nextRunSeqSQL)
		if err != nil {
			return err
		}
		if err := storeFlags(ctx, conn, s.RunID, seq[0]); err != nil {
			return err
		}
		if err := storeDigests(ctx, conn, asOf); err != nil {
			return err
		}
		if err := rules.StoreKept(ctx, conn); err != nil {
			return err
		}
		if err := storeTopics(ctx, conn, s.RunID); err != nil {
			return err
		}
		if s.States, err = storeWatchlist(ctx, conn, s.RunID, seq[0], asOf, prevRun); err != nil {
			return err
		}
		if s.Tiers, s.Families, err = watchlistCounts(ctx, conn, s.RunID); err != nil {
			return err
		}
		s.DueSoonDays, s.TitleGist = cfg.Watchlist.DueSoonDays, cfg.Watchlist.TitleGist
		if !deadlines {
			s.DueSoonDays = 0
		}
		if s.DueSoon, err = storeDueSoon(ctx, conn, s.RunID, asOf, s.DueSoonDays); err != nil {
			return err
		}
		for _, n := range s.Tiers {
			s.WatchlistItems += n
		}
		s.Timings["store"] = time.Since(t).Seconds()
		s.FinishedAt = time.Now().UTC()
		s.Timings["total"] = s.FinishedAt.Sub(started).Seconds()
		s.Outputs = outputPaths(cfg.Output)
		return recordRun(ctx, conn, s, seq[0], rs)
	})
	if err != nil {
		return nil, unscreened(err)
	}

	rep.Step("run.step.publish", cfg.Output)
	if err := publish.Publish(ctx, conn, ses.db, cfg.Output, PublishSettings(cfg), s, rep); err != nil {
		return nil, i18n.Wrap(err, "publish.err.not_written", s.RunID, cfg.Database)
	}
	return s, nil
}

// runBasis is the digest of what a run's results follow from besides the records
// (Summary.Basis): its screening basis (screen, from screenBasis) and how outputs are written
// (the language, the leaders' list and the sheets' rows).
func runBasis(cfg configs.Config, screen string) string {
	return digest(struct {
		Screen, Lang         string
		LeaderTop, SheetRows int
	}{screen, cfg.Lang, cfg.Watchlist.LeaderTop, cfg.Watchlist.SheetRows})
}

// screenBasis is the digest of what a run's flags and their reasons follow from besides the
// records (Summary.ScreenBasis): the config's behaviour (its hash), the program (its version and
// the digest of its executable, so that any other build counts as another program) and the
// time zone.
func screenBasis(cfg configs.Config, version string) string {
	return digest(struct{ Config, Version, Program, TimeZone string }{cfg.Hash(), version, programDigest(), cfg.TimeZone})
}

// digest is the SHA-256 of v's JSON, in hex; v holds strings and numbers only.
func digest(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// programDigest is the SHA-256 of the running executable, "" when it cannot be read (then no
// run's results are taken to stand for another's program but by its version).
var programDigest = sync.OnceValue(func() string {
	path, err := os.Executable()
	if err != nil {
		return ""
	}
	sum, err := ingest.Checksum(path)
	if err != nil {
		return ""
	}
	return sum
})

// inertActions are the review app's actions that change no matter (see run_standing.sql).
var inertActions = []string{review.ActSignIn, review.ActSignOut, review.ActRun}

// standingRun returns the latest stored run's record when its results still stand for run s
// (see Run): s loaded, adopted, classified and read for places nothing (it may carry only that
// run's own files, when it wrote that run's outputs again), and that run screened as of asOf on
// s's basis with no review action since. It returns nil otherwise.
func standingRun(ctx context.Context, q *sql.Conn, s *Summary, asOf time.Time, placesRead int64) (*Summary, error) {
	if placesRead > 0 || s.Categories != nil && s.Categories.Total() > 0 {
		return nil, nil
	}
	for _, f := range s.Inputs {
		if !f.Skipped && !f.Ignored || f.LoadedBy != "" {
			return nil, nil
		}
	}
	ids, err := db.Column[string](ctx, q, standingRunSQL, sql.Named("as_of", day(asOf)), sql.Named("basis", s.Basis),
		sql.Named("inert", inertActions))
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	for _, f := range s.Inputs {
		if f.UnpublishedRun != "" && f.UnpublishedRun != ids[0] {
			return nil, nil
		}
	}
	rec, err := storedRecord(ctx, q, ids[0], s.Database)
	if err != nil {
		return nil, i18n.Wrap(err, "run.err.stored_record", ids[0])
	}
	return rec, nil
}

// dropTempTables drops the connection's temporary tables.
func dropTempTables(ctx context.Context, q *sql.Conn) {
	names, err := db.Column[string](ctx, q, "SELECT table_name FROM duckdb_tables() WHERE temporary")
	if err != nil {
		return
	}
	for _, n := range names {
		_, _ = q.ExecContext(ctx, "DROP TABLE IF EXISTS temp.main."+db.Ident(n))
	}
}

// load ingests the input files (ingest.Load), holding each to maxRejectRate, then links the
// contacts that have no case id and, when rows were loaded, counts the records whose case is
// missing.
func load(ctx context.Context, q *sql.Conn, runID string, inputs []ingest.InputFile, adopted []FileResult, maxRejectRate float64, linking configs.Linking, rep Reporter) ([]FileResult, LinkResult, error) {
	results, err := ingest.Load(ctx, q, runID, inputs, adopted, configs.Quarantine{MaxRejectRate: maxRejectRate}, rep)
	if err != nil {
		return nil, LinkResult{}, err
	}
	links, err := linkContacts(ctx, q, linking)
	if err != nil || !slices.ContainsFunc(results, func(r FileResult) bool { return r.Loaded > 0 }) {
		return results, links, err
	}
	var m MissingCases
	var ids string
	if err := q.QueryRowContext(ctx, missingCasesSQL).Scan(&m.Contacts, &m.Events, &ids); err != nil {
		return nil, links, i18n.Wrap(err, "run.err.linking")
	}
	if m.Contacts+m.Events > 0 {
		m.CaseIDs = strings.Split(ids, "\x1f")
		links.OfMissingCases = &m
	}
	return results, links, nil
}

// adoptInterruptedLoads gives runID the files and quarantined rows of loads whose run was
// never stored (killed or failed after its load committed), and returns those files' results.
func adoptInterruptedLoads(ctx context.Context, q *sql.Conn, runID string) ([]FileResult, error) {
	adopted, err := storedLoads(ctx, q, adoptedLoadsSQL, nil, func(r *FileResult, run string) { r.LoadedBy = run })
	if err != nil {
		return nil, i18n.Wrap(err, "run.err.interrupted_loads")
	}
	if len(adopted) == 0 {
		return nil, nil
	}
	for _, stmt := range adoptLoadsSQL {
		if _, err := q.ExecContext(ctx, stmt, runID); err != nil {
			return nil, i18n.Wrap(err, "run.err.adopt_loads")
		}
	}
	return adopted, nil
}

// UnscreenedLoadError is a run that failed after its load committed: the input files are
// loaded and no run is stored for them. The next run adopts the load and screens it.
type UnscreenedLoadError struct {
	RunID string
	Err   error
}

func (e *UnscreenedLoadError) Error() string { return e.Localize(i18n.Default) }

// Localize renders the error in lang: why the run stopped, and what became of its load.
func (e *UnscreenedLoadError) Localize(lang string) string {
	return i18n.T(lang, "run.err.unscreened", i18n.Localize(lang, e.Err), e.RunID)
}

func (e *UnscreenedLoadError) Unwrap() error { return e.Err }

// ConfigError is a config that does not validate, or that the inputs cannot be read with;
// nothing was read or written.
type ConfigError = configs.Error

// ErrNoData means the database holds no records to screen.
var ErrNoData error = i18n.Errorf("run.err.no_data")

// runDay is the day a run happens, as a date (midnight UTC, as dates parsed from the command
// line are): given's date, or when given is zero today's date by the clock in zone.
func runDay(given time.Time, zone string) time.Time {
	if !given.IsZero() {
		return dateOf(given)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC // configs.Validate rejects such a zone; Prepare's DuckDB settings too
	}
	return dateOf(time.Now().In(loc))
}

// dateOf is t's calendar date at midnight UTC, the form every date of a run takes; zero stays
// zero.
func dateOf(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// day formats a date as YYYY-MM-DD.
func day(t time.Time) string { return t.Format(time.DateOnly) }

// dataDates returns the span of the loaded data: its earliest date and its latest date not after
// today. It returns ErrNoData when the tables hold no record dated on or before today.
func dataDates(ctx context.Context, q *sql.Conn, today time.Time) (first, latest time.Time, err error) {
	var f, l sql.NullTime
	if err := q.QueryRowContext(ctx, dataDatesSQL, sql.Named("today", day(today))).Scan(&f, &l); err != nil {
		return first, latest, err
	}
	if !f.Valid || !l.Valid {
		return first, latest, ErrNoData
	}
	return f.Time, l.Time, nil
}

// screeningDate is the date a run screens as of: asOf when given; when asOf is zero, the latest
// date in the data not after today, or the as-of date of the last stored run when that is later
// (a night whose export holds nothing newer, after a run given a later date, screens that date
// again rather than going back: going back is for a given --as-of). held is then the data's
// latest date, else empty. An as-of date before the earliest date in the data would screen
// nothing: it is a ConfigError (a mistyped --as-of), not an empty watchlist.
func screeningDate(ctx context.Context, q *sql.Conn, asOf, today time.Time) (_ time.Time, held string, err error) {
	first, latest, err := dataDates(ctx, q, today)
	if err != nil {
		return asOf, "", err
	}
	if asOf.IsZero() {
		var last sql.NullTime
		if err := q.QueryRowContext(ctx, lastRunAsOfSQL).Scan(&last); err != nil {
			return asOf, "", err
		}
		if last.Valid && last.Time.After(latest) {
			return dateOf(last.Time), day(latest), nil
		}
		return latest, "", nil
	}
	if asOf.Before(first) {
		return asOf, "", &ConfigError{Err: i18n.Errorf("run.err.as_of_before_data", day(asOf), day(first))}
	}
	return asOf, "", nil
}

// eventsAhead is how many days the events may reach past the latest case received or contact
// made before a run that took its as-of date from the data says so (recordsLatest).
const eventsAhead = 30

// recordsLatest returns the latest day up to asOf a case was received or a contact made, when it
// is more than eventsAhead days before asOf (the date came from an event); else "".
func recordsLatest(ctx context.Context, q *sql.Conn, asOf time.Time) (string, error) {
	var latest sql.NullTime
	if err := q.QueryRowContext(ctx, recordsLatestSQL, sql.Named("as_of", day(asOf))).Scan(&latest); err != nil {
		return "", err
	}
	if !latest.Valid || !dateOf(latest.Time).AddDate(0, 0, eventsAhead).Before(asOf) {
		return "", nil
	}
	return day(latest.Time), nil
}

func watchlistCounts(ctx context.Context, q *sql.Conn, runID string) (tiers, families map[string]int64, err error) {
	if tiers, err = db.Counts(ctx, q, tierCountsSQL, runID); err != nil {
		return nil, nil, err
	}
	families, err = db.Counts(ctx, q, familyCountsSQL, runID)
	return tiers, families, err
}

// recordRun stores run s's record as the seq-th run stored.
func recordRun(ctx context.Context, q *sql.Conn, s *Summary, seq int64, rs []*rules.Rule) error {
	params := make(map[string]map[string]any, len(rs))
	for _, r := range rs {
		params[r.ID] = r.Params()
	}
	js := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err) // run records hold only JSON-encodable values
		}
		return string(b)
	}
	_, err := q.ExecContext(ctx, recordRunSQL,
		s.RunID, s.StartedAt, s.FinishedAt, s.AsOf, s.Version, s.ConfigPath, s.ConfigHash,
		js(s.Inputs), js(params), js(s.Rules), js(s.Timings), s.WatchlistItems, js(s), seq)
	return err
}

func newRunID(t time.Time) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return t.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}

// removeDatabase removes a database file and its write-ahead log, as far as it can: what is
// left is an empty database, which the next run uses as it is.
func removeDatabase(path string) {
	for _, p := range []string{path + ".wal", path} {
		os.Remove(p)
	}
}
