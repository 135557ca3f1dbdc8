-- case_state: one row per case received on or before $as_of, with its stage, deadline and
-- progress as of that date. It reads case_contacts, so it runs after that is built.
--
-- A case is resolved when its last stage event is "closed" and nobody contacted the office
-- about it after the close. "Progress" is every stage event but an extension, so extending a
-- deadline does not reset the no-progress clock. Events of one day are ordered by their place
-- in the handling process (event_seq), so a case answered and closed on one day ends closed.
--
-- Supervision (督办), a return visit (回访) and an evaluation (评价) are not stage events: they
-- neither move a case nor count as progress, so a supervised case keeps its no-progress clock
-- and a closed case visited or rated afterwards stays closed. One exception: an evaluation
-- "unsatisfied" of a case that stands closed at that moment (the first such evaluation after
-- the close) reopens it as a reopened event on that day would: the case is being handled again,
-- its handling clock and extension count start that day, and it is progress (of type
-- reopened_unsatisfied). An unsatisfied evaluation of a case not closed changes nothing.
CREATE OR REPLACE TEMP TABLE {{.case_state}} AS
WITH e AS (
  -- The stage events, and the unsatisfied evaluations that may reopen a case.
  SELECT case_id, event_id, event_type, event_date, {{event_seq "event_type"}} AS seq,
         event_type = 'evaluated' AS unsatisfied
  FROM events
  WHERE event_date <= CAST($as_of AS DATE)
    AND (event_type NOT IN ('supervised', 'return_visit', 'evaluated') OR (event_type = 'evaluated' AND result = 'unsatisfied'))
),
reopening AS (
  -- Of the unsatisfied evaluations, each that found its case closed: the first after a close
  -- and before the next stage event (stood: the type of the last stage event before it; nth:
  -- how many stage events came before it). Only cases with one are ordered.
  SELECT case_id, event_id, 'reopened' AS event_type, event_date, seq, {{.reopened_unsatisfied}} AS progress_code
  FROM (
    SELECT *,
           last_value(CASE WHEN NOT unsatisfied THEN event_type END IGNORE NULLS) OVER w AS stood,
           sum(CASE WHEN unsatisfied THEN 0 ELSE 1 END) OVER w AS nth
    FROM e
    WHERE case_id IN (SELECT case_id FROM e WHERE unsatisfied)
    WINDOW w AS (PARTITION BY case_id ORDER BY event_date, seq, event_id ROWS UNBOUNDED PRECEDING)
  )
  WHERE unsatisfied AND stood = 'closed'
  QUALIFY row_number() OVER (PARTITION BY case_id, nth ORDER BY event_date, seq, event_id) = 1
),
ev AS (
  SELECT case_id, event_id, event_type, event_date, seq, event_type AS progress_code FROM e WHERE NOT unsatisfied
  UNION ALL
  SELECT * FROM reopening
),
agg AS (
  SELECT case_id,
    arg_max(event_type, (event_date, seq, event_id)) AS last_type,
    max(event_date) AS last_event_date,
    max(event_date) FILTER (WHERE event_type IN ('accepted', 'reopened')) AS handle_from,
    max(event_date) FILTER (WHERE event_type = 'reopened') AS reopened_on,
    max(event_date) FILTER (WHERE event_type = 'review_requested') AS review_from,
    max(event_date) FILTER (WHERE event_type = 'rereview_requested') AS rereview_from,
    arg_max(progress_code, (event_date, seq, event_id)) FILTER (WHERE event_type <> 'extended') AS progress_type,
    max(event_date) FILTER (WHERE event_type <> 'extended') AS progress_date
  FROM ev GROUP BY case_id
),
ext AS (
  SELECT ev.case_id, count(*) AS extensions
  FROM ev JOIN agg USING (case_id)
  WHERE ev.event_type = 'extended' AND (agg.reopened_on IS NULL OR ev.event_date >= agg.reopened_on)
  GROUP BY ev.case_id
),
lastc AS (
  SELECT ck, max(contact_date) AS last_contact FROM {{.case_contacts}} GROUP BY ck
),
staged AS (
  SELECT c.rowid AS ck, c.case_id, c.received_date, c.complainant_id, c.channel, c.category, c.township, c.village,
         c.target_org, c.responsible_unit,
         CASE
           WHEN a.last_type IS NULL THEN {{.accept}}
           WHEN a.last_type IN ('accepted', 'assigned', 'extended', 'reopened') THEN {{.handle}}
           WHEN a.last_type = 'review_requested' THEN {{.review}}
           WHEN a.last_type = 'rereview_requested' THEN {{.rereview}}
           ELSE a.last_type
         END AS stage,
         a.handle_from, a.review_from, a.rereview_from,
         coalesce(a.progress_date, c.received_date) AS progress_date,
         coalesce(a.progress_type, 'received') AS progress_type,
         coalesce(x.extensions, 0) AS extensions,
         CASE WHEN a.last_type = 'closed' THEN a.last_event_date END AS closed_on,
         a.reopened_on,
         l.last_contact
  FROM cases c
  LEFT JOIN agg a USING (case_id)
  LEFT JOIN ext x USING (case_id)
  LEFT JOIN lastc l ON l.ck = c.rowid
  WHERE c.received_date <= CAST($as_of AS DATE)
),
due AS (
  SELECT *,
         CASE stage
           WHEN {{.accept}} THEN received_date
           WHEN {{.handle}} THEN coalesce(handle_from, received_date)
           WHEN {{.review}} THEN review_from
           WHEN {{.rereview}} THEN rereview_from
         END AS due_from,
         CASE stage
           WHEN {{.accept}} THEN CAST($accept_days AS INTEGER)
           WHEN {{.handle}} THEN CAST($handle_days AS INTEGER) + CAST($extension_days AS INTEGER) * CAST(extensions AS INTEGER)
           WHEN {{.review}} THEN CAST($review_days AS INTEGER)
           WHEN {{.rereview}} THEN CAST($rereview_days AS INTEGER)
         END AS due_days
  FROM staged
)
SELECT ck, case_id, received_date, complainant_id, channel, category, township, village, target_org,
       responsible_unit, stage,
       stage IN ({{.accept}}, {{.handle}}, {{.review}}, {{.rereview}}) AS pending,
{{- if .working_days}}
       wd.d AS deadline, -- the due_days-th working day after due_from (see work_days)
{{- else}}
       due_from + due_days AS deadline,
{{- end}}
       progress_date, progress_type, extensions, reopened_on, closed_on, last_contact,
       closed_on IS NOT NULL AND (last_contact IS NULL OR last_contact <= closed_on) AS resolved
FROM due
{{- if .working_days}}
LEFT JOIN {{.work_days}} wi ON wi.d = due.due_from
LEFT JOIN {{.work_days}} wd ON wd.working AND wd.n = wi.n + due.due_days
{{- end}}
