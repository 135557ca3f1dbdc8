package pipeline

import (
	"context"
	"fmt"
	"slices"
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

// TestPersonlessRules: validate names the rules that count complainants when the profile maps
// none, and only then.
func TestPersonlessRules(t *testing.T) {
	for _, tt := range []struct {
		profile string
		want    []string
	}{
		{"", nil},
		{"../configs/profiles/nyc-311-csv.yaml", []string{"group-wave", "group-copied-letters", "group-hot-issue", "group-baseline"}},
		{"../configs/profiles/xinfang-office-gb18030.yaml", nil}, // id numbers, names and phones
		{"../configs/profiles/cn-message-board-csv.yaml", nil},   // a user id
	} {
		cfg := testConfig(t)
		cfg.Profile = tt.profile
		got, err := plan(t, cfg).PersonlessRules()
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%q: %v, %v; want %v", tt.profile, got, err, tt.want)
		}
	}
}

// TestUnmappedFields: validate names the case fields the rules group by or read that the
// profile maps in no cases source, with the rules the run would skip for it.
// A profile that can give no answer or closing record (a message board's posts) names the rules
// that read the outcome of handling; one that maps a closing date, or has an events source,
// names none.
func TestClosinglessRules(t *testing.T) {
	for _, tt := range []struct {
		profile string
		want    string
	}{
		{"", "[]"},
		{"../configs/profiles/cn-message-board-labelled.yaml", "[escalation-continued stalled-overdue stalled-no-progress stalled-extensions]"},
		{"../configs/profiles/nyc-311-csv.yaml", "[]"},
		{"../configs/profiles/xinfang-office-gb18030.yaml", "[]"},
	} {
		cfg := testConfig(t)
		cfg.Profile = tt.profile
		got, err := plan(t, cfg).ClosinglessRules()
		if err != nil || fmt.Sprint(got) != tt.want {
			t.Errorf("%q: %v, %v; want %v", tt.profile, got, err, tt.want)
		}
	}
}

func TestUnmappedFields(t *testing.T) {
	for _, tt := range []struct {
		profile string
		want    string
	}{
		{"", "[]"},
		{"../configs/profiles/open311-georeport-v2.yaml", "[{target_org [group-wave]} {content [group-copied-letters group-hot-issue]}]"},
		{"../configs/profiles/cn-message-board-replies.yaml", "[{target_org [group-wave]}]"},
		{"../configs/profiles/xinfang-office-gb18030.yaml", "[]"},
		{"../configs/profiles/nyc-311-csv.yaml", "[{content [group-copied-letters group-hot-issue]}]"}, // labels are no content
	} {
		cfg := testConfig(t)
		cfg.Profile = tt.profile
		got, err := plan(t, cfg).UnmappedFields()
		if err != nil || fmt.Sprint(got) != tt.want {
			t.Errorf("%q: %v, %v; want %v", tt.profile, got, err, tt.want)
		}
	}
}
