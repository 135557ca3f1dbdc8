{{define "latest_items"}}SELECT w.matter_id, arg_max(w.tier, r.finished_at) AS tier, arg_max(w.township, r.finished_at) AS township,
         arg_max(w.category, r.finished_at) AS category, arg_max(w.responsible_unit, r.finished_at) AS unit,
         arg_max(w.title, r.finished_at) AS title
  FROM {{.watchlist}} w JOIN {{.runs}} r USING (run_id) GROUP BY w.matter_id{{end}}
