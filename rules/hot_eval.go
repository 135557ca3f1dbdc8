package rules

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/earlywarn/earlywarn/internal/baseline"
	"github.com/earlywarn/earlywarn/internal/db"
)

// hotIssue is signal hot_issue: SQL reads the places each case's text names, the contacts and
// the texts (steps 1–3); Go picks each case's primary place, splits the places that may hold a
// hot issue into topics, cuts each topic's contacts into episodes and tests them (hot_episode.go);
// SQL makes one flag per episode it kept (steps 4–5).
type hotIssue struct {
	p    HotIssueParams
	test baseline.Params
}

// The statements hotIssue runs, in order.
var (
	hotMentionsStmt = renderSQL(hotMentionsSQL, nil)
	hotContactsStmt = renderSQL(hotContactsSQL, nil)
	hotTextsStmt    = renderSQL(hotTextsSQL, nil)
	hotMembersStmt  = renderSQL(hotMembersSQL, nil)
	hotEpisodesStmt = renderSQL(hotEpisodesSQL, nil)
	hotIssueStmt    = renderSQL(hotIssueSQL, nil)
)

// hotContact is one contact of a case: its person (0 for none) and day (days since 1970).
type hotContact struct {
	pk  int64
	day int32
}

// hotCase is a case whose text names a place.
type hotCase struct {
	ck       int64
	caseID   string
	place    int // index in hotRun.places
	primary  placeMention
	names    []string // every place name its text writes, masked from its topic text
	contacts []hotContact
	first    int32  // day of its first contact
	text     string // its topicText, for a candidate place's case
}

// hotPlace is a place some case counts for.
type hotPlace struct {
	key       string
	cases     []int // indexes in hotRun.cases
	candidate bool  // enough distinct complainants in the lookback to hold a hot issue
}

type hotRun struct {
	cases   []hotCase
	byCK    map[int64]int
	places  []hotPlace
	byKey   map[string]int
	df      *docFreq
	firstD  int32 // first contact on record
	from    int32 // first day of the lookback
	asOf    int32
	boardPD float64 // the board's typical place rate: contacts per place and day in the lookback
}

func dayNum(t time.Time) int32 { return int32(t.Unix() / 86400) }

