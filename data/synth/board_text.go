package synth

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Templates of the message board's text. A template is Chinese text with
//
//	{a|b|c}  one of the alternatives (which may hold slots, not braces)
//	<P> the message's place (the first time as the matter writes it, with its district prefix
//	    or landmark; later as written, or the full name)
//	<R> the writer's role (业主, 村民 …)  <U> the user id  <D> the district (A3区)
//	<T> the topic's subject tail (subjects only)  <L> a landmark's name (landmark phrases only)
//	<X> an official by surname and title (李书记)  <x> a person by surname only (王某, 张某某)
//	<n> 2-9  <N> 10-99  <A> an amount in 元  <F> <f> a price per square metre (<f> > <F>)
//	<M> a month 1-12  <K> a number of months 2-18
//
// The numbers of a planted hot issue's messages are mostly the issue's own (its facts), so that
// its messages share details as well as words.

type tnode struct {
	lit  string
	alts []tpl
	slot byte
}

type tpl []tnode

func compileTpl(s string) tpl {
	var t tpl
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t = append(t, tnode{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				panic("synth: unclosed { in template " + s)
			}
			flush()
			var n tnode
			for a := range strings.SplitSeq(s[i+1:i+end], "|") {
				n.alts = append(n.alts, compileTpl(a))
			}
			t = append(t, n)
			i += end
		case c == '<' && i+2 < len(s) && s[i+2] == '>':
			flush()
			t = append(t, tnode{slot: s[i+1]})
			i += 2
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return t
}

func compileAll(ss []string) []tpl {
	out := make([]tpl, len(ss))
	for i, s := range ss {
		out[i] = compileTpl(s)
	}
	return out
}

// compiledTopic is a boardTopic with its templates compiled.
type compiledTopic struct {
	subj, core, detail, ask, reply []tpl
}

type boardTemplates struct {
	topics                                       []compiledTopic
	salutations, intros, generic, closings       []tpl
	subjects, subjectsNoPlace, landmarks         []tpl
	replyOpen, replyShort, replyClose, followups []tpl
}

var boardTpl = sync.OnceValue(func() *boardTemplates {
	t := &boardTemplates{
		salutations: compileAll(boardSalutations), intros: compileAll(boardIntros), generic: compileAll(boardGeneric),
		closings: compileAll(boardClosings), subjects: compileAll(boardSubjects), subjectsNoPlace: compileAll(boardSubjectsNoPlace),
		landmarks: compileAll(boardLandmarks), replyOpen: compileAll(boardReplyOpen), replyShort: compileAll(boardReplyShort),
		replyClose: compileAll(boardReplyClose), followups: compileAll(boardFollowups),
	}
	for _, tp := range boardTopics {
		t.topics = append(t.topics, compiledTopic{subj: compileAll(tp.subj), core: compileAll(tp.core),
			detail: compileAll(tp.detail), ask: compileAll(tp.ask), reply: compileAll(tp.reply)})
	}
	return t
})

// boardFollowups open a repeat post: <W> is the date of the first.
var boardFollowups = []string{
	"{我|本人}于<W>{已经|曾}反映过{这个问题|此事}，{至今|到现在}{没有|仍未}{解决|得到答复}。",
	"{再次|又一次}反映：<W>{反映的|留言反映的}问题{至今|一直}{没有解决|没人处理}。",
	"{上次|<W>}{留言|反映}后{没有任何|没有}{回音|进展}，{只好|只能}再次{留言|反映}。",
}

var titles = []string{"书记", "市长", "局长", "主任", "经理", "老师", "院长", "区长"}

// boardCtx is what the slots of one text render from.
type boardCtx struct {
	r        *rand.Rand
	b        *strings.Builder
	place    *boardPlace
	first    string // the place the first time
	later    string // the place after
	used     bool   // the place has been written once
	role     string
	user     string
	facts    *[8]int
	tail     tpl // <T>
	landmark string
	when     string // <W>
}

func (c *boardCtx) fact(i int, draw func() int) int {
	if c.facts != nil && c.r.IntN(4) != 0 {
		return c.facts[i]
	}
	return draw()
}

func (c *boardCtx) render(t tpl) {
	for _, n := range t {
		switch {
		case n.alts != nil:
			c.render(n.alts[c.r.IntN(len(n.alts))])
		case n.slot != 0:
			c.slot(n.slot)
		default:
			c.b.WriteString(n.lit)
		}
	}
}

func (c *boardCtx) slot(s byte) {
	r := c.r
	num := func(v int) { c.b.WriteString(strconv.Itoa(v)) }
	switch s {
	case 'P':
		if !c.used {
			c.used = true
			c.b.WriteString(c.first)
			return
		}
		if r.IntN(3) == 0 {
			c.b.WriteString(c.place.full)
		} else {
			c.b.WriteString(c.later)
		}
	case 'R':
		roles := placeRoles[c.place.kind]
		c.b.WriteString(roles[r.IntN(len(roles))])
	case 'U':
		c.b.WriteString(c.user)
	case 'D':
		c.b.WriteString(districtName(c.place.district))
	case 'T':
		c.render(c.tail)
	case 'L':
		c.b.WriteString(c.landmark)
	case 'W':
		c.b.WriteString(c.when)
	case 'X':
		c.b.WriteString(surnames[r.IntN(len(surnames))])
		c.b.WriteString(titles[r.IntN(len(titles))])
	case 'x':
		c.b.WriteString(surnames[r.IntN(len(surnames))])
		c.b.WriteString(either(r.IntN(2) == 0, "某", "某某"))
	case 'n':
		num(c.fact(0, func() int { return 2 + r.IntN(8) }))
	case 'N':
		num(c.fact(1, func() int { return 10 + r.IntN(90) }))
	case 'A':
		num(c.fact(2, func() int { return 10 * (20 + r.IntN(480)) }))
	case 'F', 'f':
		v := c.fact(3, func() int { return 12 + r.IntN(30) })
		if s == 'f' {
			v += c.fact(4, func() int { return 3 + r.IntN(12) })
		}
		c.b.WriteString(strconv.Itoa(v/10) + "." + strconv.Itoa(v%10))
	case 'M':
		num(c.fact(5, func() int { return 1 + r.IntN(12) }))
	case 'K':
		num(c.fact(6, func() int { return 2 + r.IntN(17) }))
	default:
		panic("synth: unknown slot <" + string(s) + ">")
	}
}

// pickTpl draws a template; with allow (a hot issue's subset of indices), only among those.
func pickTpl(r *rand.Rand, ts []tpl, allow []uint8) tpl {
	if len(allow) > 0 {
		return ts[allow[r.IntN(len(allow))]]
	}
	return ts[r.IntN(len(ts))]
}

const boardResidueStart, boardResidueEnd = "\n\t\t\t\t\t\n\t\t\t\t\t", "\n\t\t\t\t\t\n\t\t\t\t\t\n\t\t\t\t"

// cnDate writes a day as 2025年3月4日.
func cnDate(t time.Time) string {
	return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}

// lognormalInt draws round(exp(N(mu, sigma))).
func lognormalInt(r *rand.Rand, mu, sigma float64) int {
	return int(math.Round(math.Exp(mu + sigma*r.NormFloat64())))
}
