package synth

import (
	"math/rand/v2"
	"strings"
	"time"
)

// boardRenderer writes the text of the board's messages from their matters' seeds: a matter's
// subject (and how it writes its place) comes from the matter's seed alone, so its repeat posts
// can carry the same subject; each post's body and reply from the seed and the post's number.
type boardRenderer struct {
	p *boardPlan
	t *boardTemplates
	b strings.Builder
}

// matterStyle is how a matter writes its place: which form, which district prefix (0 none,
// 1 A3区, 2 A市A3区), whether its subject names it.
type matterStyle struct {
	form, prefix uint8
	inSubject    bool
}

// style draws a matter's style: the first draws of the matter's subject stream.
func (p *boardPlan) style(r *rand.Rand, m *boardMatter) matterStyle {
	pl := &p.geo.places[m.place]
	var s matterStyle
	switch {
	case pl.short != "" && r.IntN(10) < 3:
		s.form = formShort
	case pl.wide != "" && r.IntN(10) < 2:
		s.form = formWide
	}
	s.prefix = uint8(max(0, r.IntN(4)-1))
	s.inSubject = r.IntN(100) < 85 || (m.issue >= 0 && r.IntN(2) == 0)
	return s
}

// writtenAs is the place as matter m writes it first, without prefix.
func (p *boardPlan) writtenAs(m *boardMatter) string {
	return p.geo.places[m.place].form(p.style(newRand(m.seed, 1), m).form)
}

func (p *boardPlan) prefix(pl *boardPlace, prefix uint8) string {
	switch prefix {
	case 1:
		return districtName(pl.district)
	case 2:
		return "A市" + districtName(pl.district)
	}
	return ""
}

func (rd *boardRenderer) ctx(r *rand.Rand, m *boardMatter, s matterStyle) *boardCtx {
	p := rd.p
	pl := &p.geo.places[m.place]
	written := pl.form(s.form)
	rd.b.Reset()
	c := &boardCtx{r: r, b: &rd.b, place: pl, first: p.prefix(pl, s.prefix) + written, later: written}
	if m.issue >= 0 {
		c.facts = &p.issues[m.issue].facts
	}
	return c
}

func (rd *boardRenderer) subject(m *boardMatter, edit uint8) string {
	r := newRand(m.seed, 1)
	s := rd.p.style(r, m)
	c := rd.ctx(r, m, s)
	var allow []uint8
	if m.issue >= 0 {
		allow = rd.p.issues[m.issue].subj
	}
	c.tail = pickTpl(r, rd.t.topics[m.topic].subj, allow)
	if s.inSubject {
		c.render(pickTpl(r, rd.t.subjects, nil))
	} else {
		c.render(pickTpl(r, rd.t.subjectsNoPlace, nil))
	}
	subj := rd.b.String()
	switch edit {
	case 1:
		return "再次反映" + subj
	case 2:
		return subj + "（至今未解决）"
	case 3:
		return subj + "，请尽快处理"
	}
	return subj
}

func (rd *boardRenderer) body(m *boardMatter, msg *boardMsg, posted time.Time) string {
	p, t := rd.p, rd.t
	s := p.style(newRand(m.seed, 1), m)
	r := newRand(m.seed, 2+uint64(msg.seq))
	c := rd.ctx(r, m, s)
	pl := c.place
	switch x := r.IntN(10); {
	case msg.landmark >= 0:
		d := &p.geo.places[p.decoys[msg.landmark]]
		c.landmark = d.full
		if d.short != "" && r.IntN(4) == 0 {
			c.landmark = d.short
		}
		var lb strings.Builder
		lc := &boardCtx{r: r, b: &lb, place: pl, landmark: c.landmark}
		lc.render(pickTpl(r, t.landmarks, nil))
		c.first = lb.String() + c.later
	case x < 2:
		c.first = "A市" + districtName(pl.district) + p.geo.streets[pl.street] + c.later
	case x < 4:
		c.first = districtName(pl.district) + c.later
	}
	var allowCore, allowDetail []uint8
	if m.issue >= 0 {
		allowCore, allowDetail = p.issues[m.issue].core, p.issues[m.issue].detail
	}
	topic := &t.topics[m.topic]
	b := c.b
	b.WriteString(boardResidueStart)
	sep := func() {
		if r.IntN(10) == 0 {
			b.WriteByte('\n')
		}
	}
	if msg.seq > 0 {
		first := p.cfg.Start.AddDate(0, 0, int(m.first))
		c.when = cnDate(first)
		c.render(pickTpl(r, t.followups, nil))
		sep()
	}
	if r.IntN(10) < 6 {
		c.render(pickTpl(r, t.salutations, nil))
		sep()
	}
	if r.IntN(10) < 6 {
		c.render(pickTpl(r, t.intros, nil))
	}
	core := pickTpl(r, topic.core, allowCore)
	c.render(core)
	if r.IntN(4) == 0 {
		if again := pickTpl(r, topic.core, allowCore); &again[0] != &core[0] {
			c.render(again)
		}
	}
	sep()
	// details of the topic and sentences of any topic, drawn without repeats
	nd := len(topic.detail)
	if allowDetail != nil {
		nd = len(allowDetail)
	}
	pool := r.Perm(nd + len(t.generic))
	extra := min(len(pool), lognormalInt(r, 1.0, 1.2))
	for _, j := range pool[:extra] {
		if j < nd {
			if allowDetail != nil {
				j = int(allowDetail[j])
			}
			c.render(topic.detail[j])
		} else {
			c.render(t.generic[j-nd])
		}
		sep()
	}
	if r.IntN(100) < 85 {
		c.render(pickTpl(r, topic.ask, nil))
	}
	if r.IntN(10) < 7 {
		c.render(pickTpl(r, t.closings, nil))
	}
	if r.IntN(12) == 0 {
		b.WriteString(cnDate(posted))
	}
	b.WriteString(boardResidueEnd)
	return b.String()
}

func (rd *boardRenderer) reply(m *boardMatter, msg *boardMsg, user string, answered time.Time) string {
	t := rd.t
	r := newRand(m.seed, 20+uint64(msg.seq))
	c := rd.ctx(r, m, matterStyle{})
	c.user = user
	if r.IntN(100) < 15 {
		c.render(pickTpl(r, t.replyShort, nil))
		return c.b.String()
	}
	c.render(pickTpl(r, t.replyOpen, nil))
	replies := t.topics[m.topic].reply
	for _, j := range r.Perm(len(replies))[:min(len(replies), 1+r.IntN(2))] {
		c.render(replies[j])
	}
	c.render(pickTpl(r, t.replyClose, nil))
	c.b.WriteString(cnDate(answered))
	return c.b.String()
}
