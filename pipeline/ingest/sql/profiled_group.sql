-- Rows of a cases file sharing a case key are one case. A key an earlier file made a case for
-- keeps that case: its rows join it (joins), unless this file holds the row that made it (the
-- same export again), which then makes it anew. A new key's case is its earliest row's (by
-- received date, then line).
CREATE OR REPLACE TEMP TABLE {{.stage_groups}} AS
SELECT s.case_key, coalesce(k.case_id, arg_min(s.case_id, (s.received_date, s._line))) AS case_id,
  k.case_id IS NOT NULL AND NOT bool_or(s.contact_id = k.case_id) AS joins
FROM {{.stage_src}} s LEFT JOIN {{.case_keys}} k USING (case_key)
GROUP BY s.case_key, k.case_id
