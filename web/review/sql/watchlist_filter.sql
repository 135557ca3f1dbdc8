{{define "watchlist_filter"}}w.run_id = $1 AND ($2 = '' OR w.tier = $2) AND ($3 = '' OR w.township = $3) AND ($4 = '' OR w.category = $4)
  AND ($5 = '' OR list_contains(w.rules, $5)) AND ($6 = '' OR coalesce(m.state, {{.state_open}}) = $6)
  AND ($7 = '' OR w.state = $7)
  AND ($8 = '' OR m.owner = $8) AND ($9 = '' OR contains($9, chr(31) || w.matter_id || chr(31)))
  AND list_contains($10, coalesce(m.state, {{.state_open}})){{end}}
