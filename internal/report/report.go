// Package report writes a run's watchlist as one self-contained HTML file: counts by tier,
// rule, township and category, the trend over the last runs and the top matters with their
// reasons, charts as inline SVG. The file references nothing outside itself, so it opens from
// disk with no network.
package report

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"os"
	"time"

	"github.com/earlywarn/earlywarn/web/review"
)

// FileName is the report's name in the output folder.
const FileName = "report.html"

// Limits of what the report shows.
const (
	TrendRuns  = 30 // runs in the trend chart, the reported one last
	TopMatters = 20 // matters listed with their reasons
	TopGroups  = 15 // bars per township or category chart; the rest are summed as "other"
)

// Querier is what the report reads through: *sql.DB, *sql.Conn or *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Data is what the report shows of one run.
type Data struct {
	Lang        string
	RunID       string
	AsOf        string
	FinishedAt  string
	Total       int64
	Tiers       []Count // red, orange, yellow, always all three
	ByRule      []Count
	ByTownship  []Count
	ByCategory  []Count
	Trend       []RunCounts // oldest first, the reported run last
	Top         []Matter
	GeneratedAt string
}

// Count is a number of watchlist items under a key.
type Count struct {
	Key   string
	Label string
	N     int64
}

// RunCounts is one run's watchlist size per tier.
type RunCounts struct {
	RunID               string
	AsOf                string
	Red, Orange, Yellow int64
}

// Matter is one watchlist item of the top list.
type Matter struct {
	Rank                     int64
	ID, Kind, Tier           string
	Score                    float64
	Rules                    string
	Township, Category, Unit string
	Reason                   string
}

// Load reads what the report shows of run runID, with labels and reasons in lang.
func Load(ctx context.Context, q Querier, runID, lang string, now time.Time) (*Data, error) {
	lang = review.Lang(lang)
	d := &Data{Lang: lang, RunID: runID, GeneratedAt: now.Format("2006-01-02 15:04")}
	var finished sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT strftime(as_of, '%Y-%m-%d'), finished_at FROM runs WHERE run_id = $1`, runID).Scan(&d.AsOf, &finished)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("report: run %s is not in the runs table", runID)
	}
	if err != nil {
		return nil, fmt.Errorf("report: run %s: %w", runID, err)
	}
	if finished.Valid {
		d.FinishedAt = finished.Time.Format("2006-01-02 15:04")
	}
	tiers := map[string]int64{}
	if err := counts(ctx, q, `SELECT tier, count(*) FROM watchlist WHERE run_id = $1 GROUP BY tier`, runID, func(k string, n int64) { tiers[k] = n }); err != nil {
		return nil, err
	}
	for _, t := range review.Tiers {
		d.Tiers = append(d.Tiers, Count{Key: t, Label: review.Label(lang, t), N: tiers[t]})
		d.Total += tiers[t]
	}
	for _, g := range []struct {
		into *[]Count
		sql  string
		top  int
	}{
		{&d.ByRule, `SELECT r, count(*) AS n FROM (SELECT unnest(rules) AS r FROM watchlist WHERE run_id = $1) GROUP BY r ORDER BY n DESC, r`, 0},
		{&d.ByTownship, `SELECT coalesce(township, ''), count(*) AS n FROM watchlist WHERE run_id = $1 GROUP BY ALL ORDER BY n DESC, 1`, TopGroups},
		{&d.ByCategory, `SELECT coalesce(category, ''), count(*) AS n FROM watchlist WHERE run_id = $1 GROUP BY ALL ORDER BY n DESC, 1`, TopGroups},
	} {
		var all []Count
		if err := counts(ctx, q, g.sql, runID, func(k string, n int64) { all = append(all, Count{Key: k, Label: k, N: n}) }); err != nil {
			return nil, err
		}
		*g.into = topWithOther(all, g.top, lang)
	}
	if d.Trend, err = trend(ctx, q, runID); err != nil {
		return nil, err
	}
	if d.Top, err = top(ctx, q, runID, lang); err != nil {
		return nil, err
	}
	return d, nil
}

func counts(ctx context.Context, q Querier, stmt, runID string, add func(string, int64)) error {
	rows, err := q.QueryContext(ctx, stmt, runID)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		add(k, n)
	}
	return rows.Err()
}

// topWithOther keeps the first n counts (all when n is 0) and sums the rest as one "other".
func topWithOther(all []Count, n int, lang string) []Count {
	if n == 0 || len(all) <= n {
		return all
	}
	other := Count{Key: "", Label: map[string]string{review.LangZH: "其他", review.LangEN: "other"}[lang]}
	for _, c := range all[n:] {
		other.N += c.N
	}
	return append(all[:n:n], other)
}

func trend(ctx context.Context, q Querier, runID string) ([]RunCounts, error) {
	rows, err := q.QueryContext(ctx, `WITH r AS (
  SELECT run_id, as_of, finished_at FROM runs
  WHERE finished_at <= (SELECT finished_at FROM runs WHERE run_id = $1)
  ORDER BY finished_at DESC LIMIT $2
)
SELECT r.run_id, strftime(r.as_of, '%Y-%m-%d'),
       count(w.tier) FILTER (w.tier = 'red'), count(w.tier) FILTER (w.tier = 'orange'),
       count(w.tier) FILTER (w.tier = 'yellow')
FROM r LEFT JOIN watchlist w USING (run_id)
GROUP BY r.run_id, r.as_of, r.finished_at ORDER BY r.finished_at, r.run_id`, runID, TrendRuns)
	if err != nil {
		return nil, fmt.Errorf("report: trend: %w", err)
	}
	defer rows.Close()
	var out []RunCounts
	for rows.Next() {
		var c RunCounts
		if err := rows.Scan(&c.RunID, &c.AsOf, &c.Red, &c.Orange, &c.Yellow); err != nil {
			return nil, fmt.Errorf("report: trend: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func top(ctx context.Context, q Querier, runID, lang string) ([]Matter, error) {
	reason := "reason_zh"
	if lang == review.LangEN {
		reason = "reason_en"
	}
	rows, err := q.QueryContext(ctx, `SELECT rank, matter_id, matter_kind, tier, score, array_to_string(rules, ', '),
  coalesce(township, ''), coalesce(category, ''), coalesce(responsible_unit, ''), coalesce(`+reason+`, '')
FROM watchlist WHERE run_id = $1 ORDER BY rank LIMIT $2`, runID, TopMatters)
	if err != nil {
		return nil, fmt.Errorf("report: top matters: %w", err)
	}
	defer rows.Close()
	var out []Matter
	for rows.Next() {
		var m Matter
		if err := rows.Scan(&m.Rank, &m.ID, &m.Kind, &m.Tier, &m.Score, &m.Rules, &m.Township, &m.Category, &m.Unit, &m.Reason); err != nil {
			return nil, fmt.Errorf("report: top matters: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Render writes d as HTML.
func Render(w io.Writer, d *Data) error {
	return page.Execute(w, view(d))
}

// WriteFile loads run runID and writes its report to path.
func WriteFile(ctx context.Context, q Querier, runID, lang, path string, now time.Time) error {
	d, err := Load(ctx, q, runID, lang, now)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := Render(f, d); err != nil {
		f.Close()
		return fmt.Errorf("report: %w", err)
	}
	return f.Close()
}

//go:embed report.html.tmpl
var pageText string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"label": review.Label,
	"chart": func(title string, c barChart) titledChart { return titledChart{title, c} },
}).Parse(pageText))
