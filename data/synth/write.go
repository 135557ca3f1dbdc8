package synth

import (
	"context"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/text/transform"
)

// Columns as written, in order; a test holds the first three to the data package's schema.
var (
	caseColumns = []string{"case_id", "received_date", "channel", "level", "complainant_id", "head_count",
		"category", "township", "village", "target_org", "responsible_unit", "status", "content"}
	contactColumns = []string{"contact_id", "case_id", "contact_date", "channel", "level", "person_id", "head_count"}
	eventColumns   = []string{"event_id", "case_id", "event_type", "event_date"}
	truthColumns   = []string{"truth_id", "family", "kind", "case_ids", "first_date", "peak_date", "note"}
)

const (
	bufSize     = 1 << 20
	caseIDWidth = 7 // XF2025-0000001
	minIDWidth  = 7 // V0000001, E0000001
)

// table is one CSV file written under a temporary name in its folder until rename. Rows are
// gathered in a buffer of bufSize; a full buffer goes to a goroutine that writes it to the file
// while the next one fills, so formatting and the write system calls overlap.
type table struct {
	f         *os.File
	tmp, path string
	enc       transform.Transformer // nil: UTF-8 as formatted
	encoded   []byte                // the encoder's output buffer
	row       []byte
	full      chan []byte   // buffers to write, in order
	free      chan []byte   // written buffers, for reuse
	done      chan struct{} // closed when the writer has stopped
	mu        sync.Mutex
	err       error // the writer's first error
}

// createTable creates the file name in dir and writes title (a line above the header, unless
// empty) and the header of columns. enc, if not nil, encodes the file's text.
func createTable(dir, name string, columns []string, title string, enc transform.Transformer) (*table, error) {
	path := filepath.Join(dir, name)
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return nil, err
	}
	t := &table{f: f, tmp: path + ".tmp", path: path, enc: enc, row: make([]byte, 0, bufSize),
		full: make(chan []byte, 1), free: make(chan []byte, 2), done: make(chan struct{})}
	t.free <- make([]byte, 0, bufSize)
	go t.drain()
	if title != "" {
		t.row = append(t.row, title...)
		if err := t.end(); err != nil {
			return t, err
		}
	}
	for i, c := range columns {
		if i > 0 {
			t.row = append(t.row, ',')
		}
		t.row = appendField(t.row, c)
	}
	return t, t.end()
}

// drain writes full buffers until full is closed; after an error it only recycles them.
func (t *table) drain() {
	defer close(t.done)
	for b := range t.full {
		if t.failed() == nil {
			out, err := b, error(nil)
			if t.enc != nil {
				t.encoded, err = encode(t.enc, t.encoded[:0], b)
				out = t.encoded
			}
			if err == nil {
				_, err = t.f.Write(out)
			}
			if err != nil {
				t.mu.Lock()
				t.err = err
				t.mu.Unlock()
			}
		}
		t.free <- b[:0]
	}
}

func (t *table) failed() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// end terminates the row in t.row. Rows accumulate there; once it holds bufSize bytes it is
// handed to the writer, and any error the writer has met so far is returned.
func (t *table) end() error {
	t.row = append(t.row, '\n')
	if len(t.row) < bufSize {
		return nil
	}
	t.full <- t.row
	t.row = <-t.free
	return t.failed()
}

