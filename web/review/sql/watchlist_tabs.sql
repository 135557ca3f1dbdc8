-- The matters of each review state under the filters $1..$10 of watchlist_count.sql (the review
-- state $6 '' and $10 every state): what each tab of the list counts (see Tabs).
SELECT coalesce(m.state, {{.state_open}}), count(*)
FROM {{.watchlist}} w LEFT JOIN {{.reviewed}} m USING (matter_id) WHERE {{template "watchlist_filter" .}}
GROUP BY ALL ORDER BY 1
