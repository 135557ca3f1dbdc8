-- A row without a valid id number is its person's by name and phone: when that name and phone
-- go with exactly one person known by id number (in person_keys, from the files loaded before,
-- or in this file), the row takes that person's id, so that a visit where the id number was
-- not given, or was mistyped and set aside, counts for the person the other visits name.
UPDATE {{.stage_src}} s SET {{.person}} = m.person
FROM (
  WITH wanted AS (
    SELECT DISTINCT complainant_namephone_key AS k FROM {{.stage_src}}
    WHERE complainant_idno_key IS NULL AND complainant_namephone_key IS NOT NULL
  )
  SELECT k, min(person) AS person
  FROM (
    SELECT namephone_key AS k, person_id AS person FROM {{.person_keys}}
    WHERE idno_key IS NOT NULL AND namephone_key IN (SELECT k FROM wanted)
    UNION
    SELECT complainant_namephone_key, {{.person}} FROM {{.stage_src}}
    WHERE complainant_idno_key IS NOT NULL AND complainant_namephone_key IN (SELECT k FROM wanted)
  )
  GROUP BY k HAVING count(DISTINCT person) = 1
) m
WHERE s.complainant_idno_key IS NULL AND s.complainant_namephone_key = m.k
