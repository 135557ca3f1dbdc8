package publish

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/earlywarn/earlywarn/internal/chart"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// backtestColumns are the columns of backtest.csv, whose headers are csv.backtest.<column> in
// the catalogue.
var backtestColumns = []string{
	"scope", "name", "family", "events", "detected", "detection_rate", "alerts", "false_alerts",
	"false_per_1000", "median_lead_days", "from", "to", "matter_days",
}

// backtestLabel names a scope or a family of the backtest in lang (label.backtest.scope.* and
// label.backtest.family.*); a code the catalogue lacks is shown as it is.
func backtestLabel(lang, group, code string) string {
	if key := "label.backtest." + group + "." + code; i18n.Has(key) {
		return i18n.T(lang, key)
	}
	return code
}

// WriteBacktest writes backtest.csv (UTF-8 with BOM, headers in lang) and backtest.svg (matters
// flagged per family and day) into dir, each under a temporary name, synced and renamed into
// place, and returns their paths.
func WriteBacktest(dir, lang string, res *runrecord.BacktestResult) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, i18n.Wrap(err, "publish.err.output_folder", dir)
	}
	names := []string{BacktestCSV, BacktestSVG}
	if err := removeTemps(dir, names); err != nil {
		return nil, err
	}
	csvText, err := backtestCSV(lang, res)
	if err != nil {
		return nil, err
	}
	svg, err := chart.DailyLines(i18n.T(lang, "chart.backtest.title", res.From, res.To), i18n.T(lang, "chart.backtest.y"),
		dailySeries(res, func(f string) string { return backtestLabel(lang, "family", f) }))
	if err != nil {
		return nil, err
	}
	for name, b := range map[string][]byte{BacktestCSV: csvText, BacktestSVG: svg} {
		if err := writeFileSynced(tempName(dir, name), func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
			return nil, i18n.Wrap(err, "publish.err.write", name)
		}
	}
	if err := renameInto(dir, names); err != nil {
		return nil, err
	}
	return []string{filepath.Join(dir, BacktestCSV), filepath.Join(dir, BacktestSVG)}, nil
}

// backtestCSV renders the backtest's rows as backtest.csv: a BOM, headers in lang, one row per
// rule, family and planted-event kind.
func backtestCSV(lang string, res *runrecord.BacktestResult) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := newSafeCSV(&b, numericColumns(backtestColumns, "events", "detected", "detection_rate", "alerts",
		"false_alerts", "false_per_1000", "median_lead_days", "matter_days"))
	_ = w.Write(header(lang, "csv.backtest", backtestColumns))
	for _, r := range res.Rows {
		lead, rate := "", ""
		if r.MedianLeadDays != nil {
			lead = strconv.FormatFloat(*r.MedianLeadDays, 'f', 1, 64)
		}
		if res.HasTruth {
			rate = strconv.FormatFloat(r.DetectionRate(), 'f', 3, 64)
		}
		_ = w.Write([]string{backtestLabel(lang, "scope", r.Scope), r.Name, backtestLabel(lang, "family", r.Family),
			strconv.FormatInt(r.Events, 10), strconv.FormatInt(r.Detected, 10), rate, strconv.FormatInt(r.Alerts, 10),
			strconv.FormatInt(r.FalseAlerts, 10), strconv.FormatFloat(res.FalsePer1000(r), 'f', 3, 64), lead,
			res.From, res.To, strconv.FormatInt(res.MatterDays, 10)})
	}
	if d := res.DueSoon; d != nil {
		// The due-soon list: events are the cases that became overdue, detected those listed
		// beforehand, the lead their median days ahead; it raises no alerts.
		lead := ""
		if d.MedianAhead != nil {
			lead = strconv.FormatFloat(*d.MedianAhead, 'f', 1, 64)
		}
		rate := ""
		if d.BecameOverdue > 0 {
			rate = strconv.FormatFloat(float64(d.ListedBefore)/float64(d.BecameOverdue), 'f', 3, 64)
		}
		_ = w.Write([]string{backtestLabel(lang, "scope", "due_soon"), "due_soon_days=" + strconv.Itoa(d.Days), backtestLabel(lang, "family", "stalled"),
			strconv.FormatInt(d.BecameOverdue, 10), strconv.FormatInt(d.ListedBefore, 10), rate, "", "", "", lead,
			res.From, res.To, strconv.FormatInt(res.MatterDays, 10)})
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// dailySeries turns the daily counts into one zero-filled series per family.
func dailySeries(res *runrecord.BacktestResult, label func(string) string) []chart.Series {
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
