-- case_events: one row per case with a stage event on or before $as_of: what its events say as
-- of that date (the last stage event's type and date; when it was last accepted or reopened, and
-- when review and re-review were requested; its latest progress and the extensions since it was
-- last reopened). case_state reads it; it is a table of its own so that the events' aggregate
-- and the joins of case_state each have the memory limit to themselves.
--
-- Supervision (督办), a return visit (回访) and an evaluation (评价) are not stage events: they
-- neither move a case nor count as progress, so a supervised case keeps its no-progress clock
-- and a closed case visited or rated afterwards stays closed. One exception: an evaluation
-- "unsatisfied" of a case that stands closed at that moment (the first such evaluation after
-- the close) reopens it as a reopened event on that day would: the case is being handled again,
-- its handling clock and extension count start that day, and it is progress (of type
-- reopened_unsatisfied). An unsatisfied evaluation of a case not closed changes nothing.
CREATE OR REPLACE TEMP TABLE {{.case_events}} AS
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
  -- The last event orders by day, then seq, as one integer (seq < 100). Events of one day and
  -- seq are of one type (seq follows the type; a reopening's seq is its evaluation's, which no
  -- other row has), so a tie picks no other type or progress code, and no event_id is compared.
  SELECT case_id,
    arg_max(event_type, (event_date - DATE '2000-01-01') * 100 + seq) AS last_type,
    max(event_date) AS last_event_date,
    max(event_date) FILTER (WHERE event_type IN ('accepted', 'reopened')) AS handle_from,
    max(event_date) FILTER (WHERE event_type = 'reopened') AS reopened_on,
    max(event_date) FILTER (WHERE event_type = 'review_requested') AS review_from,
    max(event_date) FILTER (WHERE event_type = 'rereview_requested') AS rereview_from,
    arg_max(progress_code, (event_date - DATE '2000-01-01') * 100 + seq) FILTER (WHERE event_type <> 'extended') AS progress_type,
    max(event_date) FILTER (WHERE event_type <> 'extended') AS progress_date
  FROM ev GROUP BY case_id
),
ext AS (
  SELECT ev.case_id, count(*) AS extensions
  FROM ev JOIN agg USING (case_id)
  WHERE ev.event_type = 'extended' AND (agg.reopened_on IS NULL OR ev.event_date >= agg.reopened_on)
  GROUP BY ev.case_id
)
SELECT a.*, coalesce(x.extensions, 0) AS extensions FROM agg a LEFT JOIN ext x USING (case_id)
