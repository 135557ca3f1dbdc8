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
	DueSoon     DueSoonSection // the due-soon list (临期预警), apart from the tiers
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
	asOf, finished, err := loadRun(ctx, q, runID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, i18n.Errorf("publish.err.no_run", runID)
	}
	if err != nil {
		return nil, i18n.Wrap(err, "publish.err.report_run", runID)
	}
	d.AsOf = asOf
	if finished.Valid {
		d.FinishedAt = finished.Time.Format("2006-01-02 15:04")
	}
	s, err := loadSummary(ctx, q, runID)
	if err != nil {
		return nil, i18n.Wrap(err, "publish.err.report")
	}
	tiers := map[string]int64{}
	for _, c := range s.ByTier {
		tiers[c.Key] = c.N
	}
	for _, t := range review.Tiers {
		d.Tiers = append(d.Tiers, Count{Key: t, Label: review.Label(lang, t), N: tiers[t]})
		d.Total += tiers[t]
	}
	d.ByRule = s.ByRule
	d.ByTownship = topWithOther(s.ByTownship, TopGroups, lang)
	d.ByCategory = topWithOther(s.ByCategory, TopGroups, lang)
	if d.Trend, err = trend(ctx, q, runID); err != nil {
		return nil, i18n.Wrap(err, "publish.err.report_trend")
	}
	if d.Top, err = topMatters(ctx, q, runID, lang); err != nil {
		return nil, i18n.Wrap(err, "publish.err.report_top")
	}
	if d.DueSoon, err = loadDueSoon(ctx, q, runID, lang); err != nil {
		return nil, i18n.Wrap(err, "publish.err.report")
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
	return db.Collect(ctx, q, reportTrendSQL, []any{runID, TrendRuns},
		func(rows *sql.Rows) (RunCounts, error) {
			var c RunCounts
			err := rows.Scan(&c.RunID, &c.AsOf, &c.Red, &c.Orange, &c.Yellow)
			return c, err
		})
}

func topMatters(ctx context.Context, q db.Querier, runID, lang string) ([]Matter, error) {
	return db.Collect(ctx, q, reportTopSQL.in(lang), []any{runID, TopMatters},
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

//go:embed report_due_soon.html.tmpl
var dueSoonText string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"label": review.Label,
	"chart": func(title string, c barChart) titledChart { return titledChart{title, c} },
}).Parse(pageText + dueSoonText))
