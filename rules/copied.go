package rules

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/copydetect"
	"github.com/earlywarn/earlywarn/internal/db"
)

// copiedSimilar is signal copied_letters with similarity below 1: near-identical texts are
// clustered in Go by package copydetect (normalised character 3-grams less the template phrases
// many townships and categories share, MinHash with LSH banding, exact Jaccard at or above the
// similarity, clusters whose mean Jaccard is at least the similarity), then each cluster is cut
// into episodes wherever WindowDays pass without a letter, as the exact method does. An
// episode's similarity is the mean Jaccard over the pairs of its own letters; an episode less
// alike than the similarity asked for is not reported.
type copiedSimilar struct {
	p      CopiedParams
	detect copydetect.Params
}

// Defaults of the template rule: a 3-gram seen in letters from 5 townships, or from 3
// categories, is a template phrase. Copies of one letter come from one place about one matter; a
// phrase that unrelated letters share across places or matters is boilerplate (a petition form,
// a greeting, a category's stock request such as 请求责令总包单位先行垫付工资, a place name).
// Near copies spanning five townships or more are found only when equal in normal form.
const (
	copiedTemplateTownships  = 5
	copiedTemplateCategories = 3
)

var copiedSimilarFacts = append(append([]string{}, copiedFacts...), "similarity", "similarity_threshold", "templates_ignored")

func newCopiedSimilar(at string, p CopiedParams) (compiled, error) {
	d := copydetect.DefaultParams()
	d.Threshold = p.Similarity
	d.MinPersons = p.MinComplainants
	d.MinRunes = p.MinChars
	d.TemplateTownships, d.TemplateCategories = p.TemplateTownships, p.TemplateCategories
	if err := d.Validate(); err != nil {
		var pe *copydetect.ParamError
		if errors.As(err, &pe) {
			switch pe.Key {
			case "min_runes":
				return compiled{}, configs.Fieldf(at+".min_chars", "rules.min_chars_shingle", p.MinChars, d.Shingle)
			case "template_townships", "template_categories":
				return compiled{}, configs.Fieldf(at+"."+pe.Key, "rules.negative", pe.Value)
			}
		}
		return compiled{}, configs.Fieldf(at+".similarity", "config.calendar", err.Error())
	}
	c := &copiedSimilar{p: p, detect: d}
	args := append(copiedArgs(p), sql.Named("similarity", p.Similarity),
		sql.Named("template_townships", p.TemplateTownships), sql.Named("template_categories", p.TemplateCategories))
	steps := []string{copiedCandidatesStmt, copiedMembersStmt, copiedSimilarStmt}
	return compiled{q: query{args: args, steps: steps}, eval: c.evaluate, facts: copiedSimilarFacts, reason: copiedSimilarReason}, nil
}

// The statements copiedSimilar runs, in order: it reads the candidate letters, clusters them in
// Go, appends the episodes' letters to a table and makes the flags from it.
var (
	copiedCandidatesStmt = renderSQL(copiedCandidatesSQL, nil)
	copiedMembersStmt    = renderSQL(copiedMembersSQL, nil)
	copiedSimilarStmt    = renderSQL(copiedSimilarSQL, nil)
)

func copiedArgs(p CopiedParams) []sql.NamedArg {
	return []sql.NamedArg{
		sql.Named("channels", p.Channels),
		sql.Named("min_complainants", p.MinComplainants),
		sql.Named("min_chars", p.MinChars),
		sql.Named("window_days", p.WindowDays),
		sql.Named("lookback_days", p.LookbackDays),
		sql.Named("skip_resolved", p.SkipResolved),
	}
}

type letterRow struct {
	ck                  int64
	caseID, complainant string
	received            time.Time
}

// templatesIgnored reports whether the rule leaves template phrases out of the comparison.
func (c *copiedSimilar) templatesIgnored() bool {
	return c.p.TemplateTownships > 0 || c.p.TemplateCategories > 0
}

