// Package progress is how a long command tells its user what it is doing: the pipeline and its
// stages (ingest among them) report to a Reporter, which the CLI shows on stderr. It is a leaf,
// so that every stage can report without importing the pipeline.
package progress

// Reporter receives a run's progress. Step names the stage that starts now as a message of the
// catalogue (internal/i18n, key and arguments); the CLI shows it on stderr in the user's
// language. Implementations must be cheap: a run calls Step a few dozen times.
type Reporter interface {
	Step(key string, args ...any)
}

// Quiet is a Reporter that shows nothing.
type Quiet struct{}

// Step does nothing.
func (Quiet) Step(string, ...any) {}
