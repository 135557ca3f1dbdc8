{{define "item_columns"}}w.rank, w.matter_id, w.matter_kind, w.tier, w.score, array_to_string(w.rules, ';'),
  coalesce(w.township, ''), coalesce(w.category, ''), coalesce(w.responsible_unit, ''), coalesce(w.{{.reason}}, ''),
  strftime(w.first_flagged, '%Y-%m-%d'), coalesce(m.state, {{.state_open}}), coalesce(m.owner, ''),
  coalesce(strftime(m.due_date, '%Y-%m-%d'), ''), len(w.case_ids), len(w.contact_ids), len(w.event_ids),
  coalesce(w.state, ''), coalesce(w.{{.state_note}}, ''), coalesce(w.title, ''){{end}}
