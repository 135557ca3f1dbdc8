-- case_state: one row per case received on or before $as_of, with its stage, deadline and
-- progress as of that date. It reads case_events and case_contacts, so it runs after both are
-- built.
--
-- A case is resolved when its last stage event is "closed" and nobody contacted the office
-- about it after the close. "Progress" is every stage event but an extension, so extending a
-- deadline does not reset the no-progress clock. Events of one day are ordered by their place
-- in the handling process (event_seq), so a case answered and closed on one day ends closed
-- (see case_events.sql, which also says how an unsatisfied evaluation reopens a case).
CREATE OR REPLACE TEMP TABLE {{.case_state}} AS
WITH lastc AS (
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
         coalesce(a.extensions, 0) AS extensions,
         CASE WHEN a.last_type = 'closed' THEN a.last_event_date END AS closed_on,
         a.reopened_on,
         l.last_contact
  FROM cases c
  LEFT JOIN {{.case_events}} a USING (case_id)
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
