package publish

import (
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/web/review"
)

// The report's view: its texts in one language and its charts laid out for the template
// (report.html.tmpl).

// Chart geometry, in SVG user units.
const (
	barLabelW = 150
	barMaxW   = 420
	barRowH   = 24
	trendW    = 720
	trendH    = 200
)

type pageView struct {
	*ReportData
	T          map[string]string
	Rule       barChart
	TrendChart trendChart
	Counts     []countTable // by township, category and responsible unit
	TierLabels []string     // red, orange, yellow
	Files      []string     // the outputs that hold the full list
	Workbook   string       // the workbook, which holds the full list's first SheetRows
}

// matterTable is a table of matters: those to act on, or the full list.
type matterTable struct {
	T       map[string]string
	Lang    string
	Matters []Matter
	ActOn   bool
}

// countTable is one table of the counts per township, category or responsible unit.
type countTable struct {
	Title, Column string
	Rows          []TierCount
}

type barChart struct {
	Width, Height int
	LabelW        int // the width of the labels, left of the bars
	Bars          []bar
}

type titledChart struct {
	Title string
	Chart barChart
}

type bar struct {
	Label, Class string
	N            int64
	Y, W, TextX  int
}

type trendChart struct {
	Width, Height int
	Max           int64
	Columns       []trendColumn
	FirstAsOf     string
	LastAsOf      string
}

type trendColumn struct {
	X, W                int
	RunID, AsOf         string
	Red, Orange, Yellow rect
	Total               int64
}

type rect struct {
	Y, H int
	N    int64
}

// reportTexts are the report's headings and notes: report.<name> in the catalogue, .T.<name>
// in the template.
var reportTexts = []string{
	"title", "run", "as_of", "finished", "generated", "total", "tiers", "by_rule", "by_township",
	"by_category", "by_unit", "trend", "rank", "matter", "kind", "tier", "score", "rules", "township",
	"category", "unit", "reason", "none", "note", "changes", "change", "act_on_none", "counts", "counts_none",
	"supervise", "supervise_none", "supervise_unknown", "cleared_none", "cleared_why", "full_files", "warnings", "warnings_detail",
}

// reportText is the catalogue's report.<name> in lang; the trend heading says how many runs
// the chart covers.
func reportText(lang, name string) string {
	if name == "trend" {
		return i18n.T(lang, "report.trend", TrendRuns)
	}
	return i18n.T(lang, "report."+name)
}

func view(d *ReportData) pageView {
	lang := review.Lang(d.Lang)
	v := pageView{ReportData: d, T: make(map[string]string, len(reportTexts)+8)}
	for _, name := range reportTexts {
		v.T[name] = reportText(lang, name)
	}
	l := d.Leader
	_, cleared := leaderSheetNames(lang)
	sheet, _, _ := XLSXSheetNames(lang)
	xlsx := i18n.T(lang, "report.full_xlsx", sheet)
	if d.Total > int64(d.SheetRows) {
		xlsx = i18n.T(lang, "report.full_xlsx_first", sheet, d.SheetRows)
	}
	for name, text := range map[string]string{
		"act_on":       i18n.T(lang, "report.act_on", len(l.ActOn)),
		"act_on_note":  i18n.T(lang, "report.act_on_note", d.LeaderTop),
		"act_on_more":  i18n.T(lang, "report.act_on_more", l.ActOnMore),
		"cleared":      i18n.T(lang, "report.cleared", l.ClearedTotal),
		"cleared_note": i18n.T(lang, "report.cleared_note", l.PrevAsOf),
		"cleared_more": i18n.T(lang, "report.cleared_more", l.ClearedTotal-int64(len(l.Cleared)), cleared),
		"full":         i18n.T(lang, "report.full", d.Total),
		"full_show":    i18n.T(lang, "report.full_show", len(d.Full)),
		"full_xlsx":    xlsx,
	} {
		v.T[name] = text
	}
	for _, s := range []string{"matters", "red", "overdue", "stalled", "max_days"} {
		v.T["sup_"+s] = i18n.T(lang, "leader.sup."+s)
	}
	v.T["count_total"] = i18n.T(lang, "leader.count.total")
	for _, t := range review.Tiers {
		v.TierLabels = append(v.TierLabels, review.Label(lang, t))
	}
	for _, c := range []struct {
		title, column string
		rows          []TierCount
	}{
		{"by_township", "township", l.ByTownship}, {"by_category", "category", l.ByCategory}, {"by_unit", "responsible_unit", l.ByUnit},
	} {
		v.Counts = append(v.Counts, countTable{Title: v.T[c.title], Column: i18n.T(lang, "leader.group."+c.column), Rows: c.rows})
	}
	if len(l.ByTownship) == 0 {
		v.Counts = nil // no matter: one line says so (counts_none) instead of empty tables
	}
	v.Files, v.Workbook = []string{WatchlistCSV, WatchlistParquet}, WatchlistXLSX
	v.Rule = bars(d.ByRule, "bar")
	v.TrendChart = trendOf(d.Trend)
	return v
}

func bars(cs []Count, class string) barChart {
	var max int64 = 1
	labelW := 0
	for _, c := range cs {
		max = maxInt(max, c.N)
		labelW = maxInt(labelW, textWidth(c.Label))
	}
	labelW = min(maxInt(labelW+12, barLabelW), 3*barLabelW)
	ch := barChart{Width: labelW + barMaxW + 60, Height: len(cs)*barRowH + 4, LabelW: labelW}
	for i, c := range cs {
		w := int(float64(c.N) / float64(max) * barMaxW)
		if c.N > 0 && w < 2 {
			w = 2
		}
		label := c.Label
		if label == "" {
			label = "—"
		}
		ch.Bars = append(ch.Bars, bar{Label: label, Class: class, N: c.N, Y: i * barRowH, W: w, TextX: labelW + w + 6})
	}
	return ch
}

func trendOf(runs []RunCounts) trendChart {
	ch := trendChart{Width: trendW, Height: trendH + 24, Max: 1}
	for _, r := range runs {
		ch.Max = maxInt(ch.Max, r.Red+r.Orange+r.Yellow)
	}
	if len(runs) == 0 {
		return ch
	}
	ch.FirstAsOf, ch.LastAsOf = runs[0].AsOf, runs[len(runs)-1].AsOf
	step := trendW / TrendRuns
	scale := func(n int64) int { return int(float64(n) / float64(ch.Max) * trendH) }
	for i, r := range runs {
		c := trendColumn{X: i * step, W: step - 4, RunID: r.RunID, AsOf: r.AsOf, Total: r.Red + r.Orange + r.Yellow}
		y := trendH
		for _, p := range []struct {
			into *rect
			n    int64
		}{{&c.Red, r.Red}, {&c.Orange, r.Orange}, {&c.Yellow, r.Yellow}} {
			h := scale(p.n)
			y -= h
			*p.into = rect{Y: y, H: h, N: p.n}
		}
		ch.Columns = append(ch.Columns, c)
	}
	return ch
}

func maxInt[T int | int64](a, b T) T {
	if a > b {
		return a
	}
	return b
}

// textWidth estimates the width of a label at the charts' 12px font: 12 for a wide (CJK)
// character, 7 for any other.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x2E80 {
			w += 12
		} else {
			w += 7
		}
	}
	return w
}
