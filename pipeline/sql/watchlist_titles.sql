-- run_titles: each run item's title, composed by Go (internal/title) from watchlist_title_facts.
CREATE OR REPLACE TEMP TABLE {{.run_titles}} (matter_id VARCHAR, title VARCHAR)
