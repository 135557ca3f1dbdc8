package pipeline

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/ingest"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
	"github.com/earlywarn/earlywarn/rules"
)

// Plan is a loaded config made ready to run: its rules compiled and the DuckDB settings
// checked. Prepare makes one; run, backtest, serve and validate all start from it, so a config
// is checked and compiled once per command.
type Plan struct {
	Config configs.Config
	Rules  []*rules.Rule

	category *categoryModel // text.category_model, nil for none
	places   *placeReader   // nil when no enabled rule reads places from the text
}

// Prepare compiles cfg's rules and checks its DuckDB settings (time zone, threads, memory
// limit) on an in-memory database, so that everything a run would reject for its config is
// rejected before any data is read. cfg must come from configs.Load (or have passed
// cfg.Validate). Errors name their file and line where the config came from a file.
func Prepare(ctx context.Context, cfg configs.Config) (*Plan, error) {
	rs, err := rules.Compile(cfg.Rules, cfg.Clocks)
	if err != nil {
		return nil, &ConfigError{Err: cfg.Locate(err)}
	}
	cm, err := loadCategoryModel(cfg)
	if err != nil {
		return nil, err
	}
	pr, err := newPlaceReader(cfg, rs)
	if err != nil {
		return nil, err
	}
	mem, err := OpenDB(ctx, "", cfg)
	if err != nil {
		return nil, &ConfigError{Err: err}
	}
	if err := mem.Close(); err != nil {
		return nil, err
	}
	return &Plan{Config: cfg, Rules: rs, category: cm, places: pr}, nil
}

// session is what a run and a backtest share once their plan is made: the input files found,
// a connection to a database holding the schema.
type session struct {
	inputs  []ingest.InputFile
	db      *sql.DB
	conn    *sql.Conn
	closeDB bool
	memLog  *memoryLog // see MemoryLogEnv
}

// open finds the input files (records dated after today, the day of the run, are quarantined),
// opens the database at path (or uses given, which stays open) and a connection.
func (p *Plan) open(ctx context.Context, path string, given *sql.DB, today time.Time) (*session, error) {
	inputs, err := ingest.Resolve(p.Config, today)
	if err != nil {
		return nil, err
	}
	s := &session{inputs: inputs, db: given}
	if s.db == nil {
		if s.db, err = OpenDB(ctx, path, p.Config); err != nil {
			return nil, err
		}
		s.closeDB = true
	}
	if s.conn, err = s.db.Conn(ctx); err != nil {
		s.close(ctx)
		return nil, err
	}
	s.memLog = startMemoryLog(s.db)
	return s, nil
}

// CheckInputs checks, before a run reads any data, what it would reject in its input files
// (ingest.CheckHeaders): the files a canonical folder needs and their required columns, a
// profile, its key for pseudonymising and the columns it names in every file's header. It
// reads only the headers.
func (p *Plan) CheckInputs() ([]runrecord.Input, error) {
	inputs, err := ingest.CheckHeaders(p.Config)
	if err != nil && !configs.IsConfigError(err) {
		err = &ConfigError{Err: err} // validate's findings are problems of the config or its input
	}
	return inputs, err
}

// SampleRecords maps the first records of each file the config reads through a profile, as a
// run would, and says which fields of them a run would quarantine (ingest.SampleRecords).
func (p *Plan) SampleRecords() ([]ingest.Sample, error) {
	return ingest.SampleRecords(p.Config)
}

// profile loads the config's profile; nil without one.
func (p *Plan) profile() (*configs.Profile, error) {
	if p.Config.Profile == "" {
		return nil, nil
	}
	return configs.LoadProfile(p.Config.ProfilePath())
}

// PersonlessRules returns the enabled rules that count distinct complainants (rules.Needs
// Persons) when the config reads its input through a profile that maps no complainant field
// in any source: every case of theirs then counts as a person of its own (the run warns of it
// once it sees the data, see checkInputs). nil without a profile or with a mapped complainant.
func (p *Plan) PersonlessRules() ([]string, error) {
	return p.rulesUnserved(func(s *configs.ProfileSource) bool {
		_, ok := s.Fields["complainant_id"]
		return ok || s.Personal()
	}, func(n rules.Needs) bool { return n.Persons })
}