// close writes what is left, stops the writer and closes the temporary file.
func (t *table) close() error {
	t.full <- t.row
	close(t.full)
	<-t.done
	err := t.failed()
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// appendField appends s as one CSV field, quoted as RFC 4180 (and encoding/csv) require.
func appendField[S string | []byte](b []byte, s S) []byte {
	quote := len(s) > 0 && s[0] == ' '
	for i := 0; i < len(s) && !quote; i++ {
		c := s[i]
		quote = c == ',' || c == '"' || c == '\n' || c == '\r'
	}
	if !quote {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// appendPadded appends v in decimal, zero-padded to width digits.
func appendPadded(b []byte, v, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], int64(v), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

func idWidth(n int) int { return max(minIDWidth, len(strconv.Itoa(n))) }

// layout fixes the written order of cases (by received day, then plan order) and formats ids.
type layout struct {
	p         *planner
	order     []int32   // written position → plan index
	rank      []int32   // plan index → written position
	at        []posCase // written position → what a contact row needs of its case
	upTo      []int32   // day → number of cases received on or before it
	dates     []string
	idPrefix  []string // day → "XF2025-"
	yearFirst []int32  // day → position of the first case received in that day's year
	personKey uint64
	office    *office // nil: the canonical format
}

func newLayout(p *planner) *layout {
	days := p.cfg.Days
	l := &layout{p: p, order: make([]int32, len(p.cases)), rank: make([]int32, len(p.cases)),
		upTo: make([]int32, days), dates: make([]string, days), idPrefix: make([]string, days),
		yearFirst: make([]int32, days), personKey: splitmix(p.cfg.Seed)}
	next := make([]int32, days+1)
	for i := range p.cases {
		next[p.cases[i].day+1]++
	}
	for d := range days {
		next[d+1] += next[d]
		l.upTo[d] = next[d+1]
	}
	yearStart := 0
	for d := range days {
		t := p.cfg.Start.AddDate(0, 0, d)
		if t.YearDay() == 1 {
			yearStart = d
		}
		l.dates[d] = t.Format(time.DateOnly)
		l.idPrefix[d] = "XF" + strconv.Itoa(t.Year()) + "-"
		l.yearFirst[d] = next[yearStart]
	}
	l.at = make([]posCase, len(p.cases))
	for i := range p.cases {
		c := &p.cases[i]
		pos := next[c.day]
		l.order[pos], l.rank[i] = int32(i), pos
		l.at[pos] = posCase{day: c.day, level: c.level, person: c.person}
		next[c.day]++
	}
	if p.cfg.Format == FormatOffice {
		l.office = newOffice(l)
	}
	return l
}

// posCase is the part of a case that contact rows need, packed by written position so that the
// random case draws of extra contacts stay within a small array.
type posCase struct {
	day    uint16
	level  uint8
	person uint32
}

// appendCaseID appends the id of the case at written position pos: XF, the year received, and
// its sequence within that year.
func (l *layout) appendCaseID(b []byte, pos int) []byte {
	d := l.at[pos].day
	b = append(b, l.idPrefix[d]...)
	return appendPadded(b, pos-int(l.yearFirst[d])+1, caseIDWidth)
}

// appendPerson appends the pseudonymous id of a person: P and 12 hex digits, a keyed bijection
// of the person index on 48 bits, so distinct persons never share an id.
func (l *layout) appendPerson(b []byte, person uint32) []byte {
	const mask = 1<<48 - 1
	x := (uint64(person) + l.personKey) & mask
	x ^= x >> 23
	x = x * 0x2127599BF4325C37 & mask
	x ^= x >> 19
	x = (x + l.personKey>>16) & mask
	x = x * 0x880355F21E6D1965 & mask
	x ^= x >> 25
	b = append(b, 'P')
	for shift := 44; shift >= 0; shift -= 4 {
		b = append(b, "0123456789abcdef"[x>>uint(shift)&15])
	}
	return b
}

func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ x>>30) * 0xBF58476D1CE4E5B9
	x = (x ^ x>>27) * 0x94D049BB133111EB
	return x ^ x>>31
}

// writeCases writes one row per case in written order, drawing each text as it goes (the text
// stream is consumed in this order only). progress, if set, gets (cases done, total) now and
// then and at the end.
func (l *layout) writeCases(ctx context.Context, t *table, progress func(int, int)) error {
	p := l.p
	var letter []byte
	for pos, pi := range l.order {
		if pos%8192 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if progress != nil && pos > 0 {
				progress(pos, len(l.order))
			}
		}
		c := &p.cases[pi]
		tctx := p.textCtx(c)
		var content []byte
		if c.copied > 0 {
			r := rand.New(rand.NewPCG(p.cfg.Seed^uint64(c.copied)<<32, streamLetter<<16|uint64(c.letter)))
			letter = p.copies[c.copied-1].letter(letter[:0], r)
			content = letter
		} else {
			var err error
			if content, err = p.text.unique(int(c.cat), &tctx); err != nil {
				return err
			}
		}
		if l.office != nil {
			if err := l.officeCase(t, pos, c, content); err != nil {
				return err
			}
			continue
		}
		tw := &p.cty.towns[c.town]
		b := l.appendCaseID(t.row, pos)
		b = append(append(b, ','), l.dates[c.day]...)
		b = append(append(b, ','), channelCodes[c.channel]...)
		b = append(append(b, ','), levelCodes[c.level]...)
		b = l.appendPerson(append(b, ','), c.person)
		b = strconv.AppendInt(append(b, ','), int64(c.head), 10)
		b = appendField(append(b, ','), categories[c.cat].name)
		b = appendField(append(b, ','), tw.name)
		b = append(b, ',')
		if c.village >= 0 {
			b = appendField(b, tw.villages[c.village])
		}
		b = append(b, ',')
		if o := p.cty.strata[c.stratum].org; o >= 0 {
			b = appendField(b, p.cty.orgs[o])
		}
		b = appendField(append(b, ','), p.cty.units[c.unit])
		b = appendField(append(b, ','), statusText(p.caseEvents(c)))
		t.row = appendField(append(b, ','), content)
		if err := t.end(); err != nil {
			return err
		}
	}
	if progress != nil {
		progress(len(l.order), len(l.order))
	}
	return nil
}

