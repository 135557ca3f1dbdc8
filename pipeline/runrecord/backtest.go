package runrecord

import "time"

// BacktestRow is how one rule, or one family of rules, did over the backtest.
//
// An alert is raised on the first day a rule (or any rule of a family) flags a matter and again
// each time it flags it after a day without. An alert is false when none of the matter's cases
// belongs to a planted event of the rule's family. Matter-days are the open (unresolved) cases
// summed over the screened days. A planted event counts when its first day falls in the range;
// it is detected when a flag of its family covers one of its cases, and its lead time is the
// days from that first flag to the event's peak (its escalation, its last contact, the peak of
// the wave).
type BacktestRow struct {
	Scope          string   `json:"scope"` // "family", "kind" (of planted event; no alerts) or "rule"
	Name           string   `json:"name"`  // family, kind or rule id
	Family         string   `json:"family"`
	Events         int64    `json:"events"`
	Detected       int64    `json:"detected"`
	Alerts         int64    `json:"alerts"`
	FalseAlerts    int64    `json:"false_alerts"`
	MedianLeadDays *float64 `json:"median_lead_days"` // nil when nothing was detected
}

// DetectionRate is the share of planted events detected; NaN-free: 0 when there were none.
func (r BacktestRow) DetectionRate() float64 {
	if r.Events == 0 {
		return 0
	}
	return float64(r.Detected) / float64(r.Events)
}

// BacktestResult is the outcome of a backtest.
type BacktestResult struct {
	From, To   string
	Days       int
	MatterDays int64
	Rows       []BacktestRow
	Daily      []DailyFlags // flagged matters per family and day, for the chart
	HasTruth   bool
	DueSoon    *DueSoonBacktest // nil when watchlist.due_soon_days is 0
	Seconds    float64
}

// DueSoonBacktest is how the due-soon list (临期预警) did over a backtest: of the cases that
// became overdue in the range (a pending stage on its first day past its deadline; a case
// overdue in two stages counts twice), how many had been on the list on an earlier day, and
// with how many days left, at the median, they were first listed.
type DueSoonBacktest struct {
	Days          int      `json:"due_soon_days"`
	BecameOverdue int64    `json:"became_overdue"`
	ListedBefore  int64    `json:"listed_before"`
	MedianAhead   *float64 `json:"median_days_ahead"` // nil when none was listed
}

// FalsePer1000 is a row's false alerts per 1,000 matter-days.
func (b *BacktestResult) FalsePer1000(r BacktestRow) float64 {
	if b.MatterDays == 0 {
		return 0
	}
	return float64(r.FalseAlerts) * 1000 / float64(b.MatterDays)
}

// DailyFlags is the number of matters a family flagged on one day.
type DailyFlags struct {
	Day     time.Time
	Family  string
	Matters int64
}
