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
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

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
	hotRangesStmt      = renderSQL(hotRangesSQL, nil)
	hotMentionRowsStmt = renderSQL(hotMentionRowsSQL, nil)
	hotMentionsStmt    = renderSQL(hotMentionsSQL, nil)
	hotContactsStmt    = renderSQL(hotContactsSQL, nil)
	hotBatchStmt       = renderSQL(hotBatchSQL, nil)
	hotBatchTextsStmt  = renderSQL(hotBatchTextsSQL, nil)
	hotMembersStmt     = renderSQL(hotMembersSQL, nil)
	hotEpisodesStmt    = renderSQL(hotEpisodesSQL, nil)
	hotIssueStmt       = renderSQL(hotIssueSQL, nil)
)

// hotContact is one contact of a case: its person (0 for none) and day (days since 1970).
type hotContact struct {
	pk  int64
	day int32
}

// hotCase is a case whose text names a place.
type hotCase struct {
	ck       int64
	place    int32         // index in hotRun.places
	first    int32         // day of its first contact
	textLen  int32         // bytes of its topicText, for a candidate place's case
	primary  *placeMention // shared by the cases with the same primary mention
	names    []string      // every place name its text writes, masked from its topic text
	contacts []hotContact
	text     string // its topicText while its place is split into topics
}

// hotPlace is a place some case counts for.
type hotPlace struct {
	key       string
	cases     []int // indexes in hotRun.cases
	candidate bool  // enough distinct complainants in the lookback to hold a hot issue
}

// hotTextBudget bounds the bytes of topic text the rule holds at once (about 370 MB for the
// candidate places of a million messages): past it, the places are split into topics in
// batches whose texts fit it, each batch's texts read again (hot_batch_texts.sql). A board whose
// texts fit is read once.
const hotTextBudget = 64 << 20

type hotRun struct {
	cases   []hotCase
	byCK    []int32 // ck → index in cases, -1 for none (cks are cases' row ids: dense)
	places  []hotPlace
	byKey   map[string]int
	df      *docFreq
	firstD  int32 // first contact on record
	from    int32 // first day of the lookback
	asOf    int32
	boardPD float64 // the board's typical place rate: contacts per place and day in the lookback

	budget   int64        // hotTextBudget, smaller in tests
	kept     atomic.Int64 // bytes of topicText kept while counting
	overflow atomic.Bool  // some candidate's text was not kept: the places go in batches
}

func dayNum(t time.Time) int32 { return int32(t.Unix() / 86400) }

