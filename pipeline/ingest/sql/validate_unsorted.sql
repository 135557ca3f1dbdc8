-- Whether a file's ids are not strictly ascending in the order the scan yields them (lag over
-- an unordered window streams them): only then can one repeat.
SELECT count(*) > 0 FROM (
  SELECT {{.key}} AS id, lag({{.key}}) OVER () AS prev FROM {{.table}} WHERE {{.key}} IS NOT NULL)
WHERE id <= prev
