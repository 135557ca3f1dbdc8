package rules

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/baseline"
)

// SignalHotIssue: messages about one place (and, where unrelated topics share the place, one
// topic) from at least MinComplainants distinct people, unusual for the place (hot.go).
const SignalHotIssue = "hot_issue"

// HotIssueParams configure signal hot_issue. Each case's text (content) names places; the
// pipeline extracts them once per text into the table case_places (package internal/places).
// A case counts for one place, its primary place (primaryPlace); a place's cases are split into
// topics (character n-grams of the text, place names masked, weighted by their inverse document
// frequency over the screened messages so that template phrases count little: cases whose
// vector is at least Similarity alike to a topic's centroid join it). A topic's contacts form
// episodes where consecutive contacts are at most WindowDays apart; an episode is flagged when
// it holds at least MinComplainants distinct complainants and that many is unusual for the
// place-topic: its upper-tail probability under a negative binomial fitted to the topic's daily
// distinct complainants over the BaselineDays days before the episode (floored at MinMean a
// day; the board's typical place rate where the place has too little history) is below Alpha.
type HotIssueParams struct {
	Signal          string  `mapstructure:"signal"`
	WindowDays      int     `mapstructure:"window_days"`
	MinComplainants int     `mapstructure:"min_complainants"`
	Similarity      float64 `mapstructure:"similarity"`
	BaselineDays    int     `mapstructure:"baseline_days"`
	Alpha           float64 `mapstructure:"alpha"`
	MinMean         float64 `mapstructure:"min_mean"`
	LookbackDays    int     `mapstructure:"lookback_days"`
	SkipResolved    bool    `mapstructure:"skip_resolved"`
	// PlaceFields are the case fields that name a case's place when the export has them (of
	// HotPlaceFields): a case with any of them filled is left to the rules that group by fields
	// (wave, baseline), and the rule reads the places in the text of the others only. Hot issues
	// are the matters whose place is only in the text; an export that records the village and the
	// organisation complained about groups them already. Empty: every case's text is read.
	PlaceFields []string `mapstructure:"place_fields"`
}

// HotPlaceFields are the case fields hot_issue's place_fields may name.
var HotPlaceFields = []string{"village", "target_org"}

// Defaults of signal hot_issue.
//
// window_days 30: the issue's hot issues are 10–60 people over days to months; those spread
// over three or four months have a message every week or two on average, and with gaps drawn at
// random a gap of 30 days is rare (about 1 in 12 at a mean gap of 12 days), while a place's
// unrelated messages on one topic come months apart. A sliding window of fixed length would cut
// the slow issues into parts each short of the floor, or, long enough for them, count a busy
// place's scattered messages together; the gap rule follows each issue for as long as it lasts,
// and the test against the topic's own rate keeps a steady trickle from counting as an issue.
//
// min_complainants 8 is the floor under the smallest hot issues (10 people) with a margin for
// a message or two read as another topic; the test (alpha 0.001 like wave's) does the rest.
// min_mean 0.01 a day (one person in 100 days): a place is far narrower than wave's township
// and category, and a new place with no history expects about 0.3 people a month.
const (
	hotWindowDays      = 30
	hotMinComplainants = 8
	hotSimilarity      = 0.15
	hotBaselineDays    = 180
	hotAlpha           = 0.001
	hotMinMean         = 0.01
)

var hotFacts = []string{"place", "context", "kind", "topic", "complainants", "unnamed", "contacts", "cases", "from", "to",
	"window_days", "min_complainants", "observed", "expected", "p_value", "baseline_days"}

func compileHotIssue(at string, params map[string]any) (compiled, error) {
	p := HotIssueParams{WindowDays: hotWindowDays, MinComplainants: hotMinComplainants, Similarity: hotSimilarity,
		BaselineDays: hotBaselineDays, Alpha: hotAlpha, MinMean: hotMinMean, LookbackDays: 365, SkipResolved: true,
		PlaceFields: slices.Clone(HotPlaceFields)} // a copy: decoding writes into it
	if err := decodeParams(at, params, &p); err != nil {
		return compiled{}, err
	}
	if p.MinComplainants < 2 {
		return compiled{}, configs.Fieldf(at+".min_complainants", "rules.at_least_two", p.MinComplainants)
	}
	if err := firstErr(checkDays(at+".window_days", p.WindowDays), checkDays(at+".lookback_days", p.LookbackDays)); err != nil {
		return compiled{}, err
	}
	for i, f := range p.PlaceFields {
		if !slices.Contains(HotPlaceFields, f) {
			return compiled{}, configs.Fieldf(fmt.Sprintf("%s.place_fields[%d]", at, i), "rules.place_field", f, strings.Join(HotPlaceFields, ", "))
		}
	}
	if !(p.Similarity > 0 && p.Similarity <= 1) {
		return compiled{}, configs.Fieldf(at+".similarity", "rules.similarity", p.Similarity)
	}
	test := baseline.Params{Method: baseline.MethodNegBin, BaselineDays: p.BaselineDays, WindowDays: 1,
		MinObserved: p.MinComplainants, Alpha: p.Alpha, MinMean: p.MinMean}
	if err := waveParamsError(at, test); err != nil {
		return compiled{}, err
	}
	if p.BaselineDays > configs.MaxDays {
		return compiled{}, configs.Fieldf(at+".baseline_days", "config.days_range", configs.MaxDays, p.BaselineDays)
	}
	h := &hotIssue{p: p, test: test}
	args := []sql.NamedArg{
		sql.Named("window_days", p.WindowDays),
		sql.Named("min_complainants", p.MinComplainants),
		sql.Named("similarity", p.Similarity),
		sql.Named("baseline_days", p.BaselineDays),
		sql.Named("alpha", p.Alpha),
		sql.Named("min_mean", p.MinMean),
		sql.Named("lookback_days", p.LookbackDays),
		sql.Named("skip_resolved", p.SkipResolved),
		sql.Named("place_fields", p.PlaceFields),
	}
	steps := append([]string{hotMentionRowsStmt, hotMentionsStmt, hotContactsStmt}, hotDocTablesStmt...)
	steps = append(steps, hotDocKeysStmt, hotDocAllStmt, hotDocDeltaStmt, hotCandidatesStmt, hotDocCandidatesStmt,
		hotDocMentionsStmt, hotDocTextsStmt, hotDocNextStmt)
	steps = append(steps, hotDocStoreStmts[true]...)
	steps = append(steps, hotDocStoreStmts[false][0], hotMembersStmt, hotEpisodesStmt, hotIssueStmt)
	return compiled{q: query{args: args, steps: steps}, eval: h.evaluate, facts: hotFacts, reason: hotIssueReason,
		needs: Needs{Places: true}, keeps: true}, nil
}
