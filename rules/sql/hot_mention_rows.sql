-- group_signal hot_issue, step 1a: the places named in the text of each case with a contact
-- (or, without one, received) in the period the rule reads, its $lookback_days days and the
-- $baseline_days days before them, in the order they are written, kept in the order of the
-- cases' rows so that each range of them (hot_mentions.sql) reads only its own: case_places is
-- joined once, not once a range. case_places is filled by the pipeline before screening
-- (pipeline/places.go); in_subject: the mention is on the text's first line, a message board's
-- subject; written, the mention as written when that is not its name (a gazetteer alias),
-- masked with the names from the case's topic text. A case whose own fields name its place (any
-- of $place_fields filled) is left out.
CREATE OR REPLACE TEMP TABLE {{.hot_mentions}} AS
SELECT s.ck, p.ord, p.key, p.name, p.kind, coalesce(p.context, '') AS context, p.in_subject,
       coalesce(p.written, '') AS written
FROM {{.case_state}} s JOIN case_places p ON p.case_id = s.case_id
WHERE p.key IS NOT NULL
  AND NOT (list_contains($place_fields, 'village') AND coalesce(s.village, '') <> '')
  AND NOT (list_contains($place_fields, 'target_org') AND coalesce(s.target_org, '') <> '')
  AND coalesce(s.last_contact, s.received_date) > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) - CAST($baseline_days AS INTEGER)
ORDER BY s.ck, p.ord
