// Package reference runs core_rules.sql, the four core rules of configs/default.yaml written as
// an analyst would write them in plain DuckDB SQL, for the benches that print earlywarn /
// reference (scripts/bench, scripts/rulebench). The script is meant to be read: its header says
// what it computes and where it deliberately differs from earlywarn.
package reference

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/internal/db"
)

// Script is core_rules.sql.
//
//go:embed core_rules.sql
var Script string

// The script's sections, in order (its lines "-- == NAME =="): Settings sets the rules'
// parameters; Load reads the three canonical CSV files into tables cases, contacts and events;
// Rules fills the temporary table ref_flags from those tables; Watchlist makes table
// ref_watchlist; Output writes it to a CSV file.
const (
	Settings  = "settings"
	Load      = "load"
	Rules     = "rules"
	Watchlist = "watchlist"
	Output    = "output"
)

// Full is every section: the whole script, from the CSV files to the watchlist CSV.
var Full = []string{Settings, Load, Rules, Watchlist, Output}

// CoreRules are the ids of configs/default.yaml's rules the script implements, as it names them
// in ref_flags.rule_id.
var CoreRules = []string{"repeat-contacts", "group-head-count", "group-wave", "stalled-overdue", "stalled-no-progress"}

var sectionLine = regexp.MustCompile(`(?m)^-- == ([a-z]+) ==$`)

// Section is the text of one section of the script.
func Section(name string) (string, error) {
	marks := sectionLine.FindAllStringSubmatchIndex(Script, -1)
	for i, m := range marks {
		if Script[m[2]:m[3]] != name {
			continue
		}
		end := len(Script)
		if i+1 < len(marks) {
			end = marks[i+1][0]
		}
		return Script[m[1]:end], nil
	}
	return "", fmt.Errorf("core_rules.sql has no section %q", name)
}

// Vars are the variables the script expects to be set before it runs.
type Vars struct {
	InputDir     string    // the folder holding cases.csv, contacts.csv and events.csv (Load)
	AsOf         time.Time // the screening date
	WatchlistCSV string    // the file Output writes
}

// Execer is what Run executes statements on: a *sql.DB or a *sql.Conn.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Run sets v and runs the named sections of the script on q, statement by statement.
func Run(ctx context.Context, q Execer, v Vars, sections ...string) error {
	set := fmt.Sprintf("SET VARIABLE input_dir = %s; SET VARIABLE as_of = DATE %s; SET VARIABLE watchlist_csv = %s;",
		db.Literal(v.InputDir), db.Literal(v.AsOf.Format(time.DateOnly)), db.Literal(v.WatchlistCSV))
	if _, err := q.ExecContext(ctx, set); err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	for _, name := range sections {
		text, err := Section(name)
		if err != nil {
			return err
		}
		if strings.TrimSpace(stripComments(text)) == "" {
			continue
		}
		if _, err := q.ExecContext(ctx, text); err != nil {
			return fmt.Errorf("reference, section %s: %w", name, err)
		}
	}
	return nil
}

// SettingValues are the values the settings section gives the rules' parameters, by variable
// name, as written.
func SettingValues() (map[string]string, error) {
	text, err := Section(Settings)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	re := regexp.MustCompile(`(?m)^SET VARIABLE ([a-z_]+) = ([^;]+);`)
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		out[m[1]] = strings.TrimSpace(m[2])
	}
	return out, nil
}

func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
