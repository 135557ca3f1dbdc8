{{define "matter_columns"}}rank, matter_id, matter_kind, tier, score, array_to_string(rules, ';'),
  coalesce(township, ''), coalesce(category, ''), coalesce(responsible_unit, ''), coalesce({{.reason}}, ''),
  coalesce(state, ''), coalesce({{.state_note}}, ''), coalesce(title, ''){{end}}
