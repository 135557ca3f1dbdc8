package rules

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sort"
	"time"

	"github.com/earlywarn/earlywarn/internal/copydetect"
)

// copiedSimilar is signal copied_letters with similarity below 1: near-identical texts are
// clustered in Go by package copydetect (normalised character 3-grams, MinHash with LSH
// banding, exact Jaccard at or above the similarity), then each cluster is cut into episodes
// wherever WindowDays pass without a letter, as the exact method does.
type copiedSimilar struct {
	p      CopiedParams
	detect copydetect.Params
}

var copiedSimilarFacts = append(append([]string{}, copiedFacts...), "similarity")

func newCopiedSimilar(at string, p CopiedParams) (compiled, error) {
	d := copydetect.DefaultParams()
	d.Threshold = p.Similarity
	d.MinPersons = p.MinComplainants
	d.MinRunes = p.MinChars
	if err := d.Validate(); err != nil {
		return compiled{}, &FieldError{Key: at + ".similarity", Msg: err.Error()}
	}
	c := &copiedSimilar{p: p, detect: d}
	args := append(copiedArgs(p), sql.Named("similarity", p.Similarity))
	return compiled{q: query{args: args}, eval: c.evaluate, facts: copiedSimilarFacts, reason: copiedSimilarReason}, nil
}

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

func (c *copiedSimilar) evaluate(ctx context.Context, q *sql.Conn, asOf time.Time) error {
	rows, err := q.QueryContext(ctx, fmt.Sprintf(`SELECT s.ck, s.case_id, s.complainant_id, s.received_date, c.content
FROM cases c JOIN %s s ON s.ck = c.rowid
WHERE c.content IS NOT NULL AND list_contains($channels, c.channel)
  AND s.received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)`, StateTable),
		sql.Named("channels", c.p.Channels), sql.Named("as_of", asOf.Format(time.DateOnly)),
		sql.Named("lookback_days", c.p.LookbackDays))
	if err != nil {
		return fmt.Errorf("letters: %w", err)
	}
	byID := map[string]letterRow{}
	var letters []copydetect.Letter
	for rows.Next() {
		var r letterRow
		var text string
		if err := rows.Scan(&r.ck, &r.caseID, &r.complainant, &r.received, &text); err != nil {
			rows.Close()
			return err
		}
		byID[r.caseID] = r
		letters = append(letters, copydetect.Letter{ID: r.caseID, Person: r.complainant, Text: text})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
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
		members = append(members, c.episodes(rs, cl.MinJaccard)...)
	}
	if err := writeCopiedMembers(ctx, q, members); err != nil {
		return err
	}
	// Each episode is summed up before its contacts are joined: a large cluster's contact list
	// must not be repeated for each of its letters.
	_, err = q.ExecContext(ctx, fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE %[1]s AS
WITH m AS (
  SELECT cm.*, s.case_id, s.received_date, s.township, s.category, s.resolved
  FROM copied_members cm JOIN %[2]s s USING (ck)
),
most AS (
  SELECT episode, arg_max(township, (nt, township)) AS township, arg_max(category, (nc, category)) AS category
  FROM (SELECT episode, township, category,
               count(*) OVER (PARTITION BY episode, township) AS nt,
               count(*) OVER (PARTITION BY episode, category) AS nc
        FROM m)
  GROUP BY episode
),
e AS (
  SELECT episode, list_sort(list(case_id)) AS case_ids, count(*) AS letters,
         any_value(first_flagged) AS first_flagged, any_value(complainants) AS complainants,
         min(received_date) AS from_d, max(received_date) AS to_d,
         any_value(similarity) AS similarity, bool_and(resolved) AS resolved
  FROM m GROUP BY episode
),
mc AS (
  SELECT m.episode, list_sort(list(k.contact_id)) AS contact_ids
  FROM m JOIN %[3]s k USING (ck) GROUP BY m.episode
)
SELECT 'group:' || md5(concat_ws(chr(31), 'copied-similar', e.episode))[1:16] AS matter_id,
       'cluster' AS matter_kind,
       e.case_ids,
       coalesce(mc.contact_ids, []::VARCHAR[]) AS contact_ids,
       e.first_flagged,
       e.complainants / $min_complainants AS strength,
       json_object('complainants', e.complainants, 'letters', e.letters,
                   'min_complainants', $min_complainants,
                   'from', e.from_d, 'to', e.to_d,
                   'township', most.township, 'category', most.category,
                   'similarity', round(e.similarity, 2))::VARCHAR AS facts
FROM e JOIN most USING (episode) LEFT JOIN mc USING (episode)
WHERE NOT ($skip_resolved AND e.resolved)`, FlagsTable, StateTable, ContactsTable),
		sql.Named("min_complainants", c.p.MinComplainants), sql.Named("skip_resolved", c.p.SkipResolved))
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
// between two letters, and keeps the episodes with MinComplainants distinct complainants; an
// episode is flagged from the day its MinComplainants-th complainant wrote.
func (c *copiedSimilar) episodes(rs []letterRow, similarity float64) []copiedMember {
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
		if len(seen) >= c.p.MinComplainants {
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
	if _, err := q.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE copied_members (
  episode VARCHAR, ck BIGINT, first_flagged DATE, complainants INTEGER, similarity DOUBLE)`); err != nil {
		return err
	}
	return AppendTemp(q, "copied_members", func(add func(...driver.Value) error) error {
		for _, m := range ms {
			if err := add(m.episode, m.ck, m.firstFlagged, int32(m.complainants), m.similarity); err != nil {
				return err
			}
		}
		return nil
	})
}
