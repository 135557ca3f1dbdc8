package synth

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func boardConfig(seed uint64, cases int) Config {
	return Config{Seed: seed, Cases: cases, Format: FormatBoard}
}

func genBoard(t *testing.T, cfg Config) (string, Summary) {
	t.Helper()
	dir := t.TempDir()
	s, err := Generate(context.Background(), cfg, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return dir, s
}

func readBoardCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// TestBoardIsReproducible: the same seed gives byte-identical files, another seed others.
func TestBoardIsReproducible(t *testing.T) {
	a, _ := genBoard(t, boardConfig(11, 3000))
	b, _ := genBoard(t, boardConfig(11, 3000))
	c, _ := genBoard(t, boardConfig(12, 3000))
	for _, name := range boardFileNames {
		fa, _ := os.ReadFile(filepath.Join(a, name))
		fb, _ := os.ReadFile(filepath.Join(b, name))
		fc, _ := os.ReadFile(filepath.Join(c, name))
		if len(fa) == 0 || !bytes.Equal(fa, fb) {
			t.Errorf("%s differs between two runs of one seed (%d and %d bytes)", name, len(fa), len(fb))
		}
		if bytes.Equal(fa, fc) {
			t.Errorf("%s is the same for seeds 11 and 12", name)
		}
	}
}

// boardRow is a row of board.csv.
type boardRow struct {
	user, subject, body string
	posted, answered    time.Time
}

// TestBoardFiles: board.csv is well-formed (header, seven fields, unique increasing ids,
// times in the board's layout, replies after the posting with a median lag near 11 days, a
// few unanswered), and ground_truth.csv is consistent with it: every id exists, users are
// counted right, dates are the first and last, hot issues have 10 to 60 users and each of
// their messages names the place, decoys are named by their messages, frequent writers write
// every message they are given and 10 to 40 of them.
func TestBoardFiles(t *testing.T) {
	cfg := boardConfig(7, 8000)
	dir, s := genBoard(t, cfg)
	rows := readBoardCSV(t, filepath.Join(dir, "board.csv"))
	if !slices.Equal(rows[0], boardColumns) {
		t.Fatalf("header %q", rows[0])
	}
	if len(rows)-1 != 8000 || s.Board == nil || s.Board.Messages != 8000 {
		t.Fatalf("%d rows, summary %+v", len(rows)-1, s.Board)
	}
	byID := map[string]boardRow{}
	var lags []float64
	unanswered, last := 0, int64(0)
	for i, r := range rows[1:] {
		id, err := strconv.ParseInt(r[0], 10, 64)
		if err != nil || id <= last {
			t.Fatalf("row %d: id %q after %d", i+1, r[0], last)
		}
		last = id
		posted, err := time.Parse(boardTimeLayout, r[3])
		if err != nil {
			t.Fatalf("row %d: %v", i+1, err)
		}
		row := boardRow{user: r[1], subject: r[2], body: r[4], posted: posted}
		switch {
		case r[5] == "" && r[6] == "":
			unanswered++
		case r[5] == "" || r[6] == "":
			t.Errorf("row %d: reply %q at %q", i+1, r[5], r[6])
		default:
			if row.answered, err = time.Parse(boardTimeLayout, r[6]); err != nil || !row.answered.After(posted) {
				t.Errorf("row %d: posted %s, answered %s (%v)", i+1, r[3], r[6], err)
			}
			lags = append(lags, row.answered.Sub(posted).Hours()/24)
		}
		if r[2] == "" || !strings.Contains(strings.TrimSpace(r[4]), "。") || !strings.HasPrefix(r[4], "\n\t") {
			t.Errorf("row %d: subject %q, body %q", i+1, r[2], r[4])
		}
		byID[r[0]] = row
	}
	slices.Sort(lags)
	if med := lags[len(lags)/2]; med < 8 || med > 14 {
		t.Errorf("median reply lag %.1f days, want about 11", med)
	}
	if p90 := lags[len(lags)*9/10]; p90 < 30 || p90 > 50 {
		t.Errorf("90th percentile of the reply lag %.1f days, want about 41", p90)
	}
	if unanswered == 0 || unanswered > len(rows)/10 || unanswered != s.Board.Unanswered {
		t.Errorf("%d unanswered (summary %d)", unanswered, s.Board.Unanswered)
	}

	p, err := planBoard(context.Background(), mustDefaults(t, cfg))
	if err != nil {
		t.Fatal(err)
	}
	truth := readBoardCSV(t, filepath.Join(dir, "ground_truth.csv"))
	if !slices.Equal(truth[0], boardTruthColumns) {
		t.Fatalf("truth header %q", truth[0])
	}
	kinds := map[string]int{}
	for _, tr := range truth[1:] {
		kind, ids := tr[0], strings.Split(tr[4], "|")
		kinds[kind]++
		users := map[string]bool{}
		var first, lastDay string
		for _, id := range ids {
			row, ok := byID[id]
			if !ok {
				t.Fatalf("%s %s: message %s is not in board.csv", kind, tr[1], id)
			}
			users[row.user] = true
			day := row.posted.Format(time.DateOnly)
			if first == "" {
				first = day
			}
			lastDay = day
		}
		if n, _ := strconv.Atoi(tr[5]); n != len(users) || tr[6] != first || tr[7] != lastDay {
			t.Errorf("%s %s: users %s from %s to %s; counted %d from %s to %s", kind, tr[1], tr[5], tr[6], tr[7], len(users), first, lastDay)
		}
		switch kind {
		case "hot_issue":
			if len(users) < 10 || len(users) > 60 || tr[3] == "" {
				t.Errorf("hot issue %s: %d users, topic %q", tr[1], len(users), tr[3])
			}
			n, _ := strconv.Atoi(tr[1][1:])
			pl := &p.geo.places[p.issues[n-1].place]
			if pl.full != tr[2] && pl.short != tr[2] && pl.wide != tr[2] {
				t.Errorf("hot issue %s: place %q, planted %q", tr[1], tr[2], pl.full)
			}
			for _, id := range ids {
				if text := byID[id].subject + byID[id].body; !namesPlace(text, pl) {
					t.Errorf("hot issue %s: message %s does not name %s: %s", tr[1], id, pl.full, text)
				}
			}
		case "decoy_place":
			pl := &p.geo.places[p.decoys[kinds[kind]-1]]
			if pl.full != tr[2] || len(ids) < 50 {
				t.Errorf("decoy %s: place %q (%q), %d messages", tr[1], tr[2], pl.full, len(ids))
			}
			for _, id := range ids {
				if !namesPlace(byID[id].subject+byID[id].body, pl) {
					t.Errorf("decoy %s: message %s does not name %s", tr[1], id, pl.full)
				}
			}
		case "frequent_writer":
			if len(users) != 1 || !users[tr[1]] || len(ids) < 10 || len(ids) > 40 {
				t.Errorf("frequent writer %s: users %v, %d messages", tr[1], users, len(ids))
			}
		default:
			t.Errorf("unknown kind %q", kind)
		}
	}
	if kinds["hot_issue"] < 5 || kinds["decoy_place"] < 4 || kinds["frequent_writer"] < 2 {
		t.Errorf("ground truth rows by kind: %v", kinds)
	}
}

func namesPlace(text string, pl *boardPlace) bool {
	return strings.Contains(text, pl.full) || (pl.short != "" && strings.Contains(text, pl.short)) ||
		(pl.wide != "" && strings.Contains(text, pl.wide))
}

func mustDefaults(t *testing.T, cfg Config) Config {
	t.Helper()
	cfg, err := cfg.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestBoardBackgroundStaysUnderTheCaps: no place and topic of the background has more than 3
// distinct users within 91 days, no ordinary place more than 5 within 31 days (relaxed matters,
// users posting about two matters and the few users of an ordinary place who named it when a
// decoy was full aside), frequent writers seldom return to a place, and the hot issues are the only
// place-topic pairs with 10 or more distinct users within 120 days.
func TestBoardBackgroundStaysUnderTheCaps(t *testing.T) {
	p, err := planBoard(context.Background(), mustDefaults(t, boardConfig(3, 20000)))
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ place, topic int }
	firsts := map[key]map[int32]int{}
	placeFirsts := map[int]map[int32]int{}
	userDays := map[key]map[int32]int{} // each user's first day
	writerPlaces := map[int32]map[int32]bool{}
	for _, msg := range p.msgs {
		m := p.matters[msg.matter]
		day := int(msg.sec / 86400)
		k := key{int(m.place), int(m.topic)}
		firstDay(userDays, k, m.user, day)
		if m.writer {
			if writerPlaces[m.user] == nil {
				writerPlaces[m.user] = map[int32]bool{}
			}
			writerPlaces[m.user][m.place] = true
		}
		if m.issue >= 0 {
			continue
		}
		if int(p.hotTopic[m.place]) == int(m.topic) {
			t.Errorf("background on hot issue's place %s and topic %s", p.geo.places[m.place].full, boardTopics[m.topic].label)
		}
		firstDay(firsts, k, m.user, day)
		if !p.geo.places[m.place].decoy {
			firstDay(placeFirsts, int(m.place), m.user, day)
		}
	}
	pairs, places := 0, 0
	for _, f := range firsts {
		if busy(f, 91, 4) {
			pairs++
		}
	}
	for _, f := range placeFirsts {
		if busy(f, 31, 6) {
			places++
		}
	}
	t.Logf("%d messages, %d places, %d relaxed matters; %d place-topic pairs with 4 users in 91 days, %d places with 6 in 31 days",
		len(p.msgs), len(p.geo.places), p.relaxed, pairs, places)
	if pairs > 3 || places > 3 {
		t.Errorf("%d place-topic pairs and %d places over the caps", pairs, places)
	}
	hot := 0
	for k, ud := range userDays {
		if !busy(ud, 120, 10) {
			continue
		}
		if int(p.hotTopic[k.place]) != k.topic {
			t.Errorf("%s, %s: 10 users within 120 days but no hot issue", p.geo.places[k.place].full, boardTopics[k.topic].label)
		}
		hot++
	}
	if hot != len(p.issues) || hot < 15 || hot > 30 {
		t.Errorf("%d place-topic pairs with 10 or more users within 120 days, %d planted", hot, len(p.issues))
	}
	for u, pls := range writerPlaces {
		n := 0
		for _, msg := range p.msgs {
			if p.matters[msg.matter].user == u {
				n++
			}
		}
		if len(pls) < n*8/10 {
			t.Errorf("frequent writer %d: %d messages on %d places", u, n, len(pls))
		}
	}
}

// firstDay notes user's first day under k.
func firstDay[K comparable](m map[K]map[int32]int, k K, user int32, day int) {
	if m[k] == nil {
		m[k] = map[int32]int{}
	}
	if d, ok := m[k][user]; !ok || day < d {
		m[k][user] = day
	}
}

// busy says whether limit users' first days fall within window days.
func busy(firsts map[int32]int, window, limit int) bool {
	ds := make([]int, 0, len(firsts))
	for _, d := range firsts {
		ds = append(ds, d)
	}
	slices.Sort(ds)
	for i := range ds {
		if i+limit-1 < len(ds) && ds[i+limit-1]-ds[i] < window {
			return true
		}
	}
	return false
}

// TestBoardTemplates: every template renders (no unknown slot), every complaint names its
// place, and no place's name holds a person's (某, a title) or a suffix of another kind.
func TestBoardTemplates(t *testing.T) {
	tp := boardTpl()
	if len(tp.topics) < 25 {
		t.Errorf("%d topics, want 25 or more", len(tp.topics))
	}
	for i, topic := range boardTopics {
		for _, s := range topic.core {
			if !strings.Contains(s, "<P>") {
				t.Errorf("%s: core sentence without its place: %s", topic.label, s)
			}
		}
		for _, k := range topic.kinds {
			if len(kindSuffixes[k]) == 0 {
				t.Errorf("%s: kind %d has no names", topic.label, k)
			}
		}
		_ = i
	}
	p, err := planBoard(context.Background(), mustDefaults(t, boardConfig(1, 2000)))
	if err != nil {
		t.Fatal(err)
	}
	for _, pl := range p.geo.places {
		for _, name := range []string{pl.full, pl.short} {
			if strings.Contains(name, "某") || slices.ContainsFunc(titles, func(s string) bool { return strings.Contains(name, s) }) {
				t.Errorf("place name %q holds a person", name)
			}
		}
	}
	// every template of every list renders
	var b strings.Builder
	c := &boardCtx{r: newRand(1, 1), b: &b, place: &p.geo.places[0], first: "甲", later: "乙", tail: tp.topics[0].subj[0], landmark: "丙", when: "丁", user: "UU1"}
	for _, list := range [][]tpl{tp.salutations, tp.intros, tp.generic, tp.closings, tp.subjects, tp.subjectsNoPlace,
		tp.landmarks, tp.replyOpen, tp.replyShort, tp.replyClose, tp.replyMore, tp.followups} {
		for _, x := range list {
			c.render(x)
		}
	}
	for _, topic := range tp.topics {
		for _, list := range [][]tpl{topic.subj, topic.core, topic.detail, topic.ask, topic.reply} {
			for _, x := range list {
				c.render(x)
			}
		}
	}
	if strings.ContainsAny(b.String(), "<>{}|") {
		t.Errorf("a template left its syntax in the text: %s", b.String())
	}
}
