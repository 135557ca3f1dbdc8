-- records_from: the first day of the records' latest unbroken stretch up to $as_of, the first
-- contact on record or the first after the latest gap of more than 14 days without a contact of
-- any kind. An office whose records stop for a fortnight has a gap in its export, not quiet
-- days: the baselines of group_signal wave and baseline, and emerging topics, count no day
-- before it (those days are unknown, not zero). A scalar subquery.
{{define "records_from"}}(
  SELECT max(d) FILTER (WHERE prev IS NULL OR d - prev > 14)
  FROM (SELECT d, lag(d) OVER (ORDER BY d) AS prev
        FROM (SELECT DISTINCT contact_date AS d FROM contacts WHERE contact_date <= CAST($as_of AS DATE)))
){{end}}