func (c *copiedSimilar) evaluate(ctx context.Context, q *sql.Conn, asOf time.Time) error {
	byID := map[string]letterRow{}
	var letters []copydetect.Letter
	err := db.Query(ctx, q, copiedCandidatesStmt, []any{sql.Named("channels", c.p.Channels),
		sql.Named("as_of", asOf.Format(time.DateOnly)), sql.Named("lookback_days", c.p.LookbackDays)},
		func(rows *sql.Rows) error {
			var r letterRow
			var text string
			var township, category sql.NullString
			if err := rows.Scan(&r.ck, &r.caseID, &r.complainant, &r.received, &text, &township, &category); err != nil {
				return err
			}
			byID[r.caseID] = r
			letters = append(letters, copydetect.Letter{ID: r.caseID, Person: r.complainant, Text: text,
				Township: township.String, Category: category.String})
			return nil
		})
	if err != nil {
		return fmt.Errorf("letters: %w", err)
	}
	clusters, err := copydetect.Cluster(letters, c.detect)
	if err != nil {
		return err
	}
	var members []copiedMember
	for _, cl := range clusters {
		rs := make([]letterRow, len(cl.IDs))
		for i, id := range cl.IDs {
			rs[i] = byID[id]
		}
		members = append(members, c.episodes(rs, cl)...)
	}
	if err := writeCopiedMembers(ctx, q, members); err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, copiedSimilarStmt,
		sql.Named("min_complainants", c.p.MinComplainants), sql.Named("skip_resolved", c.p.SkipResolved),
		sql.Named("similarity", c.p.Similarity), sql.Named("templates_ignored", c.templatesIgnored()))
	return err
}

// copiedMember is one letter of an episode; the episode is named by its first letter's case id.
type copiedMember struct {
	episode      string
	ck           int64
	firstFlagged time.Time
	complainants int
	similarity   float64
}

// episodes cuts a cluster's letters, in order of receipt, wherever more than WindowDays pass
// between two letters, and keeps the episodes with MinComplainants distinct complainants whose
// letters are, on average over their pairs, at least Similarity alike; an episode is flagged
// from the day its MinComplainants-th complainant wrote.
func (c *copiedSimilar) episodes(rs []letterRow, cl copydetect.ClusterResult) []copiedMember {
	sort.Slice(rs, func(i, j int) bool {
		if !rs[i].received.Equal(rs[j].received) {
			return rs[i].received.Before(rs[j].received)
		}
		return rs[i].caseID < rs[j].caseID
	})
	var out []copiedMember
	for start := 0; start < len(rs); {
		end := start + 1
		for end < len(rs) && rs[end].received.Sub(rs[end-1].received) <= time.Duration(c.p.WindowDays)*24*time.Hour {
			end++
		}
		seen := map[string]bool{}
		var flagged time.Time
		for _, r := range rs[start:end] {
			if !seen[r.complainant] {
				seen[r.complainant] = true
				if len(seen) == c.p.MinComplainants {
					flagged = r.received
				}
			}
		}
		ids := make([]string, 0, end-start)
		for _, r := range rs[start:end] {
			ids = append(ids, r.caseID)
		}
		_, similarity := cl.JaccardAmong(ids)
		if len(seen) >= c.p.MinComplainants && similarity >= c.p.Similarity {
			for _, r := range rs[start:end] {
				out = append(out, copiedMember{episode: rs[start].caseID, ck: r.ck, firstFlagged: flagged,
					complainants: len(seen), similarity: similarity})
			}
		}
		start = end
	}
	return out
}

func writeCopiedMembers(ctx context.Context, q *sql.Conn, ms []copiedMember) error {
	if err := db.Exec(ctx, q, copiedMembersStmt); err != nil {
		return err
	}
	return AppendTemp(q, db.CopiedMembers, func(add func(...driver.Value) error) error {
		for _, m := range ms {
			if err := add(m.episode, m.ck, m.firstFlagged, int32(m.complainants), m.similarity); err != nil {
				return err
			}
		}
		return nil
	})
}
