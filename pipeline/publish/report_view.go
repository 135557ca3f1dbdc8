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
	Township   barChart
	Category   barChart
	TrendChart trendChart
}

type barChart struct {
	Width, Height int
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
	"by_category", "trend", "top", "rank", "matter", "kind", "tier", "score", "rules", "township",
	"category", "unit", "reason", "none", "note",
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
	v := pageView{ReportData: d, T: make(map[string]string, len(reportTexts))}
	for _, name := range reportTexts {
		v.T[name] = reportText(lang, name)
	}
	v.Rule = bars(d.ByRule, "bar")
	v.Township = bars(d.ByTownship, "bar")
	v.Category = bars(d.ByCategory, "bar")
	v.TrendChart = trendOf(d.Trend)
	return v
}

func bars(cs []Count, class string) barChart {
	var max int64 = 1
	for _, c := range cs {
		max = maxInt(max, c.N)
	}
	ch := barChart{Width: barLabelW + barMaxW + 60, Height: len(cs)*barRowH + 4}
	for i, c := range cs {
		w := int(float64(c.N) / float64(max) * barMaxW)
		if c.N > 0 && w < 2 {
			w = 2
		}
		label := c.Label
		if label == "" {
			label = "—"
		}
		ch.Bars = append(ch.Bars, bar{Label: label, Class: class, N: c.N, Y: i * barRowH, W: w, TextX: barLabelW + w + 6})
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

func maxInt(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}
