-- topics: the messages of one range of cases ($from .. $to, as ck) of topic_contacts: each case
-- with text and a contact in the period, with those contacts as "day:person" pairs, in no
-- particular order (what the detector finds does not depend on it, and sorting the texts
-- costs). The driver holds a query's whole result until it is read, outside DuckDB's memory
-- limit: a province's period is gigabytes of text, so the stage reads it a range at a time.
-- One range's string_agg() states are few enough to hold (DuckDB cannot spill them).
WITH k AS (
  SELECT ck, string_agg(day || ':' || person, ',') AS contacts
  FROM {{.topic_contacts}}
  WHERE ck BETWEEN $from AND $to
  GROUP BY ck
)
SELECT c.case_id, c.content, coalesce(c.township, ''), coalesce(c.category, ''), k.contacts
FROM k JOIN cases c ON c.rowid = k.ck
WHERE c.rowid BETWEEN $from AND $to AND c.content IS NOT NULL AND c.content <> ''
