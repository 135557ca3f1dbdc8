-- $1 the run; $2..$9 tier, township, category, rule, review state, change since the previous
-- run, owner, and the ids of the matters with the reminder asked for (see idsWith), '' for any;
-- $10 the review states of the tab shown (see Tabs).
SELECT count(*) FROM {{.watchlist}} w LEFT JOIN {{.reviewed}} m USING (matter_id) WHERE {{template "watchlist_filter" .}}
