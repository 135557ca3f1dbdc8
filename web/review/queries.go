package review

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/title"
)

// ErrNoRun means the database holds no run yet.
var ErrNoRun = i18n.Errorf("web.error.no_run")

// LatestRun returns the id and as-of date of the latest finished run.
func LatestRun(ctx context.Context, q Querier) (runID, asOf string, err error) {
	var tables int
	if err := q.QueryRowContext(ctx, runTablesSQL).Scan(&tables); err != nil {
		return "", "", err
	}
	if tables < 4 { // no run has created the pipeline's tables yet
		return "", "", ErrNoRun
	}
	err = q.QueryRowContext(ctx, runLatestSQL).Scan(&runID, &asOf)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", ErrNoRun
	}
	return runID, asOf, err
}

// Filter selects watchlist items; empty fields select all. Rule is a rule's id, State a review
// state, Change a state against the previous run; Tab the tab shown (TabOpen when empty). Page
// counts from 1.
type Filter struct {
	Tier, Township, Category, Rule, State, Change string
	Tab                                           string
	Page, PerPage                                 int
	// 包案: Owner a matter's owner; Reminder a reminder code (or "any"), as on Clock's day;
	// Sort "due" orders by due date, else by rank. The items' reminders are filled in when
	// Clock is set.
	Owner, Reminder, Sort string
	Clock                 Clock
}

// Item is one watchlist item with its review state.
type Item struct {
	Rank                                int64
	ID, Kind, Tier                      string
	Score                               float64
	Rules                               string // the rules' names
	Township, Category, Unit, Reason    string
	FirstFlagged                        string
	State, Owner, Due                   string
	CaseCount, ContactCount, EventCount int64
	Change, ChangeNote                  string   // the state against the previous run, and what changed
	Reminders                           []string // reminder codes (see Reminders)
	Title                               string   // for people, in place of the id (see ItemTitle)
}

// Page is one page of a filtered watchlist.
type Page struct {
	RunID, AsOf        string
	Items              []Item
	Total, Page, Pages int
	Tabs               []TabCount // every tab with its matters under the filter (its state aside)
}

// scanItem scans a row of item_columns.sql, showing its rules by their names in lang.
func scanItem(rows interface{ Scan(...any) error }, it *Item, rules Rules, lang string) error {
	var ids string
	err := rows.Scan(&it.Rank, &it.ID, &it.Kind, &it.Tier, &it.Score, &ids, &it.Township, &it.Category, &it.Unit,
		&it.Reason, &it.FirstFlagged, &it.State, &it.Owner, &it.Due, &it.CaseCount, &it.ContactCount, &it.EventCount,
		&it.Change, &it.ChangeNote, &it.Title)
	it.Rules = rules.JoinIDs(lang, ids)
	return err
}

// Watchlist returns one page of run runID's watchlist, filtered, in rank order, with reasons in
// lang. The page's filter options are left empty (FilterOptions gives them).
func Watchlist(ctx context.Context, q Querier, runID, asOf, lang string, f Filter) (Page, error) {
	p := Page{RunID: runID, AsOf: asOf, Page: max(f.Page, 1)}
	per := f.PerPage
	if per <= 0 {
		per = 50
	}
	var owned []Owned
	if !f.Clock.Now.IsZero() {
		var err error
		if owned, err = Reminders(ctx, q, f.Clock); err != nil {
			return p, err
		}
	}
	withReminder := ""
	if f.Reminder != "" {
		withReminder = idsWith(owned, f.Reminder)
	}
	args := []any{runID, f.Tier, f.Township, f.Category, f.Rule, f.State, f.Change, f.Owner, withReminder, TabStates(f.Tab)}
	if err := q.QueryRowContext(ctx, watchlistCountSQL, args...).Scan(&p.Total); err != nil {
		return p, i18n.Wrap(err, "web.db.watchlist")
	}
	var err error
	if p.Tabs, err = tabCounts(ctx, q, []any{runID, f.Tier, f.Township, f.Category, f.Rule, "", f.Change, f.Owner, withReminder, States}); err != nil {
		return p, i18n.Wrap(err, "web.db.watchlist")
	}
	rules, err := LoadRules(ctx, q, runID)
	if err != nil {
		return p, err
	}
	items, err := db.Collect(ctx, q, watchlistPageSQL.in(lang), append(args, per, (p.Page-1)*per, f.Sort), func(rows *sql.Rows) (Item, error) {
		var it Item
		err := scanItem(rows, &it, rules, lang)
		it.Title = ItemTitle(it.Title, title.Facts{Township: it.Township, Category: it.Category})
		return it, err
	})
	if err != nil {
		return p, i18n.Wrap(err, "web.db.watchlist")
	}
	p.Items = items
	annotate(p.Items, owned)
	p.Pages = max((p.Total+per-1)/per, 1)
	return p, nil
}

