package pipeline

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/earlywarn/earlywarn/internal/db"
)

// Output file names in the output folder.
const (
	WatchlistParquet = "watchlist.parquet"
	WatchlistCSV     = "watchlist.csv"
	SummaryJSON      = "summary.json"
	QuarantineCSV    = "quarantine.csv"
)

// outputFiles are the files publish writes, in the order of Summary.Outputs.
var outputFiles = append([]string{WatchlistParquet, WatchlistCSV, SummaryJSON, QuarantineCSV}, leaderOutputs...)

// watchlistColumns are the exported columns: name in the Parquet file and CSV header in each
// language.
var watchlistColumns = []struct{ name, zh, en string }{
	{"rank", "序号", "rank"},
	{"matter_id", "事项编号", "matter id"},
	{"matter_kind", "事项类型", "matter kind"},
	{"tier", "预警等级", "tier"},
	{"state", "变化", "change"},
	{"score", "分值", "score"},
	{"rules", "命中规则", "rules"},
	{"reason", "预警原因", "reason"},
	{"state_note", "变化说明", "change note"},
	{"responsible_unit", "责任单位", "responsible unit"},
	{"township", "乡镇街道", "township"},
	{"category", "问题类别", "category"},
	{"first_flagged", "首次预警日期", "first flagged"},
	{"case_ids", "信访件编号", "case ids"},
	{"contact_ids", "来信来访编号", "contact ids"},
	{"event_ids", "办理环节编号", "event ids"},
}

var tierLabels = map[string]map[string]string{
	"zh": {"red": "红", "orange": "橙", "yellow": "黄", "case": "信访件", "cluster": "事项群",
		StateNew: "新增", StateContinuing: "持续", StateWorse: "加重", StateReopened: "再现"},
	"en": {"red": "red", "orange": "orange", "yellow": "yellow", "case": "case", "cluster": "cluster",
		StateNew: "new", StateContinuing: "continuing", StateWorse: "worse", StateReopened: "back"},
}

// quarantineColumns are the columns of quarantine.csv: name in the quarantine table and CSV
// header in each language.
var quarantineColumns = []struct{ name, zh, en string }{
	{"file", "文件", "file"},
	{"line", "行号", "line"},
	{"field", "字段", "field"},
	{"reason", "原因", "reason"},
	{"raw", "原始内容", "raw value"},
}

// publishOrder is the order in which the outputs are renamed into place: summary.json, which
// names the run, comes last.
var publishOrder = append(append([]string{WatchlistParquet, WatchlistCSV, QuarantineCSV}, leaderOutputs...), SummaryJSON)

// tempName is the name under which an output is written before it is renamed into place.
func tempName(dir, name string) string { return filepath.Join(dir, "."+name+".tmp") }

