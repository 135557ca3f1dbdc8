package rules

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/placeholder"
)

// Signals of a group_signal rule.
const (
	SignalHeadCount = "head_count"     // one contact of MinPeople or more people
	SignalWave      = "wave"           // MinComplainants distinct people about one group within WindowDays
	SignalCopied    = "copied_letters" // MinComplainants distinct people sending the same text
)

var groupSignals = []string{SignalHeadCount, SignalWave, SignalCopied, SignalBaseline, SignalHotIssue}

// GroupByFields are the case fields a wave may be grouped by.
var GroupByFields = []string{"township", "village", "category", "target_org", "responsible_unit"}

// groupBy is the data of a group rule's SQL: its fields (group_by), and (known, in column
// alias s) the condition that none of them is empty or a placeholder (未注明区县, Unspecified:
// package placeholder): cases that share "unknown" share no place or issue, and form no group.
func groupBy(fields []string) map[string]any {
	conds := make([]string, len(fields))
	for i, f := range fields {
		col := "s." + db.Ident(f)
		conds[i] = col + " <> '' AND NOT " + placeholder.SQL(col)
	}
	return map[string]any{"group_by": db.Names(fields...), "known": db.Fragment(strings.Join(conds, " AND "))}
}

// HeadCountParams configure signal head_count.
type HeadCountParams struct {
	Signal       string `mapstructure:"signal"`
	MinPeople    int    `mapstructure:"min_people"`
	LookbackDays int    `mapstructure:"lookback_days"`
	SkipResolved bool   `mapstructure:"skip_resolved"`
}

// WaveParams configure signal wave: contacts from at least MinComplainants distinct people on
// cases that share every GroupBy field, within some window of WindowDays days, when that many is
// unusual for the group: the window's count must have an upper-tail probability below Alpha
// under a negative binomial fitted to the group's daily distinct complainants over the
// BaselineDays days that end GuardDays days before the window (package baseline, method negbin,
// daily mean floored at MinMean). MinComplainants is the floor; Alpha 1 keeps the floor alone.
type WaveParams struct {
	Signal          string   `mapstructure:"signal"`
	GroupBy         []string `mapstructure:"group_by"`
	WindowDays      int      `mapstructure:"window_days"`
	MinComplainants int      `mapstructure:"min_complainants"`
	BaselineDays    int      `mapstructure:"baseline_days"`
	GuardDays       int      `mapstructure:"guard_days"`
	Alpha           float64  `mapstructure:"alpha"`
	MinMean         float64  `mapstructure:"min_mean"`
	LookbackDays    int      `mapstructure:"lookback_days"`
	SkipResolved    bool     `mapstructure:"skip_resolved"`
}

// CopiedParams configure signal copied_letters: cases from at least MinComplainants distinct
// complainants whose contents are equal once reduced to their letters (digits, punctuation and
// spaces dropped, lower-cased), received with gaps of at most WindowDays days.
type CopiedParams struct {
	Signal          string   `mapstructure:"signal"`
	Channels        []string `mapstructure:"channels"`
	MinComplainants int      `mapstructure:"min_complainants"`
	MinChars        int      `mapstructure:"min_chars"`
	WindowDays      int      `mapstructure:"window_days"`
	LookbackDays    int      `mapstructure:"lookback_days"`
	SkipResolved    bool     `mapstructure:"skip_resolved"`
	// Similarity 1 asks for equal texts (compared in SQL); below 1, for texts whose normalised
	// character 3-grams have at least this Jaccard similarity (MinHash in Go, see copied.go).
	Similarity float64 `mapstructure:"similarity"`
	// Below 1, 3-grams seen in letters from at least TemplateTownships townships, or from at
	// least TemplateCategories categories, are template phrases and not compared (0 leaves that
	// field out; both 0 compare every 3-gram).
	TemplateTownships  int `mapstructure:"template_townships"`
	TemplateCategories int `mapstructure:"template_categories"`
}

var (
	headCountFacts = []string{"people", "min_people", "contacts", "first_date", "last_date", "stage"}
	waveFacts      = []string{"complainants", "unnamed", "contacts", "cases", "window_days", "min_complainants", "from", "to", "group",
		"observed", "expected", "p_value", "baseline_days"}
	copiedFacts = []string{"complainants", "unnamed", "letters", "min_complainants", "from", "to", "township", "townships", "category", "categories", "channel"}
)

