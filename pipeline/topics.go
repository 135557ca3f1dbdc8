package pipeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/topics"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
	"github.com/earlywarn/earlywarn/rules"
)

// The topics stage (新出现的热点话题) runs after screening, on the contacts screening gathered as of
// the run's date (rules' case_contacts): it reads the cases with a contact in the window, then
// those with one in the baseline in batches, and hands them to package internal/topics, which
// finds the phrases whose distinct complainants rose far above their own baseline. The topics
// go to runTopicsTable, stored with the run (storeTopics) in table topic_bursts; they are not
// matters and do not touch the watchlist.

// topicBatch is how many baseline messages are handed to the detector at a time.
const topicBatch = 4096

// topicRangeContacts is about how many contacts one range of cases the stage reads at a time
// holds: about a hundred thousand messages, tens of megabytes of text (a variable for tests).
var topicRangeContacts int64 = 400_000

var (
	topicContactsSQL = statement("topic_contacts.sql")
	topicRangesSQL   = statement("topic_ranges.sql")
	topicMessagesSQL = statement("topic_messages.sql")
	topicTableSQL    = statement("topic_table.sql")
	topicAddSQL      = statement("topic_add.sql")
	topicStoreSQL    = statement("topic_store.sql")
)

// topicParams are the detector's parameters from the config's topics section.
func topicParams(c configs.Topics) topics.Params {
	p := topics.DefaultParams()
	p.WindowDays, p.BaselineDays, p.MinComplainants = c.WindowDays, c.BaselineDays, c.MinComplainants
	p.Alpha, p.MaxTopics, p.TemplateShare = c.Alpha, c.MaxTopics, c.TemplateShare
	return p
}

// findTopics finds the emerging topics of cfg's topics section as of asOf into runTopicsTable
// (empty when the section is off) and returns them for the run record; nil when off. It holds
// the window's messages in Go, under inGoWork's limits.
func findTopics(ctx context.Context, q *sql.Conn, cfg configs.Config, asOf time.Time, rep Reporter) (res *runrecord.Topics, err error) {
	err = inGoWork(ctx, q, cfg, func() error {
		res, err = detectTopics(ctx, q, cfg.Topics, asOf, rep)
		return err
	})
	return res, err
}

// detectTopics is findTopics within its limits.
func detectTopics(ctx context.Context, q *sql.Conn, c configs.Topics, asOf time.Time, rep Reporter) (*runrecord.Topics, error) {
	if err := db.Exec(ctx, q, topicTableSQL); err != nil {
		return nil, i18n.Wrap(err, "run.err.topics")
	}
	if !c.On() {
		return nil, nil
	}
	rep.Step("run.step.topics", c.WindowDays, c.BaselineDays)
	res := &runrecord.Topics{WindowDays: c.WindowDays, BaselineDays: c.BaselineDays, Topics: []runrecord.Topic{}}
	first, err := rules.RecordsFrom(ctx, q, asOf)
	if err != nil {
		return nil, i18n.Wrap(err, "run.err.topics")
	}
	if first.Valid {
		// The baseline's days on record: from the first day of the records' latest stretch (a
		// gap of more than a fortnight is missing from the export) to the day before the window.
		res.KnownDays = max(0, min(c.BaselineDays, int(asOf.Sub(dateOf(first.Time)).Hours()/24)+1-c.WindowDays))
	}
	p := topicParams(c)
	d, err := topics.New(p)
	if err != nil {
		return nil, i18n.Wrap(err, "run.err.topics")
	}
	if res.KnownDays < max(7, (c.BaselineDays+1)/2) {
		return res, nil // no history to compare with: nothing can be told emerging
	}
	err = readTopicMessages(ctx, q, asOf, 0, c.WindowDays-1, func(m topics.Message) { d.AddWindow(m) })
	if err != nil {
		return nil, i18n.Wrap(err, "run.err.topics")
	}
	if d.EndWindow() > 0 {
		// The detector counts one batch while the next is read.
		batches, counted := make(chan []topics.Message, 1), make(chan struct{})
		go func() {
			defer close(counted)
			for b := range batches {
				d.AddBaseline(b)
			}
		}()
		batch := make([]topics.Message, 0, topicBatch)
		err = readTopicMessages(ctx, q, asOf, c.WindowDays, c.WindowDays+c.BaselineDays-1, func(m topics.Message) {
			if batch = append(batch, m); len(batch) == topicBatch {
				batches <- batch
				batch = make([]topics.Message, 0, topicBatch)
			}
		})
		if err == nil {
			batches <- batch
		}
		close(batches)
		<-counted
		if err != nil {
			return nil, i18n.Wrap(err, "run.err.topics")
		}
	}
	for i, t := range d.Topics(res.KnownDays) {
		r := runrecord.Topic{Phrase: t.Phrase, Related: t.Related, Complainants: t.Complainants, Messages: t.Messages,
			Expected: t.Expected, PValue: t.PValue, Examples: t.Examples,
			FirstDate: day(asOf.AddDate(0, 0, -int(t.FirstDay))), LastDate: day(asOf.AddDate(0, 0, -int(t.LastDay)))}
		for _, pl := range t.Places {
			r.Places = append(r.Places, runrecord.TopicPlace{Name: pl.Name, Messages: pl.Messages})
		}
		if err := addTopic(ctx, q, i+1, r, t.BaselineDays); err != nil {
			return nil, i18n.Wrap(err, "run.err.topics")
		}
		res.Topics = append(res.Topics, r)
	}
	return res, nil
}

