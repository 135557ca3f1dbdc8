-- topics: the messages of one period, for the topics stage (pipeline/topics.go): each case with
-- text and a contact on a day $from_day .. $to_day days before $as_of, with those contacts as
-- "day:person" pairs (day counted back from $as_of; person the contact's person key, or the
-- case's own when it has none). Only that period's contacts and their cases are read, in no
-- particular order: what the detector finds does not depend on it, and sorting the texts costs.
-- The pairs are joined by a window, not string_agg() in a GROUP BY: DuckDB cannot spill the
-- states of an aggregate that collects, and a GROUP BY holds every case's at once.
WITH k AS (
  SELECT ck, string_agg(CAST($as_of AS DATE) - contact_date || ':' || coalesce(pk, -ck), ',') OVER (PARTITION BY ck) AS contacts
  FROM {{.case_contacts}}
  WHERE contact_date BETWEEN CAST($as_of AS DATE) - CAST($to_day AS INTEGER)
                         AND CAST($as_of AS DATE) - CAST($from_day AS INTEGER)
  QUALIFY row_number() OVER (PARTITION BY ck) = 1
)
SELECT c.case_id, c.content, coalesce(c.township, ''), coalesce(c.category, ''), k.contacts
FROM k JOIN cases c ON c.rowid = k.ck
WHERE c.content IS NOT NULL AND c.content <> ''