// writeEvents writes every event, case by case in written order, each case's by day.
func (l *layout) writeEvents(ctx context.Context, t *table) error {
	p := l.p
	width, seq := idWidth(len(p.events)), 0
	for pos, pi := range l.order {
		if pos%8192 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		for _, e := range p.caseEvents(&p.cases[pi]) {
			seq++
			if l.office != nil {
				if err := l.officeEvent(t, seq, width, pos, e, len(p.events)); err != nil {
					return err
				}
				continue
			}
			b := appendPadded(append(t.row, 'E'), seq, width)
			b = l.appendCaseID(append(b, ','), pos)
			b = append(append(b, ','), eventCodes[e.typ]...)
			t.row = append(append(b, ','), l.dates[e.day]...)
			if err := t.end(); err != nil {
				return err
			}
		}
	}
	return nil
}

// naturalContact locates one planned contact: the written position of its case and its index
// in planner.contacts.
type naturalContact struct {
	pos int32
	ct  uint32
}

// writeContacts writes the contacts day by day: each day's planned contacts in case order,
// then that day's share of the extra contacts (total - planned). Extra contacts go to cases
// already received (see extraCase), so each day's share is proportional to the number of cases
// received so far.
func (l *layout) writeContacts(ctx context.Context, t *table, total int) error {
	p := l.p
	byDay, start := l.contactsByDay()
	extra := uint64(total - len(byDay))
	var weight uint64
	for _, n := range l.upTo {
		weight += uint64(n)
	}
	r := newRand(p.cfg.Seed, streamExtra)
	width, seq, done := idWidth(total), 0, uint64(0)
	row := func(pos int, ct contact, idx int) error {
		seq++
		if l.office != nil {
			return l.officeContact(t, seq, width, pos, idx, ct, total)
		}
		b := appendPadded(append(t.row, 'V'), seq, width)
		b = l.appendCaseID(append(b, ','), pos)
		b = append(append(b, ','), l.dates[ct.day]...)
		b = append(append(b, ','), channelCodes[ct.channel]...)
		b = append(append(b, ','), levelCodes[ct.level]...)
		b = l.appendPerson(append(b, ','), l.at[pos].person)
		t.row = strconv.AppendInt(append(b, ','), int64(ct.head), 10)
		return t.end()
	}
	var cum uint64
	for d := range p.cfg.Days {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		for _, n := range byDay[start[d]:start[d+1]] {
			if err := row(int(n.pos), p.contacts[n.ct], int(n.ct)); err != nil {
				return err
			}
		}
		cum += uint64(l.upTo[d])
		hi, lo := bits.Mul64(extra, cum)
		due, _ := bits.Div64(hi, lo, max(weight, 1))
		for ; done < due; done++ {
			pos := extraCase(r, int(l.upTo[d]))
			if err := row(pos, l.extraContact(r, d, l.at[pos].level), -1); err != nil {
				return err
			}
		}
	}
	return nil
}