func compileGroup(at string, params map[string]any) (compiled, error) {
	signal, _ := params["signal"].(string)
	switch signal {
	case SignalHeadCount:
		return compileHeadCount(at, params)
	case SignalWave:
		return compileWave(at, params)
	case SignalCopied:
		return compileCopied(at, params)
	case SignalBaseline:
		return compileBaseline(at, params)
	case SignalHotIssue:
		return compileHotIssue(at, params)
	}
	return compiled{}, configs.Fieldf(at+".signal", "rules.signal", fmt.Sprint(params["signal"]), strings.Join(groupSignals, ", "))
}

func compileHeadCount(at string, params map[string]any) (compiled, error) {
	p := HeadCountParams{MinPeople: 5, LookbackDays: 365, SkipResolved: true}
	if err := decodeParams(at, params, &p); err != nil {
		return compiled{}, err
	}
	if p.MinPeople < 2 {
		return compiled{}, configs.Fieldf(at+".min_people", "rules.at_least_two", p.MinPeople)
	}
	if err := checkDays(at+".lookback_days", p.LookbackDays); err != nil {
		return compiled{}, err
	}
	stmt := renderSQL(headCountSQL, nil)
	return compiled{q: query{sql: stmt, args: []sql.NamedArg{
		sql.Named("min_people", p.MinPeople),
		sql.Named("lookback_days", p.LookbackDays),
		sql.Named("skip_resolved", p.SkipResolved),
	}}, facts: headCountFacts, reason: headCountReason}, nil
}

func compileWave(at string, params map[string]any) (compiled, error) {
	p := WaveParams{GroupBy: []string{"township", "category", "target_org"}, WindowDays: 5,
		MinComplainants: 6, BaselineDays: waveBaselineDays, GuardDays: waveGuardDays, Alpha: waveAlpha,
		MinMean: waveMinMean, LookbackDays: 365, SkipResolved: true}
	if err := decodeParams(at, params, &p); err != nil {
		return compiled{}, err
	}
	if err := checkGroupBy(at, p.GroupBy); err != nil {
		return compiled{}, err
	}
	if p.MinComplainants < 2 {
		return compiled{}, configs.Fieldf(at+".min_complainants", "rules.at_least_two", p.MinComplainants)
	}
	if err := firstErr(checkDays(at+".window_days", p.WindowDays), checkDays(at+".lookback_days", p.LookbackDays)); err != nil {
		return compiled{}, err
	}
	return newWave(at, p)
}

func compileCopied(at string, params map[string]any) (compiled, error) {
	p := CopiedParams{Channels: []string{"letter", "online"}, MinComplainants: 3, MinChars: 20,
		WindowDays: 30, LookbackDays: 365, SkipResolved: true, Similarity: 1,
		TemplateTownships: copiedTemplateTownships, TemplateCategories: copiedTemplateCategories}
	if err := decodeParams(at, params, &p); err != nil {
		return compiled{}, err
	}
	if len(p.Channels) == 0 {
		return compiled{}, configs.Fieldf(at+".channels", "rules.channels_empty", codeList(data.Channels))
	}
	for i, ch := range p.Channels {
		if !isCode(data.Channels, ch) {
			return compiled{}, configs.Fieldf(fmt.Sprintf("%s.channels[%d]", at, i), "rules.channel", ch, codeList(data.Channels))
		}
	}
	switch {
	case p.MinComplainants < 2:
		return compiled{}, configs.Fieldf(at+".min_complainants", "rules.at_least_two", p.MinComplainants)
	case p.MinChars < 1:
		return compiled{}, configs.Fieldf(at+".min_chars", "config.at_least_one", p.MinChars)
	}
	if err := firstErr(checkDays(at+".window_days", p.WindowDays), checkDays(at+".lookback_days", p.LookbackDays)); err != nil {
		return compiled{}, err
	}
	if !(p.Similarity > 0 && p.Similarity <= 1) {
		return compiled{}, configs.Fieldf(at+".similarity", "rules.similarity", p.Similarity)
	}
	for _, k := range []string{"template_townships", "template_categories"} {
		if _, set := params[k]; set && p.Similarity == 1 {
			return compiled{}, configs.Fieldf(at+"."+k, "rules.similar_only", p.Similarity)
		}
	}
	if p.Similarity < 1 {
		return newCopiedSimilar(at, p)
	}
	stmt := renderSQL(copiedExactSQL, nil)
	return compiled{q: query{sql: stmt, args: copiedArgs(p)}, facts: copiedFacts, reason: copiedReason}, nil
}

func checkDays(key string, days int) error {
	if days < 1 || days > configs.MaxDays {
		return configs.Fieldf(key, "config.days_range", configs.MaxDays, days)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func isCode(codes []data.Code, code string) bool {
	return slices.ContainsFunc(codes, func(c data.Code) bool { return c.Code == code })
}

func codeList(codes []data.Code) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = c.Code
	}
	return strings.Join(names, ", ")
}
