package pipeline

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/earlywarn/earlywarn/internal/chart"
)

// Backtest output files in the output folder.
const (
	BacktestCSV = "backtest.csv"
	BacktestSVG = "backtest.svg"
)

var backtestColumns = []struct{ zh, en string }{
	{"范围", "scope"}, {"名称", "name"}, {"类别", "family"}, {"计划事件数", "events"},
	{"检出数", "detected"}, {"检出率", "detection rate"}, {"预警数", "alerts"}, {"误报数", "false alerts"},
	{"每千事项日误报", "false alerts per 1000 matter-days"}, {"提前天数中位数", "median lead days"},
	{"起", "from"}, {"止", "to"}, {"事项日", "matter-days"},
}

var familyNames = map[string]map[string]string{
	"zh": {"repeat": "重复信访", "group": "群体信访", "stalled": "久拖未决", "rule": "规则", "family": "类别", "kind": "事件类型"},
	"en": {"repeat": "repeat", "group": "group", "stalled": "stalled", "rule": "rule", "family": "family", "kind": "event kind"},
}

// WriteBacktest writes backtest.csv (UTF-8 with BOM, headers in lang) and backtest.svg (matters
// flagged per family and day) into dir, each under a temporary name renamed into place, and
// returns their paths.
func WriteBacktest(dir, lang string, res *BacktestResult) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output folder %s: %w", dir, err)
	}
	names := familyNames[lang]
	label := func(s string) string {
		if n, ok := names[s]; ok {
			return n
		}
		return s
	}
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	header := make([]string, len(backtestColumns))
	for i, c := range backtestColumns {
		header[i] = c.zh
		if lang == "en" {
			header[i] = c.en
		}
	}
	_ = w.Write(header)
	for _, r := range res.Rows {
		lead, rate := "", ""
		if r.MedianLeadDays != nil {
			lead = strconv.FormatFloat(*r.MedianLeadDays, 'f', 1, 64)
		}
		if res.HasTruth {
			rate = strconv.FormatFloat(r.DetectionRate(), 'f', 3, 64)
		}
		_ = w.Write([]string{label(r.Scope), r.Name, label(r.Family), strconv.FormatInt(r.Events, 10),
			strconv.FormatInt(r.Detected, 10), rate, strconv.FormatInt(r.Alerts, 10),
			strconv.FormatInt(r.FalseAlerts, 10), strconv.FormatFloat(res.FalsePer1000(r), 'f', 3, 64), lead,
			res.From, res.To, strconv.FormatInt(res.MatterDays, 10)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}

	title, yLabel := fmt.Sprintf("每日预警事项数（%s 至 %s）", res.From, res.To), "事项数"
	if lang == "en" {
		title, yLabel = fmt.Sprintf("Matters flagged per day, %s to %s", res.From, res.To), "matters"
	}
	svg, err := chart.DailyLines(title, yLabel, dailySeries(res, label))
	if err != nil {
		return nil, err
	}

	files := map[string][]byte{BacktestCSV: b.Bytes(), BacktestSVG: svg}
	var paths []string
	for _, name := range []string{BacktestCSV, BacktestSVG} {
		tmp := filepath.Join(dir, "."+name+".tmp")
		if err := os.WriteFile(tmp, files[name], 0o644); err != nil {
			return nil, fmt.Errorf("write %s: %w", name, err)
		}
		path := filepath.Join(dir, name)
		if err := os.Rename(tmp, path); err != nil {
			return nil, fmt.Errorf("publish %s: %w", name, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// dailySeries turns the daily counts into one zero-filled series per family.
func dailySeries(res *BacktestResult, label func(string) string) []chart.Series {
	from, _ := time.Parse(time.DateOnly, res.From)
	byFamily := map[string][]float64{}
	var order []string
	for _, r := range res.Rows {
		if r.Scope == "family" {
			order = append(order, r.Family)
			byFamily[r.Family] = make([]float64, res.Days)
		}
	}
	for _, d := range res.Daily {
		i := int(d.Day.Sub(from).Hours() / 24)
		if v, ok := byFamily[d.Family]; ok && i >= 0 && i < res.Days {
			v[i] = float64(d.Matters)
		}
	}
	days := make([]time.Time, res.Days)
	for i := range days {
		days[i] = from.AddDate(0, 0, i)
	}
	out := make([]chart.Series, 0, len(order))
	for _, f := range order {
		out = append(out, chart.Series{Name: label(f), Days: days, Values: byFamily[f]})
	}
	return out
}
