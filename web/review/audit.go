package review

import (
	"context"
	"database/sql"
	"time"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// AuditFilter selects audit log entries; empty fields select all. From and To bound the time
// acted (From included, To not); zero for no bound. Page counts from 1.
type AuditFilter struct {
	Actor, Action, Matter string
	From, To              time.Time
	Page, PerPage         int
}

// AuditPage is one page of the filtered audit log, newest first. Total is 0 on a page past the
// last.
type AuditPage struct {
	Entries            []AuditEntry
	Total, Page, Pages int
}

// AuditSearch returns one page of the audit log under f.
func AuditSearch(ctx context.Context, q Querier, f AuditFilter) (AuditPage, error) {
	p := AuditPage{Page: max(f.Page, 1)}
	per := f.PerPage
	if per <= 0 {
		per = 50
	}
	bound := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.UTC()
	}
	args := []any{f.Actor, f.Action, f.Matter, bound(f.From), bound(f.To), per, (p.Page - 1) * per}
	var err error
	p.Entries, err = db.Collect(ctx, q, auditPageSQL, args, func(rows *sql.Rows) (AuditEntry, error) {
		var e AuditEntry
		err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Role, &e.Action, &e.Matter, &e.Before, &e.After, &p.Total)
		return e, err
	})
	if err != nil {
		return p, i18n.Wrap(err, "web.db.audit_log")
	}
	p.Pages = max((p.Total+per-1)/per, 1)
	return p, nil
}

// AuditActors lists the users the audit log names.
func AuditActors(ctx context.Context, q Querier) ([]string, error) {
	out, err := db.Column[string](ctx, q, auditActorsSQL)
	if err != nil {
		return nil, i18n.Wrap(err, "web.db.audit_log")
	}
	return out, nil
}
