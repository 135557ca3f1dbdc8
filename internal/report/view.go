package report

import "github.com/earlywarn/earlywarn/web/review"

// Chart geometry, in SVG user units.
const (
	barLabelW = 150
	barMaxW   = 420
	barRowH   = 24
	trendW    = 720
	trendH    = 200
)

type pageView struct {
	*Data
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

var texts = map[string]map[string]string{
	review.LangZH: {
		"title": "信访事项预警报告", "run": "运行编号", "asOf": "数据截至", "finished": "运行完成",
		"generated": "报告生成", "total": "预警事项", "tiers": "按预警等级", "byRule": "按命中规则",
		"byTownship": "按乡镇街道", "byCategory": "按问题类别", "trend": "近30次运行趋势",
		"top": "重点事项", "rank": "序号", "matter": "事项编号", "kind": "类型", "tier": "等级",
		"score": "分值", "rules": "命中规则", "township": "乡镇街道", "category": "问题类别",
		"unit": "责任单位", "reason": "预警原因", "none": "本次运行无预警事项。",
		"note": "本报告列出事项而非个人；信访人均以化名编号表示。", "items": "项",
	},
	review.LangEN: {
		"title": "Petition early-warning report", "run": "Run", "asOf": "Data as of", "finished": "Run finished",
		"generated": "Report generated", "total": "Matters on the watchlist", "tiers": "By tier", "byRule": "By rule",
		"byTownship": "By township", "byCategory": "By category", "trend": "Trend over the last 30 runs",
		"top": "Top matters", "rank": "Rank", "matter": "Matter", "kind": "Kind", "tier": "Tier",
		"score": "Score", "rules": "Rules", "township": "Township", "category": "Category",
		"unit": "Responsible unit", "reason": "Reason", "none": "This run flagged no matters.",
		"note": "This report lists matters, not people; complainants appear only as pseudonymous ids.", "items": "matters",
	},
}

func view(d *Data) pageView {
	v := pageView{Data: d, T: texts[review.Lang(d.Lang)]}
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
