package pipeline

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/earlywarn/earlywarn/configs"
)

// linkContacts rebuilds contact_links from all contacts, so a link follows the data as it is.
func linkContacts(ctx context.Context, q *sql.Conn, l configs.Linking) (LinkResult, error) {
	var r LinkResult
	if _, err := q.ExecContext(ctx, "DELETE FROM contact_links"); err != nil {
		return r, fmt.Errorf("linking: %w", err)
	}
	if !l.Enabled {
		err := q.QueryRowContext(ctx, "SELECT count(*) FROM contacts WHERE case_id IS NULL").Scan(&r.Unlinked)
		return r, err
	}
	if _, err := q.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE link_candidates AS
WITH u AS (SELECT contact_id, contact_date, person_id, category, township FROM contacts WHERE case_id IS NULL),
activity AS (
  SELECT complainant_id AS person_id, case_id, received_date AS d FROM cases
  UNION ALL
  SELECT person_id, case_id, contact_date FROM contacts WHERE case_id IS NOT NULL
),
cand AS (
  SELECT DISTINCT u.contact_id, u.contact_date, a.case_id
  FROM u JOIN activity a ON a.person_id = u.person_id
   AND a.d <= u.contact_date AND a.d > u.contact_date - CAST($window AS INTEGER)
  JOIN cases c ON c.case_id = a.case_id
  WHERE (u.category IS NULL OR u.category = c.category)
    AND (u.township IS NULL OR u.township = c.township)
)
SELECT u.contact_id, any_value(u.contact_date) AS contact_date, count(c.case_id) AS candidates,
       min(c.case_id) AS case_id
FROM u LEFT JOIN cand c USING (contact_id)
GROUP BY u.contact_id`, sql.Named("window", l.WindowDays)); err != nil {
		return r, fmt.Errorf("linking: %w", err)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO contact_links
SELECT contact_id, case_id, 'person_window' FROM (
  SELECT *, row_number() OVER (PARTITION BY case_id ORDER BY contact_date, contact_id) AS nth
  FROM link_candidates WHERE candidates = 1
) WHERE nth <= $cap`, sql.Named("cap", l.MaxPerCase)); err != nil {
		return r, fmt.Errorf("linking: %w", err)
	}
	err := q.QueryRowContext(ctx, `SELECT count(*), (SELECT count(*) FROM contact_links),
  count(*) FILTER (WHERE candidates > 1), count(*) FILTER (WHERE candidates = 1)
FROM link_candidates`).Scan(&r.Unlinked, &r.Linked, &r.Ambiguous, &r.Capped)
	r.Capped -= r.Linked
	return r, err
}
