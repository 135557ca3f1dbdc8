-- watchlist.csv's rows: the export table, every column as text, id lists joined by ';'; the
-- rules twice, the first shown by their names, the last (rule_ids) as they are.
SELECT rank::VARCHAR, matter_id, matter_kind, tier, state, printf('%.2f', score),
  array_to_string(rules, ';'), reason, state_note, responsible_unit, township, category,
  strftime(first_flagged, '%Y-%m-%d'), array_to_string(case_ids, ';'),
  array_to_string(contact_ids, ';'), array_to_string(event_ids, ';'), array_to_string(rules, ';')
FROM {{.export}} ORDER BY rank
