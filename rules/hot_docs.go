package rules

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"

	"github.com/earlywarn/earlywarn/internal/db"
)

// hot_issue weighs n-grams by their document frequencies over every text of the period it reads
// (docFreq): at a million cases, reading them all was most of the rule's night. With
// KeepCounts, the rule keeps the counts in the database (sql/hot_doc_tables.sql), with the cases
// they count, each under a key of all its n-grams depend on (sql/hot_doc_keys.sql); the next
// run reads only the texts that entered the period or left it since, adding or taking out their
// n-grams. The counts are integers, so they are those of counting every text again. When a case
// left while its text or places changed (its n-grams as counted cannot be read again), the
// counts kept are inconsistent, or none are kept, every text is counted.

// keepCounts: rules keep what they count over their period in the database for the next run,
// and, with reuse, start from what an earlier run kept.
type keepCounts struct{ reuse bool }

type keepCountsKey struct{}

// KeepCounts returns a context in which rules hold what they count over their period
// (hot_issue's document frequencies) for the caller to keep in the database (StoreKept), and,
// with reuse, start from what an earlier run kept there, reading only what changed; the flags
// are the same either way. Without it (a backtest, a benchmark) rules count everything and keep
// nothing.
func KeepCounts(ctx context.Context, reuse bool) context.Context {
	return context.WithValue(ctx, keepCountsKey{}, &keepCounts{reuse: reuse})
}

// hotDocVersion is in every text key: a change to how a text's n-grams are counted (topicText,
// reduceText, maskNames, gramRoller, the place a case counts for) must change it, so that the
// counts kept are not taken for the new ones.
const hotDocVersion = 1

var (
	hotDocTablesStmt     = db.SplitStatements(renderSQL(hotDocTablesSQL, nil))
	hotDocKeysStmt       = renderSQL(hotDocKeysSQL, nil)
	hotDocAllStmt        = renderSQL(hotDocAllSQL, nil)
	hotDocDeltaStmt      = renderSQL(hotDocDeltaSQL, nil)
	hotCandidatesStmt    = renderSQL(hotCandidatesSQL, nil)
	hotDocCandidatesStmt = renderSQL(hotDocCandsSQL, nil)
	hotDocTextsStmt      = renderSQL(hotDocTextsSQL, nil)
	hotDocNextStmt       = renderSQL(hotDocNextSQL, nil)
	hotDocMentionsStmt   = renderSQL(hotDocMentionsSQL, nil)
	hotDocStoreStmts     = map[bool][]string{
		false: db.SplitStatements(renderSQL(hotDocStoreSQL, map[string]any{"all": false})),
		true:  db.SplitStatements(renderSQL(hotDocStoreSQL, map[string]any{"all": true})),
	}
)

// textPlan is what readTexts reads and counts.
type textPlan struct {
	base     *docFreq           // the counts the texts read add to or take from
	all      bool               // every text of the period is read and counted
	outNames map[int64][]string // the place names masked from each text taken out, by row
}

