-- records_from: the first day of the records' latest unbroken stretch up to $as_of, the first
-- contact on record or the first after the latest gap of more than 14 days without a contact of
-- any kind. An office whose records stop for a fortnight has a gap in its export, not quiet
-- days: the baselines of group_signal wave and baseline, and emerging topics, count no day
-- before it (those days are unknown, not zero). A scalar subquery.
{{define "records_from"}}(SELECT max(s) FROM {{template "record_stretches" .}}){{end}}
-- record_stretches: every unbroken stretch of the records up to $as_of, from its first day s (the
-- first contact on record, or the first after a gap) to its last e (the last contact before the
-- next gap; $as_of for the latest). The days of a gap are in no stretch. A table subquery, for a
-- rule that judges each period by the stretch that holds it (group_signal wave).
{{define "record_stretches"}}(
  SELECT s, coalesce(lead(last_before) OVER (ORDER BY s), CAST($as_of AS DATE)) AS e
  FROM (SELECT d AS s, prev AS last_before
        FROM (SELECT d, lag(d) OVER (ORDER BY d) AS prev
              FROM (SELECT DISTINCT contact_date AS d FROM contacts WHERE contact_date <= CAST($as_of AS DATE)))
        WHERE prev IS NULL OR d - prev > 14)
){{end}}
