package publish

import (
	"cmp"
	"context"
	"slices"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/web/review"
)

// The due-soon list (临期预警) of report.html (report_due_soon.html.tmpl) and watchlist.xlsx
// (xlsx_due_soon.go): a run's pending cases whose current stage falls due within
// watchlist.due_soon_days, by responsible unit, to act on this week. It is kept apart from the
// tiers; the run stores it in table due_soon.

// dueSoonColumns are the list's columns: due_soon.<column> in the catalogue; gist, last, only
// when the run's title_gist is on.
var dueSoonColumns = []string{"responsible_unit", "case_id", "stage", "deadline", "days_left", "township", "category", "gist"}

// gistColumns is how many of dueSoonColumns a list without gists leaves out: the last, gist.
func gistColumns(gist bool) int {
	if gist {
		return 0
	}
	return 1
}

// DueSoonSection is the due-soon list as the report shows it, its texts in the report's
// language.
type DueSoonSection struct {
	Days    int  // watchlist.due_soon_days of the run; 0: no list
	Gist    bool // watchlist.title_gist of the run: the last column is the cases' gists
	Total   int
	Title   string
	Intro   string // how many cases at how many units; or that there are none, or no list
	Headers []string
	Units   []DueSoonUnit
}

// DueSoonUnit is one responsible unit's cases.
type DueSoonUnit struct {
	Unit    string
	Heading string // the unit with its number of cases
	Cases   []DueSoonCase
}

// DueSoonCase is one case, its stage named in the report's language.
type DueSoonCase struct {
	review.DueCase
	StageLabel string
}

// loadDueSoon reads run runID's due-soon list with its texts in lang: at most limit cases, the
// most urgent, the intro saying how many there are in all.
func loadDueSoon(ctx context.Context, q db.Querier, runID, lang string, limit int) (DueSoonSection, error) {
	l, err := review.DueSoon(ctx, q, runID)
	if err != nil {
		return DueSoonSection{}, err
	}
	s := DueSoonSection{Days: l.Days, Gist: l.Gist, Total: len(l.Cases), Title: i18n.T(lang, "due_soon.title"),
		Headers: header(lang, "due_soon", dueSoonColumns[1:len(dueSoonColumns)-gistColumns(l.Gist)])}
	switch {
	case l.Days == 0:
		s.Intro = i18n.T(lang, "due_soon.off")
	case len(l.Cases) == 0:
		s.Intro = i18n.T(lang, "due_soon.none", l.Days)
	default:
		s.Intro = i18n.T(lang, "due_soon.intro", l.Days, len(l.Cases), len(review.ByUnit(l.Cases)))
	}
	if len(l.Cases) > limit {
		l.Cases = mostUrgent(l.Cases, limit)
		s.Intro += i18n.T(lang, "due_soon.first", len(l.Cases))
	}
	for _, u := range review.ByUnit(l.Cases) {
		du := DueSoonUnit{Unit: u.Unit}
		if du.Unit == "" {
			du.Unit = i18n.T(lang, "due_soon.no_unit")
		}
		du.Heading = i18n.T(lang, "due_soon.unit", du.Unit, len(u.Cases))
		for _, c := range u.Cases {
			du.Cases = append(du.Cases, DueSoonCase{DueCase: c, StageLabel: review.StageLabel(lang, c.Stage)})
		}
		s.Units = append(s.Units, du)
	}
	return s, nil
}

// mostUrgent keeps the n cases with the fewest days left (the earlier listed first among equals),
// in their order.
func mostUrgent(cases []review.DueCase, n int) []review.DueCase {
	order := make([]int, len(cases))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(cases[a].DaysLeft, cases[b].DaysLeft) })
	keep := order[:n]
	slices.Sort(keep)
	out := make([]review.DueCase, n)
	for i, j := range keep {
		out[i] = cases[j]
	}
	return out
}
