-- $1 the run; $2..$6 tier, township, category, rule and review state, '' for any.
SELECT count(*) FROM {{.watchlist}} w LEFT JOIN {{.reviewed}} m USING (matter_id) WHERE {{template "watchlist_filter" .}}
