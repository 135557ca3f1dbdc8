package synth

// # Message board (Config.Format FormatBoard)
//
// Generate writes a city government's online message board (留言板) shaped like
// shared/data/real/cn-message-board/replies.xlsx, whose places and topics exist only in the
// text. Config.Cases is the number of messages. Two files:
//
// board.csv: UTF-8 without BOM, RFC 4180 (bodies hold newlines and tabs, quoted), header
// 留言编号,留言用户,留言主题,留言时间,留言详情,答复意见,答复时间; one row a message, in order of
// posting; ids increase with gaps; times 2006/1/2 15:04:05. Users are UU0080123 or A00080123.
// A body is wrapped in the real board's scrape residue (newlines and tabs). The reply comes
// after the posting (log-normal lag, median 11 days, 90th percentile about 41); a message whose
// reply would fall after the last day, and one in 60 others, has an empty reply and reply time.
// configs/profiles/cn-message-board-csv.yaml loads it.
//
// ground_truth.csv: kind,id,place,topic,message_ids,users,from,to; message_ids joined by |,
// users the number of distinct users, from and to the first and last day (YYYY-MM-DD):
//   - hot_issue (id H001 …): a planted hot issue, one place and one topic. place is the place as
//     its messages most often write it (without district prefix), topic a short label
//     (物业收费); every message of the issue, including repeat posts of one user.
//   - decoy_place (id D01 …): a big place (a main road, a big market, a square, a hospital)
//     that many unrelated messages name, as a landmark (位于…路旁的…小区) or as their own place
//     with many topics, none of which reaches a hot issue; place is its full name and
//     message_ids every message that names it (some hot issues' messages among them).
//   - frequent_writer (id the user id): a user who writes 10 to 40 messages on many places
//     and topics; message_ids every message of that user.
//
// What is in it: a city (A市) of nine districts (A1区 … A9区) written as A市A3区, A3区 or not
// at all; max(600, Cases/6) places of many kinds (estates, villages and their groups,
// communities, roads, schools, hospitals, companies and factories, markets, projects) with
// made-up names written in variants (the full name, a short name such as 丽发新城 for
// 丽发新城小区, full-width digits); 30 topic families written from templates with synonyms,
// beside salutations, closings and sentences shared by all topics. Per 20,000 messages:
// 15 to 30 hot issues (10 to 60 distinct users each, over 5 days to 4 months, a sixth of them
// posting twice), 4 decoy places, 3 to 6 frequent writers; the rest is background, each
// message one user (a sixteenth post once or twice more on the same matter, with the same or
// an edited subject) on a place of Zipf-like popularity and a topic of its kind. Background
// keeps under caps: an ordinary place has at most 5 messages within any 31 days, a place and
// topic at most 3 within 91 days, and a hot issue's place never has background on its topic.
// Person names (王某, 张某某, 李书记) appear in the text but never next to a place's name.

