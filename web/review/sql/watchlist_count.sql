-- $1 the run; $2..$7 tier, township, category, rule, review state and change since the previous
-- run, '' for any; $8 the review states of the tab shown (see Tabs).
SELECT count(*) FROM {{.watchlist}} w LEFT JOIN {{.reviewed}} m USING (matter_id) WHERE {{template "watchlist_filter" .}}
