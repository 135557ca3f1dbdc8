package publish

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"html/template"
	"io"
	"time"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/web/review"
)

// report.html is the run's watchlist as one self-contained HTML file: counts by tier, rule,
// township and category, the trend over the last runs and the top matters with their reasons,
// charts as inline SVG. The file references nothing outside itself, so it opens from disk with
// no network.

// Limits of what the report shows.
const (
	TrendRuns  = 30 // runs in the trend chart, the reported one last
	TopMatters = 20 // matters listed with their reasons
	TopGroups  = 15 // bars per township or category chart; the rest are summed as "other"
)

// ReportData is what the report shows of one run.
type ReportData struct {
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

// LoadReport reads what the report shows of run runID, with labels and reasons in lang.
func LoadReport(ctx context.Context, q db.Querier, runID, lang string, now time.Time) (*ReportData, error) {
	lang = review.Lang(lang)
	d := &ReportData{Lang: lang, RunID: runID, GeneratedAt: now.Format("2006-01-02 15:04")}
	var finished sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT strftime(as_of, '%Y-%m-%d'), finished_at FROM runs WHERE run_id = $1`, runID).Scan(&d.AsOf, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, i18n.Errorf("publish.err.no_run", runID)
	}
	if err != nil {
		return nil, i18n.Wrap(err, "publish.err.report_run", runID)
	}
	if finished.Valid {
		d.FinishedAt = finished.Time.Format("2006-01-02 15:04")
	}
	tiers, err := db.Counts(ctx, q, `SELECT tier, count(*) FROM watchlist WHERE run_id = $1 GROUP BY tier`, runID)
	if err != nil {
		return nil, i18n.Wrap(err, "publish.err.report")
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
		all, err := db.Collect(ctx, q, g.sql, []any{runID}, func(rows *sql.Rows) (Count, error) {
			var c Count
			err := rows.Scan(&c.Key, &c.N)
			c.Label = c.Key
			return c, err
		})
		if err != nil {
			return nil, i18n.Wrap(err, "publish.err.report")
		}
		*g.into = topWithOther(all, g.top, lang)
	}
	if d.Trend, err = trend(ctx, q, runID); err != nil {
		return nil, i18n.Wrap(err, "publish.err.report_trend")
	}
	if d.Top, err = topMatters(ctx, q, runID, lang); err != nil {
		return nil, i18n.Wrap(err, "publish.err.report_top")
	}
	return d, nil
}

// topWithOther keeps the first n counts (all when n is 0) and sums the rest as one "other".
func topWithOther(all []Count, n int, lang string) []Count {
	if n == 0 || len(all) <= n {
		return all
	}
	other := Count{Key: "", Label: reportText(lang, "other")}
	for _, c := range all[n:] {
		other.N += c.N
	}
	return append(all[:n:n], other)
}

func trend(ctx context.Context, q db.Querier, runID string) ([]RunCounts, error) {
	return db.Collect(ctx, q, `WITH r AS (
  SELECT run_id, as_of, finished_at FROM runs
  WHERE finished_at <= (SELECT finished_at FROM runs WHERE run_id = $1)
  ORDER BY finished_at DESC LIMIT $2
)
SELECT r.run_id, strftime(r.as_of, '%Y-%m-%d'),
       count(w.tier) FILTER (w.tier = 'red'), count(w.tier) FILTER (w.tier = 'orange'),
       count(w.tier) FILTER (w.tier = 'yellow')
FROM r LEFT JOIN watchlist w USING (run_id)
GROUP BY r.run_id, r.as_of, r.finished_at ORDER BY r.finished_at, r.run_id`, []any{runID, TrendRuns},
		func(rows *sql.Rows) (RunCounts, error) {
			var c RunCounts
			err := rows.Scan(&c.RunID, &c.AsOf, &c.Red, &c.Orange, &c.Yellow)
			return c, err
		})
}

func topMatters(ctx context.Context, q db.Querier, runID, lang string) ([]Matter, error) {
	reason := "reason_zh"
	if lang == review.LangEN {
		reason = "reason_en"
	}
	return db.Collect(ctx, q, `SELECT rank, matter_id, matter_kind, tier, score, array_to_string(rules, ', '),
  coalesce(township, ''), coalesce(category, ''), coalesce(responsible_unit, ''), coalesce(`+db.Ident(reason)+`, '')
FROM watchlist WHERE run_id = $1 ORDER BY rank LIMIT $2`, []any{runID, TopMatters},
		func(rows *sql.Rows) (Matter, error) {
			var m Matter
			err := rows.Scan(&m.Rank, &m.ID, &m.Kind, &m.Tier, &m.Score, &m.Rules, &m.Township, &m.Category, &m.Unit, &m.Reason)
			return m, err
		})
}

// RenderReport writes d as HTML.
func RenderReport(w io.Writer, d *ReportData) error {
	return page.Execute(w, view(d))
}

// WriteReport loads run runID and writes its report to path, synced.
func WriteReport(ctx context.Context, q db.Querier, runID, lang, path string, now time.Time) error {
	d, err := LoadReport(ctx, q, runID, lang, now)
	if err != nil {
		return err
	}
	return writeFileSynced(path, func(w io.Writer) error {
		if err := RenderReport(w, d); err != nil {
			return i18n.Wrap(err, "publish.err.report")
		}
		return nil
	})
}

//go:embed report.html.tmpl
var pageText string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"label": review.Label,
	"chart": func(title string, c barChart) titledChart { return titledChart{title, c} },
}).Parse(pageText))
