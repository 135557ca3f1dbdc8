package publish

// Ownership (包案) in report.html (report_baoan.html.tmpl): which of the run's matters are owned
// or resolved in review, by whom, in what state and with which reminders (review.Reminders),
// and how many in all.

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/title"
	"github.com/earlywarn/earlywarn/web/review"
)

// BaoanSection is the report's 包案 section, its texts in the report's language.
type BaoanSection struct {
	Title, Intro string
	Headers      []string
	Matters      []BaoanMatter
}

// BaoanMatter is one owned or resolved matter of the watchlist.
type BaoanMatter struct {
	Rank                  int64
	ID, Title             string
	Tier, TierLabel       string
	Owner                 string
	State, StateLabel     string
	Due                   string
	Reminders             string // labels, joined
	HasReminders, Overdue bool
}

// baoanColumns are the section's columns: report.baoan.col.<column> in the catalogue.
var baoanColumns = []string{"rank", "matter", "tier", "owner", "state", "due", "reminders"}

// loadBaoan reads the owned and resolved matters of run runID's watchlist, with their reminders
// on now's day (in now's zone; serve.plan_days at its default): at most limit, the first by rank,
// the intro counting them all.
func loadBaoan(ctx context.Context, q db.Querier, runID, lang string, now time.Time, limit int) (BaoanSection, error) {
	s := BaoanSection{Title: i18n.T(lang, "report.baoan.title"), Headers: header(lang, "report.baoan.col", baoanColumns)}
	owned, err := review.RemindersByMatter(ctx, q, review.Clock{Now: now, Location: now.Location(), PlanDays: configs.DefaultPlanDays})
	if err != nil {
		return s, err
	}
	var nOwned, nResolved, nReminded int
	s.Matters, err = db.Collect(ctx, q, reportBaoanSQL, []any{runID}, func(rows *sql.Rows) (BaoanMatter, error) {
		var m BaoanMatter
		var township, category sql.NullString
		err := rows.Scan(&m.Rank, &m.ID, &m.Title, &township, &category, &m.Tier, &m.Owner, &m.State, &m.Due)
		m.Title = review.ItemTitle(m.Title, title.Facts{Township: township.String, Category: category.String})
		m.StateLabel, m.TierLabel = review.Label(lang, m.State), review.Label(lang, m.Tier)
		var labels []string
		for _, code := range owned[m.ID] {
			labels = append(labels, i18n.T(lang, "web.reminder."+code))
		}
		m.Reminders = strings.Join(labels, i18n.T(lang, "label.list_sep"))
		m.HasReminders, m.Overdue = len(labels) > 0, slices.Contains(owned[m.ID], review.RemindOverdue)
		switch {
		case m.State == review.StateResolved:
			nResolved++
		case m.HasReminders:
			nOwned++
			nReminded++
		default:
			nOwned++
		}
		return m, err
	})
	if err != nil {
		return s, err
	}
	s.Intro = i18n.T(lang, "report.baoan.intro", nOwned, nResolved, nReminded)
	if len(s.Matters) == 0 {
		s.Intro = i18n.T(lang, "report.baoan.none")
	}
	if len(s.Matters) > limit {
		s.Matters = s.Matters[:limit]
		s.Intro += i18n.T(lang, "report.baoan.first", limit)
	}
	return s, nil
}
