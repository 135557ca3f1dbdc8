package pipeline

import (
	"context"
	"database/sql"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// linkContacts rebuilds contact_links from all contacts, so a link follows the data as it is
// (see sql/link_contacts.sql); with no contact lacking a case id there is nothing to search.
func linkContacts(ctx context.Context, q *sql.Conn, l configs.Linking) (LinkResult, error) {
	var r LinkResult
	if err := db.Exec(ctx, q, linkClearSQL); err != nil {
		return r, i18n.Wrap(err, "run.err.linking")
	}
	if err := q.QueryRowContext(ctx, linkUnlinkedSQL).Scan(&r.Unlinked); err != nil || !l.Enabled || r.Unlinked == 0 {
		return r, err
	}
	args := []any{sql.Named("window", l.WindowDays), sql.Named("cap", l.MaxPerCase)}
	if err := execStatements(ctx, q, args, linkContactsSQL...); err != nil {
		return r, i18n.Wrap(err, "run.err.linking")
	}
	err := q.QueryRowContext(ctx, linkCountsSQL).Scan(&r.Unlinked, &r.Linked, &r.Ambiguous, &r.Capped, &r.NoCase)
	r.Capped -= r.Linked
	return r, err
}
