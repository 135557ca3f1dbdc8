SELECT {{template "item_columns" .}}
FROM {{.watchlist}} w LEFT JOIN {{.reviewed}} m USING (matter_id) WHERE w.run_id = $1 AND w.matter_id = $2
