package pipeline

import "github.com/earlywarn/earlywarn/internal/progress"

// Reporter receives a run's progress; see progress.Reporter, which the stages outside this
// package (ingest) report to as well.
type Reporter = progress.Reporter

// Quiet is a Reporter that shows nothing.
type Quiet = progress.Quiet

// orQuiet is rep, or a Reporter that shows nothing when rep is nil.
func orQuiet(rep Reporter) Reporter {
	if rep == nil {
		return Quiet{}
	}
	return rep
}