func numDay(d int32) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func (h *hotIssue) evaluate(ctx context.Context, q *sql.Conn, asOf time.Time) error {
	// The texts read stay, with the counts, until the run stores them (StoreKept).
	keep, _ := ctx.Value(keepCountsKey{}).(*keepCounts)
	temps := []string{db.HotMentions, db.HotMembers, db.HotEpisodes, db.HotBatch, db.HotDocKeys, db.HotCandidates}
	if keep == nil {
		temps = append(temps, db.HotDocRead)
	}
	defer db.DropTemp(context.WithoutCancel(ctx), q, temps...)
	args := []any{sql.Named("as_of", asOf.Format(time.DateOnly)), sql.Named("lookback_days", h.p.LookbackDays),
		sql.Named("baseline_days", h.p.BaselineDays)}
	run := &hotRun{byKey: map[string]int{}, asOf: dayNum(asOf),
		from: dayNum(asOf) - int32(h.p.LookbackDays) + 1, budget: hotTextBudget}
	ranges, err := caseRanges(ctx, q)
	if err != nil {
		return fmt.Errorf("hot_issue ranges: %w", err)
	}
	if _, err := q.ExecContext(ctx, hotMentionRowsStmt, append(slices.Clone(args), sql.Named("place_fields", h.p.PlaceFields))...); err != nil {
		return fmt.Errorf("hot_issue mentions: %w", err)
	}
	if err := run.readMentions(ctx, q, inRanges(nil, ranges)); err != nil {
		return fmt.Errorf("hot_issue mentions: %w", err)
	}
	if err := run.readContacts(ctx, q, args, h.p.MinComplainants); err != nil {
		return fmt.Errorf("hot_issue contacts: %w", err)
	}
	docArgs := append(slices.Clone(args), sql.Named("place_fields", h.p.PlaceFields), sql.Named("version", hotDocVersion))
	if err := run.readTexts(ctx, q, docArgs, ranges, keep); err != nil {
		return fmt.Errorf("hot_issue texts: %w", err)
	}
	eps, err := h.allEpisodes(ctx, q, run)
	if err != nil {
		return fmt.Errorf("hot_issue topics: %w", err)
	}
	if err := db.Exec(ctx, q, hotMembersStmt, hotEpisodesStmt); err != nil {
		return err
	}
	err = AppendTemp(q, db.HotMembers, func(add func(...driver.Value) error) error {
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
			if err := add(int32(i), e.placeKey, e.firstCK, numDay(e.flagged), int32(e.needed), string(facts)); err != nil {
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

// hotRangeRows is how many cases' rows the rule reads at once (hot_mentions.sql, hot_doc_texts.sql):
// the driver holds a query's whole result in DuckDB's memory until it is read.
const hotRangeRows = 50_000

// caseRanges cuts the screened cases' rows into ranges of hotRangeRows: each a from and a to.
func caseRanges(ctx context.Context, q *sql.Conn) ([][2]int64, error) {
	var lo, hi int64
	if err := q.QueryRowContext(ctx, hotRangesStmt).Scan(&lo, &hi); err != nil {
		return nil, err
	}
	return db.RowRanges(lo, hi, hotRangeRows), nil
}

// inRanges is args once for each range, with the range as $from and $to.
func inRanges(args []any, ranges [][2]int64) [][]any {
	out := make([][]any, len(ranges))
	for i, rg := range ranges {
		out[i] = append(slices.Clone(args), sql.Named("from", rg[0]), sql.Named("to", rg[1]))
	}
	return out
}

// readMentions reads the places of each case and gives it its primary place, one range of
// cases at a time (argSets: one per range, in order of row).
func (r *hotRun) readMentions(ctx context.Context, q *sql.Conn, argSets [][]any) error {
	// Place names, keys, kinds and contexts repeat across cases: each is held once, and so is
	// each primary mention.
	strs := map[string]string{}
	intern := func(s string) string {
		if t, ok := strs[s]; ok {
			return t
		}
		strs[s] = s
		return s
	}
	primaries := map[placeMention]*placeMention{}
	return eachCaseMentions(ctx, q, hotMentionsStmt, argSets, func(ck int64, ms []placeMention, written []string) {
		for j := range ms {
			m := &ms[j]
			m.key, m.name, m.kind, m.context = intern(m.key), intern(m.name), intern(m.kind), intern(m.context)
			written[j] = intern(written[j])
		}
		i := primaryPlace(ms)
		if i < 0 {
			return
		}
		p, ok := r.byKey[ms[i].key]
		if !ok {
			p = len(r.places)
			r.byKey[ms[i].key] = p
			r.places = append(r.places, hotPlace{key: ms[i].key})
		}
		pm, ok := primaries[ms[i]]
		if !ok {
			pm = &placeMention{}
			*pm = ms[i]
			primaries[ms[i]] = pm
		}
		c := hotCase{ck: ck, place: int32(p), primary: pm, first: -1, names: mentionNames(ms, written)}
		r.setIndex(ck, len(r.cases))
		r.places[p].cases = append(r.places[p].cases, len(r.cases))
		r.cases = append(r.cases, c)
	})
}

// eachCaseMentions runs stmt, whose rows are those of scanMention in order of case, once for
// each of argSets in turn, and calls each with every case's mentions and, for each, the place
// as its text writes it when that is not its name; each may change them but not keep the
// slices, which are reused.
func eachCaseMentions(ctx context.Context, q *sql.Conn, stmt string, argSets [][]any, each func(ck int64, ms []placeMention, written []string)) error {
	var ms []placeMention
	var written []string
	var ck int64 = -1
	flush := func() {
		if len(ms) > 0 {
			each(ck, ms, written)
		}
		ms, written = ms[:0], written[:0]
	}
	var err error
	for _, args := range argSets {
		err = db.Query(ctx, q, stmt, args, func(rows *sql.Rows) error {
			k, m, w, err := scanMention(rows)
			if err != nil {
				return err
			}
			if k != ck {
				flush()
				ck = k
			}
			ms, written = append(ms, m), append(written, w)
			return nil
		})
		if err != nil {
			break
		}
	}
	flush()
	return err
}

// scanMention reads a row of hot_mentions.sql (or hot_doc_mentions.sql): a case's row, one
// place its text names, and the place as written when that is not its name.
func scanMention(rows *sql.Rows) (ck int64, m placeMention, written string, err error) {
	err = rows.Scan(&ck, &m.key, &m.name, &m.kind, &m.context, &m.inSubject, &written)
	return ck, estateOf(m), written, err
}

// mentionNames is every place name a case's mentions write (each name, and as written when that
// is not its name), longer names first, so that 丽发新城小区 is masked whole before 丽发新城.
func mentionNames(ms []placeMention, written []string) []string {
	var names []string
	for j, m := range ms {
		for _, n := range []string{m.name, written[j]} {
			if n != "" && !contains(names, n) {
				names = append(names, n)
			}
		}
	}
	names = slices.Clip(names)
	sort.Slice(names, func(a, b int) bool { return len(names[a]) > len(names[b]) })
	return names
}

// setIndex records that case ck is cases[i].
func (r *hotRun) setIndex(ck int64, i int) {
	for int64(len(r.byCK)) <= ck {
		r.byCK = append(r.byCK, -1)
	}
	r.byCK[ck] = int32(i)
}

// indexOf is the index in cases of case ck, if it has a place.
func (r *hotRun) indexOf(ck int64) (int, bool) {
	if ck < 0 || ck >= int64(len(r.byCK)) || r.byCK[ck] < 0 {
		return 0, false
	}
	return int(r.byCK[ck]), true
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
	err := db.Records(ctx, q, hotContactsStmt, args, func(rec arrow.RecordBatch) error {
		cols, err := db.IntColumns(rec) // ck, pk, day, first_day
		if err != nil {
			return err
		}
		for j := range int(rec.NumRows()) {
			first, _ := cols[3](j)
			r.firstD = int32(first)
			ck, _ := cols[0](j)
			i, ok := r.indexOf(ck)
			if !ok {
				continue
			}
			pk, valid := cols[1](j)
			if !valid {
				pk = 0 // no person
			}
			d, _ := cols[2](j)
			c, day := &r.cases[i], int32(d)
			c.contacts = append(c.contacts, hotContact{pk: pk, day: day})
			if c.first < 0 || day < c.first {
				c.first = day
			}
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

// readTexts counts the n-grams' document frequencies over the texts of the period (see
// planTexts: with counts kept from an earlier run, only the texts that entered the period or
// left it since are read) and keeps the topicText of the candidate places' cases while they fit
// the budget, reading the texts on all cores; then weighs the n-grams. The cases' vectors are
// made place by place (placeEpisodes): held for every case at once, the n-grams of a million
// messages took gigabytes.
func (r *hotRun) readTexts(ctx context.Context, q *sql.Conn, args []any, ranges [][2]int64, keep *keepCounts) error {
	plan, err := r.planTexts(ctx, q, args, keep)
	if err != nil {
		return err
	}
	dfs := make([]*docFreq, runtime.GOMAXPROCS(0))
	next := 0
	err = r.eachText(ctx, q, hotDocTextsStmt, inRanges(nil, ranges), func() func(int64, int8, string) {
		dfs[next] = newDocFreq()
		counter := newDocCounter(dfs[next])
		next++
		var hs []uint32
		return func(ck int64, op int8, text string) {
			i, ok := r.indexOf(ck)
			var names []string
			switch {
			case ok:
				names = r.cases[i].names
			case op < 0:
				names = plan.outNames[ck]
			}
			var g gramRoller
			hs = hs[:0]
			if ok && r.places[r.cases[i].place].candidate {
				// Each case is one row: no other worker writes it.
				t := topicText(text, names)
				r.cases[i].textLen = int32(len(t))
				if !r.overflow.Load() && r.kept.Add(int64(len(t))) <= r.budget {
					r.cases[i].text = t
				} else {
					r.overflow.Store(true)
				}
				if op != 0 {
					for _, c := range t {
						if c == '\n' { // the subject's end, a space to reduceText below
							c = ' '
						}
						hs = g.next(hs, c)
					}
				}
			} else if op != 0 {
				reduceText(maskNames(text, names), func(c rune) { hs = g.next(hs, c) })
			}
			switch op {
			case 1:
				counter.add(hs)
			case -1:
				counter.sub(hs)
			}
		}
	})
	if err != nil {
		return err
	}
	r.df = plan.base
	for _, d := range dfs[:next] {
		r.df.docs += d.docs
		for h, n := range d.df {
			r.df.df[h] += n
		}
	}
	if !plan.all && !r.df.consistent() {
		// The counts kept and the texts read do not add up: count every text.
		r.kept.Store(0)
		r.overflow.Store(false)
		for i := range r.cases {
			r.cases[i].text, r.cases[i].textLen = "", 0
		}
		return r.readTexts(ctx, q, args, ranges, &keepCounts{})
	}
	if err := r.keepDocs(ctx, q, keep, plan.all); err != nil {
		return err
	}
	r.weigh()
	return nil
}

// eachText runs a query of (ck, op, content) rows once for each of argSets, in turn, and hands
// the rows, in batches, to one worker per core; newWorker is called once per worker, before any
// row, and returns its handler.
func (r *hotRun) eachText(ctx context.Context, q *sql.Conn, stmt string, argSets [][]any, newWorker func() func(ck int64, op int8, text string)) error {
	type row struct {
		ck   int64
		op   int8
		text string
	}
	workers := runtime.GOMAXPROCS(0)
	in := make(chan []row, workers)
	var wg sync.WaitGroup
	for range workers {
		each := newWorker()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range in {
				for _, x := range batch {
					each(x.ck, x.op, x.text)
				}
			}
		}()
	}
	var batch []row
	var err error
	for _, args := range argSets {
		err = db.Query(ctx, q, stmt, args, func(rows *sql.Rows) error {
			var x row
			if err := rows.Scan(&x.ck, &x.op, &x.text); err != nil {
				return err
			}
			batch = append(batch, x)
			if len(batch) == 256 {
				in <- batch
				batch = nil
			}
			return nil
		})
		if err != nil {
			break
		}
	}
	if len(batch) > 0 {
		in <- batch
	}
	close(in)
	wg.Wait()
	return err
}

// readBatch reads again the topicTexts of the cases of places ps.
func (r *hotRun) readBatch(ctx context.Context, q *sql.Conn, ps []int) error {
	if err := db.Exec(ctx, q, hotBatchStmt); err != nil {
		return err
	}
	err := AppendTemp(q, db.HotBatch, func(add func(...driver.Value) error) error {
		for _, p := range ps {
			for _, c := range r.places[p].cases {
				if err := add(r.cases[c].ck); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return r.eachText(ctx, q, hotBatchTextsStmt, [][]any{nil}, func() func(int64, int8, string) {
		return func(ck int64, _ int8, text string) {
			i, _ := r.indexOf(ck)
			c := &r.cases[i]
			c.text = topicText(text, c.names)
		}
	})
}

// weigh computes the n-grams' weights (their idf) from the final counts, on all cores.
func (r *hotRun) weigh() {
	r.df.weights(runtime.GOMAXPROCS(0))
}
