package pipeline

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/rules"
)

// mergeMatters makes one matter of the run's flagged matters that share cases: clusters (wave,
// baseline, head count, copied letters) with common cases, and case matters whose case is in a
// cluster. Each flag in runFlagsTable keeps its own matter id in rule_matter_id and takes the
// merged matter's as matter_id.
//
// A merged matter keeps the oldest id among its members, so that ids (and the reviews keyed on
// them) stay stable across nights: the member first listed under its own id on an earlier
// watchlist, else the first listed as merged into another, else the first flagged, a cluster
// before a case, then the smallest id (see sql/merge_apply.sql).
func mergeMatters(ctx context.Context, q *sql.Conn, asOf time.Time) error {
	type member struct{ matter, caseID string }
	pairs, err := db.Collect(ctx, q, mergeMembersSQL, nil, func(rows *sql.Rows) (member, error) {
		var m member
		err := rows.Scan(&m.matter, &m.caseID)
		return m, err
	})
	if err != nil {
		return err
	}
	// Union-find over matter ids; a case joins every matter that holds it to the first seen.
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok || p == x {
			parent[x] = x
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	holder := map[string]string{} // case id → a matter holding it
	for _, p := range pairs {
		find(p.matter)
		if h, ok := holder[p.caseID]; ok {
			if a, b := find(h), find(p.matter); a != b {
				parent[a] = b
			}
		} else {
			holder[p.caseID] = p.matter
		}
	}
	size := map[string]int{}
	for m := range parent {
		size[find(m)]++
	}
	if err := db.Exec(ctx, q, mergeTablesSQL...); err != nil {
		return err
	}
	component := map[string]int64{}
	err = rules.AppendTemp(q, matterMergesTable, func(add func(...driver.Value) error) error {
		for m := range parent {
			root := find(m)
			if size[root] < 2 {
				continue
			}
			id, ok := component[root]
			if !ok {
				id = int64(len(component))
				component[root] = id
			}
			if err := add(m, id, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || len(component) == 0 {
		return err
	}
	if _, err := q.ExecContext(ctx, mergeApplySQL, sql.Named("as_of", asOf.Format(time.DateOnly))); err != nil {
		return err
	}
	return db.Exec(ctx, q, mergeFlagsSQL)
}

// maxToldCases is how many of a merged cluster's cases with flags of their own have their
// reasons told in full; a cluster with more tells, instead, how many of its cases each rule
// flagged, with a few of them for example (maxExampleCases), then the reasons of the case its
// reason tells first (the one whose flags weigh most).
const (
	maxToldCases    = 2
	maxExampleCases = 3
)

// RuleNamer names a rule in a language (a rule's display name, see rules.Rule.DisplayName).
type RuleNamer func(lang, rule string) string

// composeReasons writes, in mergedReasonsTable, the reason of every matter that has more than
// one flag and a live one, in each language: its cluster flags' reasons first, then its case
// flags', each case's in order of weight, highest first (each case introduced by its id when the
// matter is a cluster; see maxToldCases for a cluster of many). A clause (between 。 or ；) a
// case's reasons already told is not told again, so a stage the flags of one case all end with
// is said once.
func composeReasons(ctx context.Context, q *sql.Conn, name RuleNamer) error {
	if err := db.Exec(ctx, q, mergeReasonFlagsSQL, mergedReasonsSQL); err != nil {
		return err
	}
	return eachRange(ctx, q, mergeFlagsTable, mergeRange, func(from, to int64) error {
		return composeRange(ctx, q, name, from, to)
	})
}

// mergeRange is how many matters' flags composeReasons reads at a time.
var mergeRange int64 = 200_000

// mergeFlag is one flag of a matter whose reason is composed.
type mergeFlag struct {
	matter, kind, caseID, rule string
	reasons                    [2]string // in the order of i18n.Languages: zh, en
}

// composeRange composes the reasons of the matters of mergeFlagsTable numbered from to to-1 and
// appends them to mergedReasonsTable.
func composeRange(ctx context.Context, q *sql.Conn, name RuleNamer, from, to int64) error {
	flags, err := db.Collect(ctx, q, mergeReasonRangeSQL, []any{sql.Named("from", from), sql.Named("to", to)}, func(rows *sql.Rows) (mergeFlag, error) {
		var f mergeFlag
		err := rows.Scan(&f.matter, &f.kind, &f.caseID, &f.rule, &f.reasons[0], &f.reasons[1])
		return f, err
	})
	if err != nil {
		return err
	}
	return rules.AppendTemp(q, mergedReasonsTable, func(add func(...driver.Value) error) error {
		// flags come ordered by matter, then as told (see sql/merge_reason_flags.sql).
		for i := 0; i < len(flags); {
			j := i
			for j < len(flags) && flags[j].matter == flags[i].matter {
				j++
			}
			values := []driver.Value{flags[i].matter}
			for li, lang := range i18n.Languages {
				values = append(values, matterReason(flags[i:j], li, lang, name))
			}
			if err := add(values...); err != nil {
				return err
			}
			i = j
		}
		return nil
	})
}

// matterReason is the reason in lang (the li-th of i18n.Languages) of one matter's flags, in
// the order told.
func matterReason(group []mergeFlag, li int, lang string, name RuleNamer) string {
	var parts []string
	// runs: the cluster flags, then each case's flags, in the order told.
	type run struct{ from, to int }
	var runs []run
	for k := 0; k < len(group); {
		n := k
		for n < len(group) && group[n].kind == group[k].kind && (group[k].kind == "cluster" || group[n].caseID == group[k].caseID) {
			n++
		}
		runs = append(runs, run{k, n})
		k = n
	}
	cluster := group[0].kind == "cluster"
	caseRuns := 0
	for _, r := range runs {
		if group[r.from].kind != "cluster" {
			caseRuns++
		}
	}
	told := 0
	for _, r := range runs {
		f := group[r.from]
		if f.kind != "cluster" && cluster && caseRuns > maxToldCases {
			if told > 0 {
				continue
			}
			parts = append(parts, casesByRule(group, lang, name))
		}
		texts := make([]string, 0, r.to-r.from)
		for _, g := range group[r.from:r.to] {
			texts = append(texts, g.reasons[li])
		}
		text := dedupClauses(texts, lang)
		if f.kind != "cluster" && cluster {
			text = i18n.T(lang, "reason.in_cluster", f.caseID) + text
			told++
		}
		parts = append(parts, text)
	}
	return strings.Join(parts, reasonSeparator(lang))
}

// casesByRule says, for a cluster's case flags, how many of its cases each rule flagged, rules
// in the order their first flag is told, with the first maxExampleCases cases told of each.
func casesByRule(group []mergeFlag, lang string, name RuleNamer) string {
	type tally struct {
		rule     string
		cases    int
		examples []string
	}
	var tallies []*tally
	byRule := map[string]*tally{}
	seen := map[[2]string]bool{}
	for _, f := range group {
		if f.kind == "cluster" || seen[[2]string{f.rule, f.caseID}] {
			continue
		}
		seen[[2]string{f.rule, f.caseID}] = true
		t := byRule[f.rule]
		if t == nil {
			t = &tally{rule: f.rule}
			byRule[f.rule] = t
			tallies = append(tallies, t)
		}
		t.cases++
		if len(t.examples) < maxExampleCases {
			t.examples = append(t.examples, f.caseID)
		}
	}
	items := make([]string, 0, len(tallies))
	for _, t := range tallies {
		key := "reason.cases_by_rule.item"
		if t.cases > len(t.examples) {
			key = "reason.cases_by_rule.item_more"
		}
		items = append(items, i18n.T(lang, key, name(lang, t.rule), t.cases, strings.Join(t.examples, i18n.T(lang, "reason.cases_by_rule.id_sep"))))
	}
	return i18n.T(lang, "reason.cases_by_rule", strings.Join(items, i18n.T(lang, "reason.cases_by_rule.sep")))
}

// Punctuation of reasons by language: a reason is sentences, each ending with its full stop,
// of clauses separated by its semicolon, each of phrases separated by its comma; sentences
// follow each other with sep.
var punctuation = map[string]struct{ stop, semi, comma, sep string }{
	"zh": {"。", "；", "，", ""},
	"en": {".", "; ", ", ", " "},
}

func reasonSeparator(lang string) string { return punctuation[lang].sep }

// dedupClauses joins reasons, each a sentence or more, leaving out every phrase one before it
// already said (a stage two flags of a case both end with, say) and every clause left empty.
func dedupClauses(reasons []string, lang string) string {
	p := punctuation[lang]
	seen := map[string]bool{}
	var sentences []string
	for _, r := range reasons {
		r = strings.TrimSuffix(strings.TrimSpace(r), p.stop)
		for _, s := range splitOutside(r, p.stop+p.sep) {
			var clauses []string
			for _, c := range splitOutside(s, p.semi) {
				var phrases []string
				for _, ph := range splitOutside(c, p.comma) {
					if ph = strings.TrimSpace(ph); ph != "" && !seen[ph] {
						seen[ph] = true
						phrases = append(phrases, ph)
					}
				}
				if len(phrases) > 0 {
					clauses = append(clauses, strings.Join(phrases, p.comma))
				}
			}
			if len(clauses) > 0 {
				sentences = append(sentences, strings.Join(clauses, p.semi)+p.stop)
			}
		}
	}
	return strings.Join(sentences, p.sep)
}

// splitOutside splits s at each sep that is not inside brackets, full-width or not.
func splitOutside(s, sep string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "（"), s[i] == '(':
			depth++
		case strings.HasPrefix(s[i:], "）"), s[i] == ')':
			depth = max(depth-1, 0)
		case depth == 0 && strings.HasPrefix(s[i:], sep):
			parts = append(parts, s[start:i])
			i += len(sep)
			start = i
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	return append(parts, s[start:])
}
