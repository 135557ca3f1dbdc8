-- $1..$10 as in watchlist_count.sql; $11 the page size, $12 the offset, $13 the order: 'due' by
-- due date (matters without one last), else by rank. The page's ranks first, over narrow rows;
-- then the wide columns of those ranks only.
WITH page AS (
  SELECT w.rank FROM {{.watchlist}} w LEFT JOIN {{.reviewed}} m USING (matter_id) WHERE {{template "watchlist_filter" .}}
  ORDER BY CASE WHEN $13 = 'due' THEN m.due_date END NULLS LAST, w.rank LIMIT $11 OFFSET $12
)
SELECT {{template "item_columns" .}}
FROM {{.watchlist}} w LEFT JOIN {{.reviewed}} m USING (matter_id)
WHERE w.run_id = $1 AND w.rank IN (SELECT rank FROM page) ORDER BY CASE WHEN $13 = 'due' THEN m.due_date END NULLS LAST, w.rank