import (
	"bufio"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FormatBoard writes a message board, board.csv, with its ground truth.
const FormatBoard = "board"

var boardFileNames = []string{"board.csv", "ground_truth.csv"}

var boardColumns = []string{"留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "答复意见", "答复时间"}

var boardTruthColumns = []string{"kind", "id", "place", "topic", "message_ids", "users", "from", "to"}

// BoardCounts reports what a board holds.
type BoardCounts struct {
	Messages, Users, HotIssues, DecoyPlaces, FrequentWriters, Unanswered int
	// Relaxed counts background matters placed without the caps (see the package doc).
	Relaxed int
}

const boardTimeLayout = "2006/1/2 15:04:05"

func generateBoard(ctx context.Context, cfg Config, outDir string, progress func(done, total int)) (Summary, error) {
	p, err := planBoard(ctx, cfg)
	if err != nil {
		return Summary{}, err
	}
	var tmps []string
	defer func() {
		for _, t := range tmps {
			os.Remove(t)
		}
	}()
	write := func(name string, fill func(w *csv.Writer) error) error {
		tmp := filepath.Join(outDir, name+".tmp")
		tmps = append(tmps, tmp)
		f, err := os.Create(tmp)
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(f, 1<<20)
		w := csv.NewWriter(bw)
		err = fill(w)
		if w.Flush(); err == nil {
			err = w.Error()
		}
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	counts := BoardCounts{Messages: len(p.msgs), Users: int(p.users), HotIssues: len(p.issues),
		DecoyPlaces: len(p.decoys), FrequentWriters: len(p.writers), Relaxed: p.relaxed}
	err = write(boardFileNames[0], func(w *csv.Writer) error {
		n, err := p.writeBoard(ctx, w, progress)
		counts.Unanswered = n
		return err
	})
	if err == nil {
		err = write(boardFileNames[1], p.writeTruth)
	}
	for i := 0; err == nil && i < len(boardFileNames); i++ {
		err = os.Rename(tmps[i], filepath.Join(outDir, boardFileNames[i]))
	}
	if err != nil {
		return Summary{}, err
	}
	tmps = nil
	s := Summary{Cases: len(p.msgs), Contacts: len(p.msgs), Planted: len(p.issues),
		AsOf: cfg.Start.AddDate(0, 0, p.last), Board: &counts}
	for _, name := range boardFileNames {
		s.Files = append(s.Files, filepath.Join(outDir, name))
	}
	return s, nil
}

// writeBoard writes the rows; it returns the number of messages without a reply.
func (p *boardPlan) writeBoard(ctx context.Context, w *csv.Writer, progress func(done, total int)) (int, error) {
	if err := w.Write(boardColumns); err != nil {
		return 0, err
	}
	rd := &boardRenderer{p: p, t: boardTpl()}
	row := make([]string, len(boardColumns))
	unanswered := 0
	for i := range p.msgs {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
			if progress != nil && i > 0 {
				progress(i, len(p.msgs))
			}
		}
		msg := &p.msgs[i]
		m := &p.matters[msg.matter]
		posted := p.cfg.Start.Add(time.Duration(msg.sec) * time.Second)
		row[0] = strconv.FormatInt(msg.id, 10)
		row[1] = boardUserID(p.cfg.Seed, m.user)
		row[2] = rd.subject(m, msg.edit)
		row[3] = posted.Format(boardTimeLayout)
		row[4] = rd.body(m, msg, posted)
		row[5], row[6] = "", ""
		if msg.lag >= 0 {
			answered := posted.Add(time.Duration(msg.lag) * time.Second)
			row[5] = rd.reply(m, msg, row[1], answered)
			row[6] = answered.Format(boardTimeLayout)
		} else {
			unanswered++
		}
		if err := w.Write(row); err != nil {
			return 0, err
		}
	}
	if progress != nil {
		progress(len(p.msgs), len(p.msgs))
	}
	return unanswered, nil
}

// boardUserID names user u: UU and 7 digits, or one user in 20 A and 8 digits; distinct users
// get distinct ids.
func boardUserID(seed uint64, u int32) string {
	h := splitmix(seed ^ uint64(u)*0x9E3779B97F4A7C15)
	n := 80000 + int64(u)*3 + int64(h%3)
	if h>>32%20 == 0 {
		return "A" + pad(n, 8)
	}
	return "UU" + pad(n, 7)
}

func pad(n int64, width int) string {
	s := strconv.FormatInt(n, 10)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}

// boardTruthRow is one row of ground_truth.csv in the making.
type boardTruthRow struct {
	kind, id, place, topic string
	msgs                   []int32 // indices into msgs, in order
}

func (p *boardPlan) writeTruth(w *csv.Writer) error {
	if err := w.Write(boardTruthColumns); err != nil {
		return err
	}
	hot := make([]boardTruthRow, len(p.issues))
	for i, is := range p.issues {
		hot[i] = boardTruthRow{kind: "hot_issue", id: "H" + pad(int64(i+1), 3), topic: boardTopics[is.topic].label}
	}
	decoys := make([]boardTruthRow, len(p.decoys))
	for i, pl := range p.decoys {
		decoys[i] = boardTruthRow{kind: "decoy_place", id: "D" + pad(int64(i+1), 2), place: p.geo.places[pl].full}
	}
	writers := make([]boardTruthRow, len(p.writers))
	for i, u := range p.writers {
		writers[i] = boardTruthRow{kind: "frequent_writer", id: boardUserID(p.cfg.Seed, u)}
	}
	forms := make([]map[string]int, len(p.issues))
	for i := range p.msgs {
		msg := &p.msgs[i]
		m := &p.matters[msg.matter]
		if m.issue >= 0 {
			hot[m.issue].msgs = append(hot[m.issue].msgs, int32(i))
			if forms[m.issue] == nil {
				forms[m.issue] = map[string]int{}
			}
			forms[m.issue][p.writtenAs(m)]++
		}
		if m.decoy {
			d := slices.Index(p.decoys, m.place)
			decoys[d].msgs = append(decoys[d].msgs, int32(i))
		} else if msg.landmark >= 0 {
			decoys[msg.landmark].msgs = append(decoys[msg.landmark].msgs, int32(i))
		}
		if m.writer {
			w := slices.Index(p.writers, m.user)
			writers[w].msgs = append(writers[w].msgs, int32(i))
		}
	}
	for i := range hot {
		best, n := p.geo.places[p.issues[i].place].full, 0
		for f, c := range forms[i] {
			if c > n || (c == n && f < best) {
				best, n = f, c
			}
		}
		hot[i].place = best
	}
	for _, rows := range [][]boardTruthRow{hot, decoys, writers} {
		for _, t := range rows {
			if err := w.Write(p.truthFields(t)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *boardPlan) truthFields(t boardTruthRow) []string {
	var ids strings.Builder
	users := map[int32]bool{}
	for j, i := range t.msgs {
		if j > 0 {
			ids.WriteByte('|')
		}
		ids.WriteString(strconv.FormatInt(p.msgs[i].id, 10))
		users[p.matters[p.msgs[i].matter].user] = true
	}
	day := func(i int32) string {
		return p.cfg.Start.Add(time.Duration(p.msgs[i].sec) * time.Second).Format(time.DateOnly)
	}
	from, to := "", ""
	if len(t.msgs) > 0 {
		from, to = day(t.msgs[0]), day(t.msgs[len(t.msgs)-1])
	}
	return []string{t.kind, t.id, t.place, t.topic, ids.String(), strconv.Itoa(len(users)), from, to}
}