// Options are the values each watchlist filter can take in a run.
type Options struct {
	Townships, Categories []string
	Rules                 []Option
}

// Option is one value of a filter and what it shows.
type Option struct{ Value, Label string }

// FilterOptions returns the townships, categories and rules (by their names in lang) of run
// runID's watchlist.
func FilterOptions(ctx context.Context, q Querier, runID, lang string) (Options, error) {
	var o Options
	var ids []string
	for _, x := range []struct {
		into *[]string
		sql  string
	}{
		{&o.Townships, filterTownships},
		{&o.Categories, filterCategories},
		{&ids, filterRules},
	} {
		var err error
		if *x.into, err = db.Column[string](ctx, q, x.sql, runID); err != nil {
			return o, i18n.Wrap(err, "web.db.watchlist_filters")
		}
	}
	rules, err := LoadRules(ctx, q, runID)
	if err != nil {
		return o, err
	}
	for _, id := range ids {
		o.Rules = append(o.Rules, Option{Value: id, Label: rules.Name(lang, id)})
	}
	return o, nil
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
	// Supervisions are the office's 督办 of the matter, oldest first.
	Supervisions []Supervision
	// History is how the matter changed over the last HistoryRuns runs (it may have gone off
	// the watchlist since RunID), newest first, at most HistoryLimit entries: the nights it
	// stayed as it was are left out.
	History []ChangeEntry
}

// HistoryRuns is how many of the latest runs a matter's history covers, HistoryLimit the most
// entries it has.
const (
	HistoryRuns  = 90
	HistoryLimit = 30
)

// ChangeEntry is one night a matter changed: the run's as-of date, its state against the night
// before (new, worse, …), its tier then and before ("" when not listed), and the note saying
// what changed.
type ChangeEntry struct{ AsOf, State, Tier, PrevTier, Note string }

// Flag is one rule's flag on the matter: the rule's id and name, and the family it is shown
// under (escalation for escalation rules, whose flags count towards repeat).
type Flag struct{ Rule, Name, Family, Reason, CaseID string } // CaseID: a case's own flag's case, "" for a cluster's

// Case is one case behind a matter; the complainant only as a pseudonymous id.
type Case struct {
	ID, Received, Channel, Level, Complainant, Township, Category, Target, Unit, Content string
	HeadCount                                                                            int64
	Village                                                                              string
	// Found are the fields the profile found in the case's text, each with the words that
	// matched (cases.found_in_text).
	Found map[string]string
}

// Entry is one dated item of the evidence timeline.
type Entry struct {
	Date, Kind, CaseID, Ref string // Kind: received, contact, event
	What, Result            string // event type and an evaluation's result (data.Results)
	Channel, Level          string // the contact's channel and level
	Person                  string // pseudonymous id
	HeadCount               int64
}

// MergedError is LoadMatter's answer for a matter the latest watchlist lists inside another
// (they share cases): Into is that matter.
type MergedError struct{ Into string }

func (e *MergedError) Error() string { return "merged into " + e.Into }

// TimelineLimit caps the evidence timeline of one matter.
const TimelineLimit = 500