func numDay(d int32) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func (h *hotIssue) evaluate(ctx context.Context, q *sql.Conn, asOf time.Time) error {
	defer db.DropTemp(context.WithoutCancel(ctx), q, db.HotMembers, db.HotEpisodes)
	args := []any{sql.Named("as_of", asOf.Format(time.DateOnly)), sql.Named("lookback_days", h.p.LookbackDays),
		sql.Named("baseline_days", h.p.BaselineDays)}
	run := &hotRun{byCK: map[int64]int{}, byKey: map[string]int{}, asOf: dayNum(asOf),
		from: dayNum(asOf) - int32(h.p.LookbackDays) + 1}
	mentionArgs := append(slices.Clone(args), sql.Named("place_fields", h.p.PlaceFields))
	if err := run.readMentions(ctx, q, mentionArgs); err != nil {
		return fmt.Errorf("hot_issue mentions: %w", err)
	}
	if err := run.readContacts(ctx, q, args, h.p.MinComplainants); err != nil {
		return fmt.Errorf("hot_issue contacts: %w", err)
	}
	if err := run.readTexts(ctx, q, args); err != nil {
		return fmt.Errorf("hot_issue texts: %w", err)
	}
	eps := h.episodes(run)
	if err := db.Exec(ctx, q, hotMembersStmt, hotEpisodesStmt); err != nil {
		return err
	}
	err := AppendTemp(q, db.HotMembers, func(add func(...driver.Value) error) error {
		for i, e := range eps {
			for _, ck := range e.cks {
				if err := add(int32(i), ck, numDay(e.from), numDay(e.to)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = AppendTemp(q, db.HotEpisodes, func(add func(...driver.Value) error) error {
		for i, e := range eps {
			facts, err := json.Marshal(e.facts)
			if err != nil {
				return err
			}
			if err := add(int32(i), e.placeKey, e.firstCase, numDay(e.flagged), int32(e.needed), string(facts)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, hotIssueStmt, sql.Named("window_days", h.p.WindowDays),
		sql.Named("min_complainants", h.p.MinComplainants), sql.Named("skip_resolved", h.p.SkipResolved))
	return err
}

// readMentions reads the places of each case and gives it its primary place.
func (r *hotRun) readMentions(ctx context.Context, q *sql.Conn, args []any) error {
	var ms []placeMention
	var ck int64 = -1
	var caseID string
	flush := func() {
		if len(ms) == 0 {
			return
		}
		i := primaryPlace(ms)
		if i >= 0 {
			p, ok := r.byKey[ms[i].key]
			if !ok {
				p = len(r.places)
				r.byKey[ms[i].key] = p
				r.places = append(r.places, hotPlace{key: ms[i].key})
			}
			c := hotCase{ck: ck, caseID: caseID, place: p, primary: ms[i], first: -1}
			for _, m := range ms {
				if !contains(c.names, m.name) {
					c.names = append(c.names, m.name)
				}
			}
			// Longer names first, so that 丽发新城小区 is masked whole before 丽发新城.
			sort.Slice(c.names, func(a, b int) bool { return len(c.names[a]) > len(c.names[b]) })
			r.byCK[ck] = len(r.cases)
			r.places[p].cases = append(r.places[p].cases, len(r.cases))
			r.cases = append(r.cases, c)
		}
		ms = ms[:0]
	}
	err := db.Query(ctx, q, hotMentionsStmt, args, func(rows *sql.Rows) error {
		var k int64
		var id string
		var m placeMention
		if err := rows.Scan(&k, &id, &m.key, &m.name, &m.kind, &m.context, &m.inSubject); err != nil {
			return err
		}
		if k != ck {
			flush()
			ck, caseID = k, id
		}
		ms = append(ms, estateOf(m))
		return nil
	})
	flush()
	return err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// readContacts reads the contacts of the cases with a place, marks the places with at least
// minPeople distinct complainants in the lookback as candidates, and sums up the board's typical
// place rate.
func (r *hotRun) readContacts(ctx context.Context, q *sql.Conn, args []any, minPeople int) error {
	r.firstD = r.from
	err := db.Query(ctx, q, hotContactsStmt, args, func(rows *sql.Rows) error {
		var ck int64
		var pk sql.NullInt64
		var d, first time.Time
		if err := rows.Scan(&ck, &pk, &d, &first); err != nil {
			return err
		}
		r.firstD = dayNum(first)
		i, ok := r.byCK[ck]
		if !ok {
			return nil
		}
		c := &r.cases[i]
		day := dayNum(d)
		c.contacts = append(c.contacts, hotContact{pk: pk.Int64, day: day})
		if c.first < 0 || day < c.first {
			c.first = day
		}
		return nil
	})
	if err != nil {
		return err
	}
	r.summarise(minPeople)
	return nil
}

// summarise marks the places with at least minPeople distinct complainants in the lookback as
// candidates, and sums up the board's typical place rate: contacts per place and day in the
// lookback, over the places with any.
func (r *hotRun) summarise(minPeople int) {
	var contacts, active int
	for p := range r.places {
		people := map[int64]bool{}
		activeHere := false
		for _, i := range r.places[p].cases {
			for _, k := range r.cases[i].contacts {
				if k.day >= r.from {
					activeHere = true
					contacts++
					if k.pk != 0 {
						people[k.pk] = true
					}
				}
			}
		}
		if activeHere {
			active++
		}
		r.places[p].candidate = len(people) >= minPeople
	}
	if active > 0 {
		r.boardPD = float64(contacts) / float64(active) / float64(r.asOf-r.from+1)
	}
}

// readTexts reads the texts of the period and counts their n-grams' document frequencies, on
// all cores, and keeps the topicText of the candidate places' cases; then weighs the n-grams.
// The cases' vectors are made place by place (placeEpisodes): held for every case at once, the
// n-grams of a million messages took gigabytes.
func (r *hotRun) readTexts(ctx context.Context, q *sql.Conn, args []any) error {
	type row struct {
		ck   int64
		text string
	}
	workers := runtime.GOMAXPROCS(0)
	in := make(chan []row, workers)
	dfs := make([]*docFreq, workers)
	var wg sync.WaitGroup
	for w := range workers {
		dfs[w] = newDocFreq()
		wg.Add(1)
		go func() {
			defer wg.Done()
			counter := newDocCounter(dfs[w])
			var hs []uint32
			for batch := range in {
				for _, x := range batch {
					i, ok := r.byCK[x.ck]
					var names []string
					if ok {
						names = r.cases[i].names
					}
					var g gramRoller
					hs = hs[:0]
					if ok && r.places[r.cases[i].place].candidate {
						// Each case is one row: no other worker writes it. Its vector is made
						// when its place is split into topics (placeEpisodes), from this text.
						t := topicText(x.text, names)
						r.cases[i].text = t
						for _, c := range t {
							hs = g.next(hs, c)
						}
					} else {
						reduceText(maskNames(x.text, names), func(c rune) { hs = g.next(hs, c) })
					}
					counter.add(hs)
				}
			}
		}()
	}
	var batch []row
	err := db.Query(ctx, q, hotTextsStmt, args, func(rows *sql.Rows) error {
		var x row
		if err := rows.Scan(&x.ck, &x.text); err != nil {
			return err
		}
		batch = append(batch, x)
		if len(batch) == 256 {
			in <- batch
			batch = nil
		}
		return nil
	})
	if len(batch) > 0 {
		in <- batch
	}
	close(in)
	wg.Wait()
	if err != nil {
		return err
	}
	r.df = dfs[0]
	for _, d := range dfs[1:] {
		r.df.docs += d.docs
		for h, n := range d.df {
			r.df.df[h] += n
		}
	}
	r.weigh()
	return nil
}

// weigh computes the n-grams' weights (their idf) from the final counts, on all cores.
func (r *hotRun) weigh() {
	r.df.weights(runtime.GOMAXPROCS(0))
}
