package web

// The due-soon page (临期预警): the latest run's pending cases whose stage falls due within
// watchlist.due_soon_days, by responsible unit, apart from the watchlist's tiers.

import (
	"net/http"

	"github.com/earlywarn/earlywarn/web/review"
)

type dueSoonData struct {
	RunID, AsOf string
	Days, Total int
	Gist        bool // the run's title_gist: a column of the cases' gists
	Units       []dueUnit
}

type dueUnit struct {
	Unit  string
	Cases []dueRow
}

type dueRow struct {
	review.DueCase
	StageLabel string
}

func (s *Server) dueSoon(w http.ResponseWriter, r *http.Request, ss *session) {
	runID, asOf, err := review.LatestRun(r.Context(), s.store.DB())
	if err != nil {
		s.internal(w, r, ss, err)
		return
	}
	l, err := review.DueSoon(r.Context(), s.store.DB(), runID)
	if err != nil {
		s.internal(w, r, ss, err)
		return
	}
	d := dueSoonData{RunID: runID, AsOf: asOf, Days: l.Days, Total: len(l.Cases), Gist: l.Gist}
	for _, u := range review.ByUnit(l.Cases) {
		du := dueUnit{Unit: u.Unit}
		for _, c := range u.Cases {
			du.Cases = append(du.Cases, dueRow{DueCase: c, StageLabel: review.StageLabel(s.lang, c.Stage)})
		}
		d.Units = append(d.Units, du)
	}
	s.render(w, http.StatusOK, "due_soon", s.page(ss, s.t("web.due_soon.title"), d))
}
