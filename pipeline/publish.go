package pipeline

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/earlywarn/earlywarn/rules"
)

// Output file names in the output folder.
const (
	WatchlistParquet = "watchlist.parquet"
	WatchlistCSV     = "watchlist.csv"
	SummaryJSON      = "summary.json"
)

// outputFiles are the files publish writes, in the order of Summary.Outputs.
var outputFiles = append([]string{WatchlistParquet, WatchlistCSV, SummaryJSON}, leaderOutputs...)

// watchlistColumns are the exported columns: name in the Parquet file and CSV header in each
// language.
var watchlistColumns = []struct{ name, zh, en string }{
	{"rank", "序号", "rank"},
	{"matter_id", "事项编号", "matter id"},
	{"matter_kind", "事项类型", "matter kind"},
	{"tier", "预警等级", "tier"},
	{"score", "分值", "score"},
	{"rules", "命中规则", "rules"},
	{"reason", "预警原因", "reason"},
	{"responsible_unit", "责任单位", "responsible unit"},
	{"township", "乡镇街道", "township"},
	{"category", "问题类别", "category"},
	{"first_flagged", "首次预警日期", "first flagged"},
	{"case_ids", "信访件编号", "case ids"},
	{"contact_ids", "来信来访编号", "contact ids"},
	{"event_ids", "办理环节编号", "event ids"},
}

var tierLabels = map[string]map[string]string{
	"zh": {"red": "红", "orange": "橙", "yellow": "黄", "case": "信访件", "cluster": "事项群"},
	"en": {"red": "red", "orange": "orange", "yellow": "yellow", "case": "case", "cluster": "cluster"},
}

// publish writes the run's watchlist and summary into dir. Every file is written under a
// temporary name and renamed into place once all are complete, so a reader never sees a
// half-written file.
func publish(ctx context.Context, q *sql.Conn, dir, runID, lang string, summary *Summary) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output folder %s: %w", dir, err)
	}
	tmp := func(name string) string { return filepath.Join(dir, "."+name+".tmp") }
	reasonCol := "reason_" + lang
	if _, err := q.ExecContext(ctx, fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE export AS
SELECT rank, matter_id, matter_kind, tier, score, rules, %s AS reason, responsible_unit, township,
       category, first_flagged, case_ids, contact_ids, event_ids
FROM watchlist WHERE run_id = $1 ORDER BY rank`, rules.Ident(reasonCol)), runID); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := execAll(ctx, q, fmt.Sprintf("COPY export TO %s (FORMAT parquet, COMPRESSION zstd)", literal(tmp(WatchlistParquet)))); err != nil {
		return fmt.Errorf("write %s: %w", WatchlistParquet, err)
	}
	if err := writeCSV(ctx, q, tmp(WatchlistCSV), lang); err != nil {
		return fmt.Errorf("write %s: %w", WatchlistCSV, err)
	}
	b, err := json.MarshalIndent(summary, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(tmp(SummaryJSON), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", SummaryJSON, err)
	}
	if err := writeLeaderOutputs(ctx, q, runID, lang, tmp); err != nil {
		return err
	}
	for _, name := range outputFiles {
		if err := os.Rename(tmp(name), filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("publish %s: %w", name, err)
		}
	}
	return nil
}

// writeCSV writes the export table as CSV in UTF-8 with a byte-order mark, so Excel shows
// Chinese, with headers and tier names in lang and id lists joined by ';'.
func writeCSV(ctx context.Context, q *sql.Conn, path, lang string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	bw.WriteString("\ufeff")
	w := csv.NewWriter(bw)
	header := make([]string, len(watchlistColumns))
	for i, c := range watchlistColumns {
		header[i] = c.zh
		if lang == "en" {
			header[i] = c.en
		}
	}
	if err := w.Write(header); err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, `SELECT rank, matter_id, matter_kind, tier, score,
  array_to_string(rules, ';'), reason, coalesce(responsible_unit, ''), coalesce(township, ''),
  coalesce(category, ''), strftime(first_flagged, '%Y-%m-%d'), array_to_string(case_ids, ';'),
  array_to_string(contact_ids, ';'), array_to_string(event_ids, ';')
FROM export ORDER BY rank`)
	if err != nil {
		return err
	}
	defer rows.Close()
	labels := tierLabels[lang]
	rec := make([]string, len(watchlistColumns))
	for rows.Next() {
		var rank int64
		var score float64
		var kind, tier string
		if err := rows.Scan(&rank, &rec[1], &kind, &tier, &score, &rec[5], &rec[6], &rec[7], &rec[8],
			&rec[9], &rec[10], &rec[11], &rec[12], &rec[13]); err != nil {
			return err
		}
		rec[0] = strconv.FormatInt(rank, 10)
		rec[2] = labels[kind]
		rec[3] = labels[tier]
		rec[4] = strconv.FormatFloat(score, 'f', 2, 64)
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// Summary is the run record as written to summary.json and, in parts, to the runs table.
type Summary struct {
	RunID          string                `json:"run_id"`
	AsOf           string                `json:"as_of"`
	StartedAt      time.Time             `json:"started_at"`
	FinishedAt     time.Time             `json:"finished_at"`
	Version        string                `json:"version"`
	ConfigPath     string                `json:"config_path"`
	ConfigHash     string                `json:"config_hash"`
	Database       string                `json:"database"`
	Inputs         []FileResult          `json:"inputs"`
	Rules          map[string]RuleResult `json:"rules"`
	WatchlistItems int64                 `json:"watchlist_items"`
	Tiers          map[string]int64      `json:"tiers"`
	Families       map[string]int64      `json:"families"`
	Timings        map[string]float64    `json:"timings_seconds"`
	Outputs        []string              `json:"outputs"`
}
