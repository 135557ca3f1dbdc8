package review

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// ErrNoRun means the database holds no run yet.
var ErrNoRun = i18n.Errorf("web.error.no_run")

// LatestRun returns the id and as-of date of the latest finished run.
func LatestRun(ctx context.Context, q Querier) (runID, asOf string, err error) {
	var tables int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('runs', 'watchlist', 'flags', 'cases')`).Scan(&tables); err != nil {
		return "", "", err
	}
	if tables < 4 { // no run has created the pipeline's tables yet
		return "", "", ErrNoRun
	}
	err = q.QueryRowContext(ctx, `SELECT run_id, strftime(as_of, '%Y-%m-%d') FROM runs ORDER BY finished_at DESC, run_id DESC LIMIT 1`).Scan(&runID, &asOf)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", ErrNoRun
	}
	return runID, asOf, err
}

// Reviewed is matter_review as it stands for the nightly run: a dismissal the run has lifted
// (the matter got materially worse) leaves the matter open again. Join it as a table.
const Reviewed = `(SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM matter_review r LEFT JOIN (SELECT DISTINCT matter_id FROM dismissals WHERE lifted_at IS NULL) d USING (matter_id))`

// Filter selects watchlist items; empty fields select all. Page counts from 1.
type Filter struct {
	Tier, Township, Category, Rule, State string
	Page, PerPage                         int
}

// Item is one watchlist item with its review state.
type Item struct {
	Rank                                int64
	ID, Kind, Tier                      string
	Score                               float64
	Rules                               string
	Township, Category, Unit, Reason    string
	FirstFlagged                        string
	State, Owner, Due                   string
	CaseCount, ContactCount, EventCount int64
}

// Page is one page of a filtered watchlist.
type Page struct {
	RunID, AsOf                  string
	Items                        []Item
	Total, Page, Pages           int
	Townships, Categories, Rules []string
}

func reasonColumn(lang string) string {
	if lang == LangEN {
		return "reason_en"
	}
	return "reason_zh"
}

const itemColumns = `w.rank, w.matter_id, w.matter_kind, w.tier, w.score, array_to_string(w.rules, ', '),
  coalesce(w.township, ''), coalesce(w.category, ''), coalesce(w.responsible_unit, ''), coalesce(w.%s, ''),
  strftime(w.first_flagged, '%%Y-%%m-%%d'), coalesce(m.state, 'open'), coalesce(m.owner, ''),
  coalesce(strftime(m.due_date, '%%Y-%%m-%%d'), ''), len(w.case_ids), len(w.contact_ids), len(w.event_ids)`

func scanItem(rows interface{ Scan(...any) error }, it *Item) error {
	return rows.Scan(&it.Rank, &it.ID, &it.Kind, &it.Tier, &it.Score, &it.Rules, &it.Township, &it.Category, &it.Unit,
		&it.Reason, &it.FirstFlagged, &it.State, &it.Owner, &it.Due, &it.CaseCount, &it.ContactCount, &it.EventCount)
}

// Watchlist returns one page of run runID's watchlist, filtered, in rank order, with reasons in
// lang. The page's filter options are left empty (FilterOptions gives them).
func Watchlist(ctx context.Context, q Querier, runID, asOf, lang string, f Filter) (Page, error) {
	p := Page{RunID: runID, AsOf: asOf, Page: max(f.Page, 1)}
	per := f.PerPage
	if per <= 0 {
		per = 50
	}
	where := `w.run_id = $1 AND ($2 = '' OR w.tier = $2) AND ($3 = '' OR w.township = $3) AND ($4 = '' OR w.category = $4)
  AND ($5 = '' OR list_contains(w.rules, $5)) AND ($6 = '' OR coalesce(m.state, 'open') = $6)`
	args := []any{runID, f.Tier, f.Township, f.Category, f.Rule, f.State}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM watchlist w LEFT JOIN `+Reviewed+` m USING (matter_id) WHERE `+where, args...).Scan(&p.Total); err != nil {
		return p, i18n.Wrap(err, "web.db.watchlist")
	}
	// The page's ranks first, over narrow rows; then the wide columns of those ranks only.
	rows, err := q.QueryContext(ctx, `WITH page AS (
  SELECT w.rank FROM watchlist w LEFT JOIN `+Reviewed+` m USING (matter_id) WHERE `+where+`
  ORDER BY w.rank LIMIT $7 OFFSET $8
)
SELECT `+fmt.Sprintf(itemColumns, reasonColumn(lang))+`
FROM watchlist w LEFT JOIN `+Reviewed+` m USING (matter_id)
WHERE w.run_id = $1 AND w.rank IN (SELECT rank FROM page) ORDER BY w.rank`, append(args, per, (p.Page-1)*per)...)
	if err != nil {
		return p, i18n.Wrap(err, "web.db.watchlist")
	}
	defer rows.Close()
	for rows.Next() {
		var it Item
		if err := scanItem(rows, &it); err != nil {
			return p, i18n.Wrap(err, "web.db.watchlist")
		}
		p.Items = append(p.Items, it)
	}
	if err := rows.Err(); err != nil {
		return p, err
	}
	p.Pages = max((p.Total+per-1)/per, 1)
	return p, nil
}

