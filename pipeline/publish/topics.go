package publish

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// Emerging topics (新出现的话题) of report.html (report_topics.html.tmpl) and watchlist.xlsx
// (xlsx_topics.go): the phrases whose distinct complainants rose far above their own baseline in
// the run's window, from table topic_bursts, with a note on the window they were found in (the
// run record's topics). They are not matters and stay apart from the tiers.

// topicColumns are the list's columns: topics.<column> in the catalogue.
var topicColumns = []string{"rank", "phrase", "complainants", "messages", "expected", "p_value", "period", "places", "related", "examples"}

// TopicsSection is the emerging topics as the report shows them, in the report's language.
type TopicsSection struct {
	On      bool // false when the run had topics off
	Title   string
	Intro   string // the window, or that there are none, too little history, or that they are off
	Headers []string
	Topics  []TopicRow
}

// TopicRow is one topic with its cells in the report's language.
type TopicRow struct {
	Rank                   int
	Phrase, Related        string
	Complainants, Messages int
	Expected               float64
	PValue                 string
	Period, Places         string
	Examples               string
}

// cells are the row's values in the order of topicColumns.
func (r TopicRow) cells() []any {
	return []any{r.Rank, r.Phrase, r.Complainants, r.Messages, r.Expected, r.PValue, r.Period, r.Places, r.Related, r.Examples}
}

// loadTopics reads run runID's emerging topics with their texts in lang.
func loadTopics(ctx context.Context, q db.Querier, runID, asOf, lang string) (TopicsSection, error) {
	s := TopicsSection{Title: i18n.T(lang, "topics.title"), Headers: header(lang, "topics", topicColumns)}
	var js sql.NullString
	if err := q.QueryRowContext(ctx, topicsRunSQL, runID).Scan(&js); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s, err
	}
	var set runrecord.Topics
	if js.Valid && js.String != "null" {
		if err := json.Unmarshal([]byte(js.String), &set); err != nil {
			return s, err
		}
		s.On = true
	}
	var tables int
	if err := q.QueryRowContext(ctx, topicsExistsSQL).Scan(&tables); err != nil {
		return s, err
	}
	if tables == 0 {
		s.On = false // a database from before topics, its outputs written again
		s.Intro = i18n.T(lang, "topics.off")
		return s, nil
	}
	sep := i18n.T(lang, "label.list_sep")
	err := db.Query(ctx, q, topicsSQL, []any{runID}, func(rows *sql.Rows) error {
		var r TopicRow
		var p float64
		var first, last, related, examples, places, counts string
		if err := rows.Scan(&r.Rank, &r.Phrase, &related, &r.Complainants, &r.Messages, &r.Expected, &p,
			&first, &last, &examples, &places, &counts); err != nil {
			return err
		}
		var rel, ex, pl []string
		var n []int
		for _, x := range []struct {
			js string
			v  any
		}{{related, &rel}, {examples, &ex}, {places, &pl}, {counts, &n}} {
			if err := json.Unmarshal([]byte(x.js), x.v); err != nil {
				return err
			}
		}
		r.Related, r.Examples = strings.Join(rel, sep), strings.Join(ex, " ")
		r.PValue = strconv.FormatFloat(p, 'g', 2, 64)
		r.Period = i18n.T(lang, "topics.period_value", first, last)
		for i, name := range pl {
			if i < len(n) {
				pl[i] = i18n.T(lang, "topics.place", name, n[i])
			}
		}
		r.Places = strings.Join(pl, sep)
		s.Topics = append(s.Topics, r)
		return nil
	})
	if err != nil {
		return s, err
	}
	switch {
	case !s.On:
		s.Intro = i18n.T(lang, "topics.off")
	case set.KnownDays < max(7, (set.BaselineDays+1)/2):
		s.Intro = i18n.T(lang, "topics.no_history", set.BaselineDays, set.KnownDays)
	case len(s.Topics) == 0:
		s.Intro = i18n.T(lang, "topics.none", set.WindowDays, set.BaselineDays)
	default:
		from := asOf
		if t, err := time.Parse(time.DateOnly, asOf); err == nil {
			from = t.AddDate(0, 0, 1-set.WindowDays).Format(time.DateOnly)
		}
		s.Intro = i18n.T(lang, "topics.intro", set.WindowDays, from, asOf, set.BaselineDays)
	}
	return s, nil
}
