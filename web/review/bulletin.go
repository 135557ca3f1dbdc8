package review

// The monthly bulletin (月度通报): the live matters per township, category and responsible
// unit, what the month's runs found new, worse, reopened and cleared, what is overdue per unit,
// and each leader's 包案 in numbers.

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// GroupCount is the live matters of one township, category or responsible unit.
type GroupCount struct {
	Key  string
	Live int // live matters: on the watchlist, neither resolved nor dismissed in review
	// CaseOverdue: of them, those with a case past its deadline (办理超期, from the data);
	// BaoanOverdue: those owned and past their 包案 due date (the 已逾期 reminder).
	CaseOverdue, BaoanOverdue int
}

// LeaderProgress is one leader's 包案 in the month: LeaderCounts, and how many of the matters
// owned have a progress note since the month began.
type LeaderProgress struct {
	LeaderCount
	WithProgress int
}

// Bulletin is one month's bulletin.
type Bulletin struct {
	RunID, AsOf                    string // the run whose watchlist is counted; "" when none was screened before the month ended
	Live                           int
	ByTownship, ByCategory, ByUnit []GroupCount // most live first
	Changes                        map[string]int64
	Leaders                        []LeaderProgress
}

// LoadBulletin reads the bulletin of the month that begins at month (see Month): the live
// matters of the latest run screened as of a day in or before the month, the changes of the
// runs screened as of a day in it, and the 包案 on c's day.
func LoadBulletin(ctx context.Context, q Querier, month time.Time, c Clock) (*Bulletin, error) {
	b := &Bulletin{Changes: map[string]int64{}}
	from, to := month.Format(time.DateOnly), month.AddDate(0, 1, 0).Format(time.DateOnly)
	owned, err := Reminders(ctx, q, c)
	if err != nil {
		return nil, err
	}
	overdue := map[string]bool{}
	for _, o := range owned {
		overdue[o.MatterID] = slices.Contains(o.Reminders, RemindOverdue)
	}
	if _, _, err := LatestRun(ctx, q); err == nil {
		if err := b.loadRun(ctx, q, from, to, overdue); err != nil {
			return nil, i18n.Wrap(err, "web.db.bulletin")
		}
	} else if !errors.Is(err, ErrNoRun) {
		return nil, i18n.Wrap(err, "web.db.bulletin")
	}
	resolved, err := db.Counts(ctx, q, resolvedSinceSQL, month)
	if err != nil {
		return nil, i18n.Wrap(err, "web.db.bulletin")
	}
	progress := map[string]int{}
	for _, o := range owned {
		if o.LastNote != nil && !o.LastNote.Before(month) {
			progress[o.Owner]++
		}
	}
	for _, lc := range countByLeader(owned, resolved) {
		b.Leaders = append(b.Leaders, LeaderProgress{LeaderCount: lc, WithProgress: progress[lc.Owner]})
	}
	return b, nil
}

// loadRun counts the live matters of the month's run and the changes of the month's runs
// ([from, to) as dates); overdue says which owned matters are past their due date.
func (b *Bulletin) loadRun(ctx context.Context, q Querier, from, to string, overdue map[string]bool) error {
	err := q.QueryRowContext(ctx, bulletinRunSQL, to).Scan(&b.RunID, &b.AsOf)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	groups := [3]map[string]*GroupCount{{}, {}, {}}
	err = db.Query(ctx, q, bulletinLiveSQL, []any{b.RunID}, func(rows *sql.Rows) error {
		var id string
		var keys [3]string
		var late bool
		if err := rows.Scan(&id, &keys[0], &keys[1], &keys[2], &late); err != nil {
			return err
		}
		b.Live++
		for i, k := range keys {
			g := groups[i][k]
			if g == nil {
				g = &GroupCount{Key: k}
				groups[i][k] = g
			}
			g.Live++
			if late {
				g.CaseOverdue++
			}
			if overdue[id] {
				g.BaoanOverdue++
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	b.ByTownship, b.ByCategory, b.ByUnit = sorted(groups[0]), sorted(groups[1]), sorted(groups[2])
	b.Changes, err = db.Counts(ctx, q, bulletinChangesSQL, from, to)
	return err
}

// sorted is the groups with the most live matters first, then by key.
func sorted(m map[string]*GroupCount) []GroupCount {
	out := make([]GroupCount, 0, len(m))
	for _, g := range m {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b GroupCount) int {
		return cmp.Or(cmp.Compare(b.Live, a.Live), cmp.Compare(a.Key, b.Key))
	})
	return out
}

// Top keeps the first n groups and sums the rest under other (as its key); all when they are
// n + 1 or fewer.
func Top(gs []GroupCount, n int, other string) []GroupCount {
	if len(gs) <= n+1 {
		return gs
	}
	rest := GroupCount{Key: other}
	for _, g := range gs[n:] {
		rest.Live += g.Live
		rest.CaseOverdue += g.CaseOverdue
		rest.BaoanOverdue += g.BaoanOverdue
	}
	return append(gs[:n:n], rest)
}