// planTexts lists in hot_doc_read the texts readTexts reads: every text of the period, or, with
// counts kept from an earlier run (keep.reuse), those that entered the period or left it since;
// and the candidate places' cases, for their topics. args: $as_of, $lookback_days,
// $baseline_days, $place_fields and $version.
func (r *hotRun) planTexts(ctx context.Context, q *sql.Conn, args []any, keep *keepCounts) (textPlan, error) {
	plan := textPlan{base: newDocFreq(), all: true}
	if _, err := q.ExecContext(ctx, hotDocKeysStmt, args...); err != nil {
		return plan, err
	}
	if keep != nil && keep.reuse {
		base, ok, err := loadDocFreq(ctx, q)
		if err != nil {
			return plan, err
		}
		if ok {
			if err := db.Exec(ctx, q, hotDocDeltaStmt); err != nil {
				return plan, err
			}
			lost, err := db.Column[int64](ctx, q, "SELECT count(*) FROM "+db.Ident(db.HotDocRead)+" WHERE ck IS NULL")
			if err != nil {
				return plan, err
			}
			if lost[0] == 0 {
				plan.base, plan.all = base, false
			}
		}
	}
	if plan.all {
		if err := db.Exec(ctx, q, hotDocAllStmt); err != nil {
			return plan, err
		}
	}
	if err := db.Exec(ctx, q, hotCandidatesStmt); err != nil {
		return plan, err
	}
	err := AppendTemp(q, db.HotCandidates, func(add func(...driver.Value) error) error {
		for _, p := range r.places {
			if !p.candidate {
				continue
			}
			for _, i := range p.cases {
				if err := add(r.cases[i].ck); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return plan, err
	}
	if err := db.Exec(ctx, q, hotDocCandidatesStmt); err != nil {
		return plan, err
	}
	if !plan.all {
		plan.outNames, err = outNames(ctx, q, args)
	}
	return plan, err
}

// outNames reads the places named in the texts taken out (hot_doc_read's op -1) and returns the
// names each text was masked with when it was counted: as readMentions gives them to the cases
// of the period, none for a text whose places give it no primary place.
func outNames(ctx context.Context, q *sql.Conn, args []any) (map[int64][]string, error) {
	out := map[int64][]string{}
	err := eachCaseMentions(ctx, q, hotDocMentionsStmt, [][]any{placeFieldsOf(args)}, func(ck int64, ms []placeMention, written []string) {
		if primaryPlace(ms) >= 0 {
			out[ck] = mentionNames(ms, written)
		}
	})
	return out, err
}

// placeFieldsOf is the $place_fields of args.
func placeFieldsOf(args []any) []any {
	for _, a := range args {
		if n, ok := a.(sql.NamedArg); ok && n.Name == "place_fields" {
			return []any{n}
		}
	}
	return nil
}

// loadDocFreq reads the counts an earlier run kept; ok is false when there are none to use.
func loadDocFreq(ctx context.Context, q *sql.Conn) (d *docFreq, ok bool, err error) {
	if ok, err := db.IsTable(ctx, q, "hot_doc_freq"); !ok || err != nil {
		return nil, false, err
	}
	if ok, err := db.IsTable(ctx, q, "hot_doc_texts"); !ok || err != nil {
		return nil, false, err
	}
	type kept struct {
		docs int64
		df   []byte
	}
	rows, err := db.Collect(ctx, q, "SELECT docs, df FROM hot_doc_freq", nil, func(rows *sql.Rows) (kept, error) {
		var k kept
		err := rows.Scan(&k.docs, &k.df)
		return k, err
	})
	if err != nil || len(rows) != 1 || len(rows[0].df) != 4*topicBuckets {
		return nil, false, err
	}
	d = newDocFreq()
	d.docs = int(rows[0].docs)
	for h := range d.df {
		d.df[h] = int32(binary.LittleEndian.Uint32(rows[0].df[4*h:]))
	}
	return d, true, nil
}

// consistent reports whether the counts can be those of some texts: none below zero or above
// the number of texts.
func (d *docFreq) consistent() bool {
	if d.docs < 0 {
		return false
	}
	for _, n := range d.df {
		if n < 0 || int(n) > d.docs {
			return false
		}
	}
	return true
}

// keepDocs holds the counts and whether every text was counted (all) in HotDocNext, and the
// texts read in HotDocRead, until the run stores them (StoreKept); with keep only.
func (r *hotRun) keepDocs(ctx context.Context, q *sql.Conn, keep *keepCounts, all bool) error {
	if keep == nil {
		return nil
	}
	df := make([]byte, 4*topicBuckets)
	for h, n := range r.df.df {
		binary.LittleEndian.PutUint32(df[4*h:], uint32(n))
	}
	_, err := q.ExecContext(ctx, hotDocNextStmt, sql.Named("docs", int64(r.df.docs)), sql.Named("df", df), sql.Named("all", all))
	return err
}

// KeepsCounts reports whether the rule keeps counts over its period between runs in a context
// of KeepCounts (hot_issue: its texts' document frequencies).
func (r *Rule) KeepsCounts() bool { return r.keeps }

// Counted is what a rule that keeps counts read of its period, until the run stores it: how
// many texts it added to the counts or took out of them (Read), and how many texts the counts
// now cover (Texts); All when it counted every text again.
type Counted struct {
	Read, Texts int64
	All         bool
}

// CountedTexts returns what the rule that keeps counts, just materialised in a context of
// KeepCounts, read of its period; nil when it counted nothing to keep.
func CountedTexts(ctx context.Context, q *sql.Conn) (*Counted, error) {
	pending, err := db.Column[int64](ctx, q, "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = $1", db.HotDocNext)
	if err != nil || pending[0] == 0 {
		return nil, err
	}
	var c Counted
	err = q.QueryRowContext(ctx, "SELECT docs, all_texts, (SELECT count(*) FROM "+db.Ident(db.HotDocRead)+" WHERE op <> 0) FROM "+
		db.Ident(db.HotDocNext)).Scan(&c.Texts, &c.All, &c.Read)
	return &c, err
}

// StoreKept stores, for the next run, what the rules counted over their period in a context of
// KeepCounts (hot_issue's document frequencies), if they counted anything; the caller runs it
// in the transaction that stores the run, so that the counts kept are always those of a run
// stored. It drops the temporary tables that held them.
func StoreKept(ctx context.Context, q *sql.Conn) error {
	c, err := CountedTexts(ctx, q)
	if err != nil || c == nil {
		return err
	}
	if err := db.Exec(ctx, q, hotDocTablesStmt...); err != nil {
		return err
	}
	if err := db.Exec(ctx, q, hotDocStoreStmts[c.All]...); err != nil {
		return err
	}
	return db.DropTemp(ctx, q, db.HotDocNext, db.HotDocRead)
}
