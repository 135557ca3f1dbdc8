{{define "latest_items"}}SELECT w.matter_id, arg_max(w.tier, r.finished_at) AS tier, arg_max(w.township, r.finished_at) AS township,
         arg_max(w.category, r.finished_at) AS category, arg_max(w.responsible_unit, r.finished_at) AS unit,
         arg_max(w.title, r.finished_at) AS title
  FROM {{.watchlist}} w JOIN {{.runs}} r USING (run_id)
  -- Only the matters someone owns or owned, which the ledger and the reminders list: every
  -- matter's items of every run (1.35 M matters over several nights at 10^8) ran the
  -- publishing out of memory.
  WHERE w.matter_id IN (SELECT matter_id FROM {{.reviewed}} WHERE owner IS NOT NULL)
  GROUP BY w.matter_id{{end}}