// ClosinglessRules returns the enabled rules that read the outcome of handling (rules.Needs
// Closing: the stalled rules, escalation after an answer) when the config reads its input
// through a profile that can give no closing record: no events source, and no cases source
// mapping an answer or closing date. The run then skips them once cases stand past the handling
// clock, and lists nothing due soon (see checkInputs, deadlinesUnknown). nil without a profile.
func (p *Plan) ClosinglessRules() ([]string, error) {
	return p.rulesUnserved(func(s *configs.ProfileSource) bool {
		_, answered := s.Fields["answered_date"]
		_, closed := s.Fields["closed_date"]
		return s.Table == configs.TableEvents || s.Table == configs.TableCases && (answered || closed)
	}, func(n rules.Needs) bool { return n.Closing })
}

// rulesUnserved returns the ids of the enabled rules that need what no source of the config's
// profile serves; nil without a profile or when one source serves it.
func (p *Plan) rulesUnserved(serves func(*configs.ProfileSource) bool, needs func(rules.Needs) bool) ([]string, error) {
	prof, err := p.profile()
	if prof == nil {
		return nil, err
	}
	for i := range prof.Sources {
		if serves(&prof.Sources[i]) {
			return nil, nil
		}
	}
	var ids []string
	for _, r := range p.Rules {
		if needs(r.Needs()) {
			ids = append(ids, r.ID)
		}
	}
	return ids, nil
}

// Unmapped is a case field the config's profile maps in no cases source, and the enabled rules
// that read it: the run skips them (see checkInputs: a group-by field empty in every case, no
// text to compare or to read places from).
type Unmapped struct {
	Field string
	Rules []string
}

// UnmappedFields returns, in the order of rules.GroupByFields then content, the case fields the
// enabled rules group by (wave, baseline) or read (content: copied letters, hot issue) that no
// cases source of the profile maps. nil without a profile.
func (p *Plan) UnmappedFields() ([]Unmapped, error) {
	prof, err := p.profile()
	if prof == nil {
		return nil, err
	}
	mapped := func(field string) bool {
		return slices.ContainsFunc(prof.Sources, func(s configs.ProfileSource) bool {
			_, ok := s.Fields[field]
			return s.Table == "cases" && ok
		})
	}
	var out []Unmapped
	for _, f := range append(slices.Clone(rules.GroupByFields), "content") {
		if mapped(f) {
			continue
		}
		u := Unmapped{Field: f}
		for _, r := range p.Rules {
			n := r.Needs()
			if slices.Contains(n.GroupBy, f) || f == "content" && (n.Letters != nil || n.Places) {
				u.Rules = append(u.Rules, r.ID)
			}
		}
		if len(u.Rules) > 0 {
			out = append(out, u)
		}
	}
	return out, nil
}

// extractPlaces reads the places of the new or changed texts into case_places (see places.go)
// when an enabled rule needs them, in a transaction of its own: a run killed in it leaves the
// table as it was, and the next run reads those texts again. It returns how many texts it read.
func (p *Plan) extractPlaces(ctx context.Context, q *sql.Conn, rep Reporter) (int64, error) {
	if p.places == nil {
		return 0, nil
	}
	rep.Step("run.step.places")
	var n int64
	err := db.InTransaction(ctx, q, func() error {
		var err error
		n, err = p.places.extract(ctx, q)
		return err
	})
	releaseGoMemory()
	if err != nil {
		return 0, i18n.Wrap(err, "run.err.places")
	}
	return n, nil
}

// keepLetters brings table case_letters up to date for screening as of each day from .. to
// (rules.LettersSQL) when an enabled rule compares letters, in a transaction of its own.
func (p *Plan) keepLetters(ctx context.Context, q *sql.Conn, from, to time.Time) error {
	stmts := rules.LettersSQL(p.Rules, from, to)
	if stmts == nil {
		return nil
	}
	if err := db.InTransaction(ctx, q, func() error { return rules.Exec(ctx, q, stmts) }); err != nil {
		return i18n.Wrap(err, "run.err.screen_tables")
	}
	return nil
}

// createSchema creates or updates the tables of a database.
func (s *session) createSchema(ctx context.Context, path string) error {
	if err := ensureSchema(ctx, s.conn); err != nil {
		return i18n.Wrap(err, "run.err.prepare_db", path)
	}
	return nil
}

// close drops the connection's temporary tables (the connection may go back to the pool of a
// caller's database, earlywarn serve's, and the screening tables, some as large as the
// contacts, must not stay with it), and closes what open opened.
func (s *session) close(ctx context.Context) {
	s.memLog.close()
	if s.conn != nil {
		dropTempTables(context.WithoutCancel(ctx), s.conn)
		s.conn.Close()
	}
	if s.closeDB {
		s.db.Close()
	}
	s.memLog, s.conn, s.closeDB = nil, nil, false // closing again does nothing
}