// Options are the values each watchlist filter can take in a run.
type Options struct{ Townships, Categories, Rules []string }

// FilterOptions returns the townships, categories and rules of run runID's watchlist.
func FilterOptions(ctx context.Context, q Querier, runID string) (Options, error) {
	var o Options
	for _, x := range []struct {
		into *[]string
		sql  string
	}{
		{&o.Townships, `SELECT DISTINCT township FROM watchlist WHERE run_id = $1 AND township IS NOT NULL ORDER BY 1`},
		{&o.Categories, `SELECT DISTINCT category FROM watchlist WHERE run_id = $1 AND category IS NOT NULL ORDER BY 1`},
		{&o.Rules, `SELECT DISTINCT unnest(rules) AS r FROM watchlist WHERE run_id = $1 ORDER BY 1`},
	} {
		var err error
		if *x.into, err = strings1(ctx, q, x.sql, runID); err != nil {
			return o, i18n.Wrap(err, "web.db.watchlist_filters")
		}
	}
	return o, nil
}

func strings1(ctx context.Context, q Querier, stmt string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Matter is everything the matter page shows.
type Matter struct {
	RunID, AsOf string
	OnLatest    bool // on the latest run's watchlist
	Item        Item
	Flags       []Flag
	Cases       []Case
	Timeline    []Entry
	More        int // timeline entries left out beyond TimelineLimit
	Review      State
	Notes       []Note
	Audit       []AuditEntry
}

// Flag is one rule's flag on the matter.
type Flag struct{ Rule, Family, Reason string }

// Case is one case behind a matter; the complainant only as a pseudonymous id.
type Case struct {
	ID, Received, Channel, Level, Complainant, Township, Category, Target, Unit, Content string
	HeadCount                                                                            int64
}

// Entry is one dated item of the evidence timeline.
type Entry struct {
	Date, Kind, CaseID, Ref string // Kind: received, contact, event
	What, Channel, Level    string // event type, or the contact's channel and level
	Person                  string // pseudonymous id
	HeadCount               int64
}

// TimelineLimit caps the evidence timeline of one matter.
const TimelineLimit = 500

// LoadMatter returns matter matterID as on the latest watchlist that holds it, with its
// evidence and review record, or ErrNotFound.
func LoadMatter(ctx context.Context, q Querier, matterID, lang string) (*Matter, error) {
	m := &Matter{}
	latest, _, err := LatestRun(ctx, q)
	if err != nil {
		return nil, err
	}
	err = q.QueryRowContext(ctx, `SELECT w.run_id, strftime(r.as_of, '%Y-%m-%d') FROM watchlist w JOIN runs r USING (run_id)
WHERE w.matter_id = $1 ORDER BY r.finished_at DESC LIMIT 1`, matterID).Scan(&m.RunID, &m.AsOf)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	m.OnLatest = m.RunID == latest
	row := q.QueryRowContext(ctx, `SELECT `+fmt.Sprintf(itemColumns, reasonColumn(lang))+`
FROM watchlist w LEFT JOIN `+Reviewed+` m USING (matter_id) WHERE w.run_id = $1 AND w.matter_id = $2`, m.RunID, matterID)
	if err := scanItem(row, &m.Item); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT rule_id, family, coalesce(`+reasonColumn(lang)+`, '') FROM flags
WHERE run_id = $1 AND matter_id = $2 ORDER BY weight DESC, rule_id`, m.RunID, matterID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var f Flag
		if err := rows.Scan(&f.Rule, &f.Family, &f.Reason); err != nil {
			rows.Close()
			return nil, err
		}
		m.Flags = append(m.Flags, f)
	}
	rows.Close()
	ids := `(SELECT unnest(%s) FROM watchlist WHERE run_id = $1 AND matter_id = $2)`
	rows, err = q.QueryContext(ctx, `SELECT case_id, strftime(received_date, '%Y-%m-%d'), channel, level, complainant_id,
  coalesce(township, ''), coalesce(category, ''), coalesce(target_org, ''), coalesce(responsible_unit, ''),
  coalesce(content, ''), coalesce(head_count, 1)
FROM cases WHERE case_id IN `+fmt.Sprintf(ids, "case_ids")+` ORDER BY received_date, case_id LIMIT $3`, m.RunID, matterID, TimelineLimit)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c Case
		if err := rows.Scan(&c.ID, &c.Received, &c.Channel, &c.Level, &c.Complainant, &c.Township, &c.Category, &c.Target, &c.Unit, &c.Content, &c.HeadCount); err != nil {
			rows.Close()
			return nil, err
		}
		m.Cases = append(m.Cases, c)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `WITH t AS (
  SELECT received_date AS d, 0 AS k, case_id, case_id AS ref, '' AS what, channel, level, complainant_id AS person, coalesce(head_count, 1) AS n
  FROM cases WHERE case_id IN `+fmt.Sprintf(ids, "case_ids")+`
  UNION ALL
  SELECT contact_date, 1, coalesce(case_id, ''), contact_id, '', channel, level, person_id, coalesce(head_count, 1)
  FROM contacts WHERE contact_id IN `+fmt.Sprintf(ids, "contact_ids")+`
  UNION ALL
  SELECT event_date, 2, case_id, event_id, event_type, '', '', '', 0
  FROM events WHERE event_id IN `+fmt.Sprintf(ids, "event_ids")+`
)
SELECT strftime(d, '%Y-%m-%d'), k, case_id, ref, what, channel, level, person, n, count(*) OVER ()
FROM t ORDER BY d, k, ref LIMIT $3`, m.RunID, matterID, TimelineLimit)
	if err != nil {
		return nil, err
	}
	var total int
	for rows.Next() {
		var e Entry
		var k int
		if err := rows.Scan(&e.Date, &k, &e.CaseID, &e.Ref, &e.What, &e.Channel, &e.Level, &e.Person, &e.HeadCount, &total); err != nil {
			rows.Close()
			return nil, err
		}
		e.Kind = []string{"received", "contact", "event"}[k]
		m.Timeline = append(m.Timeline, e)
	}
	rows.Close()
	m.More = max(total-len(m.Timeline), 0)
	if m.Review, err = Load(ctx, q, matterID); err != nil {
		return nil, err
	}
	if m.Notes, err = Notes(ctx, q, matterID); err != nil {
		return nil, err
	}
	if m.Audit, err = AuditLog(ctx, q, matterID, 100); err != nil {
		return nil, err
	}
	return m, nil
}
