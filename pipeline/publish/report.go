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

// report.html is the run's watchlist as one self-contained HTML file, for a leader to read
// from the top: counts by tier and by change since the previous run; the matters to act on
// (leader.go); counts by township, category and responsible unit; the supervision counts; the
// matters cleared since the previous run; the trend over the last runs and the rules' chart; and
// the full list, collapsed, beside links to the workbook and the CSV that hold all of it. Charts
// are inline SVG. The file references nothing outside itself but those two links, so it opens
// from disk with no network.

// Limits of what the report shows.
const (
	TrendRuns = 30  // runs in the trend chart, the reported one last
	FullShown = 500 // matters of the collapsed full list; the CSV and the Parquet file hold them all
	TopGroups = 15  // rows per township, category or unit table; the rest are summed as "other"
)

// ReportData is what the report shows of one run.
type ReportData struct {
	Lang        string
	RunID       string
	AsOf        string
	FinishedAt  string
	Total       int64
	Tiers       []Count     // red, orange, yellow, always all three
	ByRule      []Count     // labelled by the rules' names
	Trend       []RunCounts // oldest first, the reported run last
	Leader      *Leader
	LeaderTop   int            // the cap on Leader.ActOn
	SheetRows   int            // the cap on the workbook's lists (Settings.rows)
	Full        []Matter       // the first FullShown matters by rank
	DueSoon     DueSoonSection // the due-soon list (临期预警), apart from the tiers
	Topics      TopicsSection  // the emerging topics (新出现的话题), apart from the tiers
	Baoan       BaoanSection   // the listed matters owned or resolved in review (包案)
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
	Title                    string // for people, in place of the id (see MatterTitle)
	Score                    float64
	Rules                    string // the rules' names
	Township, Category, Unit string
	Reason                   string
	Change, ChangeNote       string // the state against the previous run, and what changed
}

// stampLayout is how the report dates the run and itself, and the workbook itself: in the zone
// of the time given (the config's), which it states.
const stampLayout = "2006-01-02 15:04（UTC-07:00）"

// LoadReport reads what the report shows of run runID, with labels and reasons in set.Lang.
func LoadReport(ctx context.Context, q db.Querier, runID string, set Settings, now time.Time) (*ReportData, error) {
	lang := review.Lang(set.Lang)
	d := &ReportData{Lang: lang, RunID: runID, GeneratedAt: now.Format(stampLayout), LeaderTop: set.top(), SheetRows: set.rows()}
	asOf, finished, err := loadRun(ctx, q, runID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, i18n.Errorf("publish.err.no_run", runID)
	}
	if err != nil {
		return nil, i18n.Wrap(err, "publish.err.report_run", runID)
	}
	d.AsOf = asOf
	if finished.Valid {
		d.FinishedAt = finished.Time.In(now.Location()).Format(stampLayout)
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
	rules, err := review.LoadRules(ctx, q, runID)
	if err != nil {
		return nil, i18n.Wrap(err, "publish.err.report")
	}
	d.ByRule = s.ByRule
	for i := range d.ByRule {
		d.ByRule[i].Label = rules.Name(lang, d.ByRule[i].Key)
	}
	if d.Trend, err = trend(ctx, q, runID); err != nil {
		return nil, i18n.Wrap(err, "publish.err.report_trend")
	}
	if d.Leader, err = loadLeader(ctx, q, runID, set, rules, ClearedShown); err != nil {
		return nil, i18n.Wrap(err, "publish.err.report_top")
	}
	for _, g := range []*[]TierCount{&d.Leader.ByTownship, &d.Leader.ByCategory, &d.Leader.ByUnit} {
		*g = topWithOther(*g, TopGroups, lang)
	}
	if d.Full, err = topMatters(ctx, q, runID, lang, rules, min(FullShown, set.rows())); err != nil {
		return nil, i18n.Wrap(err, "publish.err.report_top")
	}
	if d.DueSoon, err = loadDueSoon(ctx, q, runID, lang, set.rows()); err != nil {
		return nil, i18n.Wrap(err, "publish.err.report")
	}
	if d.Topics, err = loadTopics(ctx, q, runID, asOf, lang); err != nil {
		return nil, i18n.Wrap(err, "publish.err.report")
	}
	if d.Baoan, err = loadBaoan(ctx, q, runID, lang, now, set.rows()); err != nil {
		return nil, i18n.Wrap(err, "publish.err.report")
	}
	return d, nil
}

// topWithOther keeps the first n counts (all when n is 0) and sums the rest as one "other".
func topWithOther(all []TierCount, n int, lang string) []TierCount {
	return withOther(all, n, TierCount{Key: reportText(lang, "other")}, func(o *TierCount, c TierCount) {
		o.Red, o.Orange, o.Yellow, o.Total = o.Red+c.Red, o.Orange+c.Orange, o.Yellow+c.Yellow, o.Total+c.Total
	})
}

func trend(ctx context.Context, q db.Querier, runID string) ([]RunCounts, error) {
	return db.Collect(ctx, q, reportTrendSQL, []any{runID, TrendRuns},
		func(rows *sql.Rows) (RunCounts, error) {
			var c RunCounts
			err := rows.Scan(&c.RunID, &c.AsOf, &c.Red, &c.Orange, &c.Yellow)
			return c, err
		})
}

// topMatters reads the run's first n matters by rank.
func topMatters(ctx context.Context, q db.Querier, runID, lang string, rules review.Rules, n int) ([]Matter, error) {
	return db.Collect(ctx, q, reportTopSQL.in(lang), []any{runID, n},
		func(rows *sql.Rows) (Matter, error) { return scanMatter(rows, rules, lang, nil) })
}

// RenderReport writes d as HTML.
func RenderReport(w io.Writer, d *ReportData) error {
	return page.Execute(w, view(d))
}

// WriteReport loads run runID and writes its report to path, synced.
func WriteReport(ctx context.Context, q db.Querier, runID string, set Settings, path string, now time.Time) error {
	d, err := LoadReport(ctx, q, runID, set, now)
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

//go:embed report_topics.html.tmpl
var topicsText string

//go:embed report_baoan.html.tmpl
var baoanText string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"label":  review.Label,
	"change": review.ChangeLabel,
	"chart":  func(title string, c barChart) titledChart { return titledChart{title, c} },
	"matters": func(v pageView, ms []Matter, actOn bool) matterTable {
		return matterTable{T: v.T, Lang: v.Lang, Matters: ms, ActOn: actOn}
	},
}).Parse(pageText + dueSoonText + topicsText + baoanText))
