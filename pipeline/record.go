package pipeline

import "github.com/earlywarn/earlywarn/pipeline/runrecord"

// The run record and the backtest result are defined in pipeline/runrecord, which
// pipeline/publish writes without importing the pipeline; these are their names here, where
// Run and Backtest return them.
type (
	Summary         = runrecord.Summary
	FileResult      = runrecord.FileResult
	LinkResult      = runrecord.LinkResult
	MissingCases    = runrecord.MissingCases
	RuleResult      = runrecord.RuleResult
	Rescreened      = runrecord.Rescreened
	Warning         = runrecord.Warning
	BacktestResult  = runrecord.BacktestResult
	BacktestRow     = runrecord.BacktestRow
	DailyFlags      = runrecord.DailyFlags
	DueSoonBacktest = runrecord.DueSoonBacktest
)