// publish writes the run's watchlist, quarantined rows and summary into dir. Every file is
// written under a temporary name, synced, and renamed into place once all are complete, so a
// reader never sees a half-written file; temporary files left by a killed run are replaced.
// A run killed while renaming can leave some files of the new run beside others of the
// previous one; summary.json, renamed last, says which run the folder holds.
func publish(ctx context.Context, q *sql.Conn, dir, lang string, summary *Summary, rep Reporter) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output folder %s: %w", dir, err)
	}
	tmp := func(name string) string { return tempName(dir, name) }
	for _, name := range publishOrder {
		if err := os.Remove(tmp(name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove %s left by an earlier run: %w", tmp(name), err)
		}
	}
	if _, err := q.ExecContext(ctx, fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE export AS
SELECT rank, matter_id, matter_kind, tier, state, score, rules, %s AS reason, %s AS state_note,
       responsible_unit, township, category, first_flagged, case_ids, contact_ids, event_ids
FROM watchlist WHERE run_id = $1 ORDER BY rank`, db.Ident("reason_"+lang), db.Ident("state_note_"+lang)), summary.RunID); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	rep.Step("写出 "+WatchlistParquet, "writing "+WatchlistParquet)
	if err := execAll(ctx, q, fmt.Sprintf("COPY export TO %s (FORMAT parquet, COMPRESSION zstd)", literal(tmp(WatchlistParquet)))); err != nil {
		return fmt.Errorf("write %s: %w", WatchlistParquet, err)
	}
	rep.Step("写出 "+WatchlistCSV, "writing "+WatchlistCSV)
	if err := writeWatchlistCSV(ctx, q, tmp(WatchlistCSV), lang); err != nil {
		return fmt.Errorf("write %s: %w", WatchlistCSV, err)
	}
	rep.Step("写出 "+QuarantineCSV, "writing "+QuarantineCSV)
	if err := writeQuarantineCSV(ctx, q, tmp(QuarantineCSV), summary.RunID, lang); err != nil {
		return fmt.Errorf("write %s: %w", QuarantineCSV, err)
	}
	rep.Step("写出 "+SummaryJSON, "writing "+SummaryJSON)
	b, err := json.MarshalIndent(summary, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileSynced(tmp(SummaryJSON), func(w io.Writer) error { _, err := w.Write(append(b, '\n')); return err }); err != nil {
		return fmt.Errorf("write %s: %w", SummaryJSON, err)
	}
	if err := syncFile(tmp(WatchlistParquet)); err != nil {
		return fmt.Errorf("write %s: %w", WatchlistParquet, err)
	}
	rep.Step("写出报告与Excel", "writing the report and the workbook")
	if err := writeLeaderOutputs(ctx, q, summary.RunID, lang, tmp); err != nil {
		return err
	}
	rep.Step("发布结果到 "+dir, "moving outputs into place in "+dir)
	for _, name := range publishOrder {
		if err := os.Rename(tmp(name), filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("publish %s: %w", name, err)
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

// writeCSV writes a CSV file in UTF-8 with a byte-order mark, so Excel shows Chinese: the header,
// then every row of rows, whose columns it scans as strings (NULL as empty).
func writeCSV(path string, header []string, rows *sql.Rows, convert func(rec []string)) error {
	return writeFileSynced(path, func(bw io.Writer) error {
		if _, err := io.WriteString(bw, "\ufeff"); err != nil {
			return err
		}
		w := csv.NewWriter(bw)
		if err := w.Write(header); err != nil {
			return err
		}
		vals := make([]sql.NullString, len(header))
		ptrs := make([]any, len(header))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		rec := make([]string, len(header))
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			for i, v := range vals {
				rec[i] = v.String
			}
			if convert != nil {
				convert(rec)
			}
			if err := w.Write(rec); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		w.Flush()
		return w.Error()
	})
}

func headerIn(lang string, cols []struct{ name, zh, en string }) []string {
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.zh
		if lang == "en" {
			header[i] = c.en
		}
	}
	return header
}

// writeWatchlistCSV writes the export table with headers and tier names in lang and id lists
// joined by ';'.
func writeWatchlistCSV(ctx context.Context, q *sql.Conn, path, lang string) error {
	rows, err := q.QueryContext(ctx, `SELECT rank::VARCHAR, matter_id, matter_kind, tier, state, printf('%.2f', score),
  array_to_string(rules, ';'), reason, state_note, responsible_unit, township, category,
  strftime(first_flagged, '%Y-%m-%d'), array_to_string(case_ids, ';'),
  array_to_string(contact_ids, ';'), array_to_string(event_ids, ';')
FROM export ORDER BY rank`)
	if err != nil {
		return err
	}
	defer rows.Close()
	labels := tierLabels[lang]
	return writeCSV(path, headerIn(lang, watchlistColumns), rows, func(rec []string) {
		rec[2] = labels[rec[2]]
		rec[3] = labels[rec[3]]
		rec[4] = labels[rec[4]]
	})
}

// writeQuarantineCSV writes the rows run runID quarantined, in file and line order, with
// headers in lang.
func writeQuarantineCSV(ctx context.Context, q *sql.Conn, path, runID, lang string) error {
	rows, err := q.QueryContext(ctx, `SELECT file, line::VARCHAR, field, reason, raw FROM quarantine
WHERE run_id = $1 ORDER BY file, line NULLS LAST, field, reason, raw`, runID)
	if err != nil {
		return err
	}
	defer rows.Close()
	return writeCSV(path, headerIn(lang, quarantineColumns), rows, nil)
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
	Links          LinkResult            `json:"links"` // contacts without a case id, and what linking did with them
	Rules          map[string]RuleResult `json:"rules"`
	WatchlistItems int64                 `json:"watchlist_items"`
	Tiers          map[string]int64      `json:"tiers"`
	Families       map[string]int64      `json:"families"`
	States         map[string]int64      `json:"states"` // items per state against the previous run, with cleared and suppressed matters
	Timings        map[string]float64    `json:"timings_seconds"`
	Outputs        []string              `json:"outputs"`
}
