-- group_signal baseline: each stratum's distinct complainants on each day from $start that had
-- any, as integers: the stratum's g, the day's offset from $start and the count. Go zero-fills
-- the other days.
WITH cg AS (
  SELECT s.ck, bs.g FROM {{.case_state}} s JOIN {{.baseline_strata}} bs ON bs.stratum = {{template "stratum" .}}
)
SELECT g, CAST(contact_date - CAST($start AS DATE) AS INTEGER), count(DISTINCT t.pk)
FROM {{.case_contacts}} t JOIN cg USING (ck)
WHERE t.contact_date >= CAST($start AS DATE)
GROUP BY ALL