// LoadMatter returns matter matterID as on the latest watchlist that holds it, with its
// evidence and review record; ErrNotFound; or a *MergedError when the latest watchlist lists it
// inside another matter.
func LoadMatter(ctx context.Context, q Querier, matterID, lang string) (*Matter, error) {
	m := &Matter{}
	latest, _, err := LatestRun(ctx, q)
	if err != nil {
		return nil, err
	}
	var into string
	switch err := q.QueryRowContext(ctx, mergedIntoSQL, latest, matterID).Scan(&into); {
	case err == nil:
		return nil, &MergedError{Into: into}
	case !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	// Most pages are of matters on the latest watchlist: one run's rows, not every run's.
	err = q.QueryRowContext(ctx, matterOnRunSQL, latest, matterID).Scan(&m.RunID, &m.AsOf)
	if errors.Is(err, sql.ErrNoRows) {
		err = q.QueryRowContext(ctx, matterRunSQL, matterID).Scan(&m.RunID, &m.AsOf)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	m.OnLatest = m.RunID == latest
	rules, err := LoadRules(ctx, q, m.RunID)
	if err != nil {
		return nil, err
	}
	if err := scanItem(q.QueryRowContext(ctx, matterItemSQL.in(lang), m.RunID, matterID), &m.Item, rules, lang); err != nil {
		return nil, err
	}
	m.Flags, err = db.Collect(ctx, q, matterFlagsSQL.in(lang), []any{m.RunID, matterID}, func(rows *sql.Rows) (Flag, error) {
		var f Flag
		err := rows.Scan(&f.Rule, &f.Family, &f.Reason, &f.CaseID)
		f.Name, f.Family = rules.Name(lang, f.Rule), rules.Family(f.Rule, f.Family)
		return f, err
	})
	if err != nil {
		return nil, err
	}
	m.Cases, err = db.Collect(ctx, q, matterCasesSQL, []any{m.RunID, matterID, TimelineLimit}, func(rows *sql.Rows) (Case, error) {
		var c Case
		var found string
		if err := rows.Scan(&c.ID, &c.Received, &c.Channel, &c.Level, &c.Complainant, &c.Township, &c.Category, &c.Target, &c.Unit, &c.Content, &c.HeadCount, &found, &c.Village); err != nil {
			return c, err
		}
		if found != "" {
			if err := json.Unmarshal([]byte(found), &c.Found); err != nil {
				return c, err
			}
		}
		return c, nil
	})
	if err != nil {
		return nil, err
	}
	var total int
	m.Timeline, err = db.Collect(ctx, q, matterTimelineSQL, []any{m.RunID, matterID, TimelineLimit}, func(rows *sql.Rows) (Entry, error) {
		var e Entry
		var k int
		if err := rows.Scan(&e.Date, &k, &e.CaseID, &e.Ref, &e.What, &e.Result, &e.Channel, &e.Level, &e.Person, &e.HeadCount, &total); err != nil {
			return e, err
		}
		e.Kind = []string{"received", "contact", "event"}[k]
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	m.More = max(total-len(m.Timeline), 0)
	m.History, err = db.Collect(ctx, q, matterHistorySQL.in(lang), []any{matterID, HistoryRuns, HistoryLimit}, func(rows *sql.Rows) (ChangeEntry, error) {
		var c ChangeEntry
		return c, rows.Scan(&c.AsOf, &c.State, &c.Tier, &c.PrevTier, &c.Note)
	})
	if err != nil {
		return nil, err
	}
	// A run stored without titles: the title the pipeline would give, from the first case (its
	// place, category and target; no gist, which is off by default and shows below anyway).
	f := title.Facts{Township: m.Item.Township, Category: m.Item.Category}
	if len(m.Cases) > 0 {
		c := m.Cases[0]
		if c.Township == f.Township {
			f.Village = c.Village
		}
		f.Target = c.Target
	}
	m.Item.Title = ItemTitle(m.Item.Title, f)
	if m.Review, err = Load(ctx, q, matterID); err != nil {
		return nil, err
	}
	if m.Notes, err = Notes(ctx, q, matterID); err != nil {
		return nil, err
	}
	if m.Audit, err = AuditLog(ctx, q, matterID, 100); err != nil {
		return nil, err
	}
	if m.Supervisions, err = Supervisions(ctx, q, matterID); err != nil {
		return nil, err
	}
	return m, nil
}