// readTopicMessages hands each case with text and a contact fromDay .. toDay days before asOf
// to add, with those contacts, in the order of the ranges of cases it reads (topicRangeContacts).
func readTopicMessages(ctx context.Context, q *sql.Conn, asOf time.Time, fromDay, toDay int, add func(topics.Message)) error {
	defer db.DropTemp(context.WithoutCancel(ctx), q, topicContactsTable)
	args := []any{sql.Named("as_of", day(asOf)), sql.Named("from_day", fromDay), sql.Named("to_day", toDay)}
	if _, err := q.ExecContext(ctx, topicContactsSQL, args...); err != nil {
		return err
	}
	var first, last, contacts int64
	if err := q.QueryRowContext(ctx, topicRangesSQL).Scan(&first, &last, &contacts); err != nil {
		return err
	}
	ranges := max(1, (contacts+topicRangeContacts-1)/topicRangeContacts)
	width := max(1, (last-first+ranges)/ranges)
	for from := first; from <= last; from += width {
		err := db.Query(ctx, q, topicMessagesSQL, []any{sql.Named("from", from), sql.Named("to", from+width-1)}, func(rows *sql.Rows) error {
			m, err := scanTopicMessage(rows)
			if err == nil {
				add(m)
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// scanTopicMessage reads one row of topic_messages.sql: a case with its contacts as
// "day:person" pairs.
func scanTopicMessage(rows *sql.Rows) (topics.Message, error) {
	var m topics.Message
	var contacts string
	if err := rows.Scan(&m.CaseID, &m.Text, &m.Place, &m.Category, &contacts); err != nil {
		return m, err
	}
	for pair := range strings.SplitSeq(contacts, ",") {
		d, person, _ := strings.Cut(pair, ":")
		dn, err1 := strconv.ParseInt(d, 10, 32)
		pn, err2 := strconv.ParseInt(person, 10, 64)
		if err1 != nil || err2 != nil {
			return m, i18n.Errorf("run.err.topic_contacts", pair)
		}
		m.Contacts = append(m.Contacts, topics.Contact{Day: int32(dn), Person: pn})
	}
	return m, nil
}

// addTopic adds one topic to runTopicsTable.
func addTopic(ctx context.Context, q *sql.Conn, rank int, t runrecord.Topic, baselineDays int) error {
	var names []string
	var counts []int
	for _, p := range t.Places {
		names = append(names, p.Name)
		counts = append(counts, p.Messages)
	}
	js := func(v any) string {
		b, _ := json.Marshal(v) // strings and ints only
		if string(b) == "null" {
			return "[]"
		}
		return string(b)
	}
	_, err := q.ExecContext(ctx, topicAddSQL, sql.Named("rank", rank), sql.Named("phrase", t.Phrase),
		sql.Named("related", js(t.Related)), sql.Named("complainants", t.Complainants), sql.Named("messages", t.Messages),
		sql.Named("expected", t.Expected), sql.Named("p_value", t.PValue), sql.Named("baseline_days", baselineDays),
		sql.Named("first_date", t.FirstDate), sql.Named("last_date", t.LastDate), sql.Named("examples", js(t.Examples)),
		sql.Named("places", js(names)), sql.Named("place_messages", js(counts)))
	return err
}

// storeTopics stores the run's topics as runID's.
func storeTopics(ctx context.Context, q *sql.Conn, runID string) error {
	if _, err := q.ExecContext(ctx, topicStoreSQL, sql.Named("run_id", runID)); err != nil {
		return i18n.Wrap(err, "run.err.store_topics")
	}
	return nil
}
