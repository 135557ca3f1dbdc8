-- Whether the record stretches up to $prev_as_of, as the records now stand (record_stretches up
-- to $as_of, each cut at $prev_as_of), differ from those the latest stored run screened as of
-- $prev_as_of (screened_stretches): a late record in a gap joins two stretches, and records
-- after a new gap end the latest stretch earlier. Either changes which baseline days of a
-- rule by group are on record, for any group. A scalar.
WITH now AS (
  SELECT s, least(e, CAST($prev_as_of AS DATE)) AS e
  FROM {{template "record_stretches" .}}
  WHERE s <= CAST($prev_as_of AS DATE)
)
SELECT EXISTS (SELECT s, e FROM now EXCEPT SELECT s, e FROM screened_stretches)
    OR EXISTS (SELECT s, e FROM screened_stretches EXCEPT SELECT s, e FROM now)
