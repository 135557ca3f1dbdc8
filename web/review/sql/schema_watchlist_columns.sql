-- A database only an earlier version has run on keeps its watchlists in a table, which may lack
-- the merged_ids and title the app reads: they are added (its titles empty: the app composes
-- them). A later version's run makes watchlist a view, which has them.
ALTER TABLE {{.watchlist}} ADD COLUMN IF NOT EXISTS merged_ids VARCHAR[];
ALTER TABLE {{.watchlist}} ADD COLUMN IF NOT EXISTS title VARCHAR;
