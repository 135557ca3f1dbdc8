package review

import (
	"context"
	"database/sql"
	"slices"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/title"
)

// Tabs of the watchlist: the matters still to handle (open and owned, shown by default), the
// resolved ones and the dismissed ones. A resolved matter leaves the open tab.
const (
	TabOpen      = "open"
	TabResolved  = "resolved"
	TabDismissed = "dismissed"
)

// Tabs lists the tabs in the order shown.
var Tabs = []string{TabOpen, TabResolved, TabDismissed}

// tabStates are the review states each tab shows.
var tabStates = map[string][]string{
	TabOpen:      {StateOpen, StateOwned},
	TabResolved:  {StateResolved},
	TabDismissed: {StateDismissed},
}

// TabStates returns the review states tab shows; those of TabOpen for "" or an unknown tab.
func TabStates(tab string) []string {
	if s, ok := tabStates[tab]; ok {
		return s
	}
	return tabStates[TabOpen]
}

// TabOf is the tab a review state is shown under.
func TabOf(state string) string {
	for _, t := range Tabs {
		if slices.Contains(tabStates[t], state) {
			return t
		}
	}
	return TabOpen
}

// TabCount is one tab with the number of matters it holds.
type TabCount struct {
	Tab string
	N   int
}

// tabCounts counts the matters of each tab under the filter args (watchlist_tabs.sql).
func tabCounts(ctx context.Context, q Querier, args []any) ([]TabCount, error) {
	n := map[string]int{}
	err := db.Query(ctx, q, watchlistTabsSQL, args, func(rows *sql.Rows) error {
		var state string
		var c int
		if err := rows.Scan(&state, &c); err != nil {
			return err
		}
		n[TabOf(state)] += c
		return nil
	})
	out := make([]TabCount, len(Tabs))
	for i, t := range Tabs {
		out[i] = TabCount{Tab: t, N: n[t]}
	}
	return out, err
}

// ItemTitle is a matter's title as its watchlist stores it, or, for a run an earlier version
// stored without titles, the one internal/title makes of f.
func ItemTitle(stored string, f title.Facts) string {
	if stored != "" {
		return stored
	}
	return title.Of(f)
}
