-- $1..$8 as in watchlist_count.sql; $9 the page size, $10 the offset. The page's ranks first,
-- over narrow rows; then the wide columns of those ranks only.
WITH page AS (
  SELECT w.rank FROM {{.watchlist}} w LEFT JOIN {{.reviewed}} m USING (matter_id) WHERE {{template "watchlist_filter" .}}
  ORDER BY w.rank LIMIT $9 OFFSET $10
)
SELECT {{template "item_columns" .}}
FROM {{.watchlist}} w LEFT JOIN {{.reviewed}} m USING (matter_id)
WHERE w.run_id = $1 AND w.rank IN (SELECT rank FROM page) ORDER BY w.rank