// extraCase picks the case of an extra contact among the first received ones. Contacts are
// heavy-tailed, as in a real office: four in five go to the chronic few (every 20th case), the
// rest spread over all cases.
func extraCase(r *rand.Rand, received int) int {
	if received >= hotEvery && r.IntN(5) < 4 {
		return r.IntN(received/hotEvery) * hotEvery
	}
	return r.IntN(received)
}

const hotEvery = 20

// extraChannels are the channels of extra contacts on a working day, in proportion.
var extraChannels = [20]uint8{chLetter, chLetter, chVisit, chVisit, chVisit, chVisit, chVisit, chVisit, chVisit,
	chOnline, chOnline, chOnline, chOnline, chPhone, chPhone, chPhone, chPhone, chPhone, chPhone, chPhone}

// extraContact draws a benchmark contact on day d at the case's level: one random draw gives the
// channel (online or phone at weekends) and the head count (2-4 one time in ten).
func (l *layout) extraContact(r *rand.Rand, d int, level uint8) contact {
	x := r.Uint64()
	ch := extraChannels[x%20]
	if l.p.weekend[d] {
		ch = chOnline + uint8(x&1)
	}
	head := uint8(1)
	if x>>8%10 == 0 {
		head = uint8(2 + x>>16%3)
	}
	return contact{day: uint16(d), channel: ch, level: level, head: head}
}

// contactsByDay buckets the planned contacts (thinned ones left out) by day, in written case
// order within a day. byDay[start[d]:start[d+1]] are day d's.
func (l *layout) contactsByDay() ([]naturalContact, []int) {
	p := l.p
	start := make([]int, p.cfg.Days+1)
	for _, x := range p.contacts {
		if x.day != dropped {
			start[x.day+1]++
		}
	}
	for d := range p.cfg.Days {
		start[d+1] += start[d]
	}
	byDay := make([]naturalContact, start[p.cfg.Days])
	next := slices.Clone(start)
	for pos, pi := range l.order {
		c := &p.cases[pi]
		for i := range uint32(c.nct) {
			if x := p.contacts[c.ct0+i]; x.day != dropped {
				byDay[next[x.day]] = naturalContact{pos: int32(pos), ct: c.ct0 + i}
				next[x.day]++
			}
		}
	}
	return byDay, start
}

// writeTruth writes one row per planted event, case ids in written order joined by ";".
func (l *layout) writeTruth(t *table) error {
	width := max(3, len(strconv.Itoa(len(l.p.truth))))
	for i, tr := range l.p.truth {
		pos := make([]int, len(tr.cases))
		for j, c := range tr.cases {
			pos[j] = int(l.rank[c])
		}
		slices.Sort(pos)
		b := appendPadded(append(t.row, 'T'), i+1, width)
		b = append(append(b, ','), kinds[tr.kind].family...)
		b = append(append(b, ','), kinds[tr.kind].name...)
		b = append(b, ',')
		for j, x := range pos {
			if j > 0 {
				b = append(b, ';')
			}
			b = l.appendCaseID(b, x)
		}
		b = append(append(b, ','), l.dates[tr.first]...)
		b = append(append(b, ','), l.dates[tr.peak]...)
		t.row = appendField(append(b, ','), tr.note)
		if err := t.end(); err != nil {
			return err
		}
	}
	return nil
}
