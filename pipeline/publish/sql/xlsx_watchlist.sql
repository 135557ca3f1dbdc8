-- The workbook's watchlist sheet: the run's first $2 matters by rank, with reasons and change
-- notes in the workbook's language (rule ids joined by ';') and each matter's title, days past
-- its deadline (NULL when it has none, or the data no deadline that means anything), review state
-- and owner.
SELECT w.rank, w.matter_id, coalesce(w.title, ''), w.matter_kind, w.tier, coalesce(w.state, ''), w.score, array_to_string(w.rules, ';'),
  coalesce(w.{{.reason}}, ''), coalesce(w.{{.state_note}}, ''), coalesce(w.responsible_unit, ''), coalesce(w.township, ''),
  coalesce(w.category, ''), w.first_flagged, w.days_overdue, coalesce(m.state, 'open'), coalesce(m.owner, ''),
  array_to_string(w.case_ids, ';'), array_to_string(w.contact_ids, ';'), array_to_string(w.event_ids, ';')
FROM watchlist w LEFT JOIN {{.reviewed}} m USING (matter_id)
WHERE w.run_id = $1 ORDER BY w.rank LIMIT $2
