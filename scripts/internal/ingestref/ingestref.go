// Package ingestref is what both ingest benchmarks (scripts/bench and scripts/bench-ingest)
// compare earlywarn's clean CSV path with, so that they measure the same thing: DuckDB's bare
// read_csv into a new table, CREATE TABLE ... AS SELECT * FROM read_csv(...), with the file's
// columns typed as the canonical schema types them, in a fresh database opened with the run's
// own settings (threads, memory limit, time zone) by pipeline.OpenDB. Its time includes the
// statement's commit; earlywarn's per-file time (ingest.FileResult.Seconds) includes waiting
// for the file's checksum, loading, validating and recording it, but not the run's commit.
package ingestref

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/pipeline"
)

// Load loads the CSV file at path, holding table t, into a new table of a new database at
// dbPath (removed before and after) and returns the rows loaded and the seconds it took.
func Load(ctx context.Context, cfg configs.Config, dbPath string, t data.Table, path string) (rows int64, seconds float64, err error) {
	return load(ctx, cfg, dbPath, t, path, "TABLE")
}

// LoadTemp is Load into a temporary table, as the Arrow hand-off of the Go-side path loads.
func LoadTemp(ctx context.Context, cfg configs.Config, dbPath string, t data.Table, path string) (rows int64, seconds float64, err error) {
	return load(ctx, cfg, dbPath, t, path, "TEMP TABLE")
}

func load(ctx context.Context, cfg configs.Config, dbPath string, t data.Table, path, kind string) (rows int64, seconds float64, err error) {
	header, err := csvHeader(path)
	if err != nil {
		return 0, 0, err
	}
	cols := make([]string, len(header))
	for i, name := range header {
		name = strings.TrimSpace(strings.TrimPrefix(name, "\ufeff"))
		typ := "VARCHAR"
		if j := slices.IndexFunc(t.Columns, func(c data.Column) bool { return c.Name == name }); j >= 0 {
			typ = t.Columns[j].Type
		}
		cols[i] = fmt.Sprintf("%s: %s", db.Literal(name), db.Literal(typ))
	}
	os.Remove(dbPath)
	defer os.Remove(dbPath)
	conn, err := pipeline.OpenDB(ctx, dbPath, cfg)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close()
	start := time.Now()
	_, err = conn.ExecContext(ctx, fmt.Sprintf(
		"CREATE %s %s AS SELECT * FROM read_csv($path, header = true, auto_detect = false, columns = {%s})",
		kind, t.Name, strings.Join(cols, ", ")), sql.Named("path", path))
	seconds = time.Since(start).Seconds()
	if err != nil {
		return 0, 0, fmt.Errorf("reference load of %s: %w", path, err)
	}
	err = conn.QueryRowContext(ctx, "SELECT count(*) FROM "+t.Name).Scan(&rows)
	return rows, seconds, err
}

// Median is the middle value of xs, or the mean of the two middle ones.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// LoadAverage is the first line of /proc/loadavg ("" where there is none): benchmarks print it
// because the machines they run on are shared.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

func csvHeader(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := csv.NewReader(bufio.NewReader(f)).Read()
	if err != nil {
		return nil, fmt.Errorf("header of %s: %w", path, err)
	}
	return h, nil
}
