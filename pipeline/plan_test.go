package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
)

// plan prepares cfg, failing the test when it does not.
func plan(tb testing.TB, cfg configs.Config) *Plan {
	tb.Helper()
	p, err := Prepare(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// asOf parses a screening date; "auto" is the zero date (the latest in the data).
func asOf(tb testing.TB, day string) time.Time {
	tb.Helper()
	if day == "auto" {
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}
