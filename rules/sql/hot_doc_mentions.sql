-- group_signal hot_issue, step 3c: the places named in the text of each case taken out of the
-- kept document frequencies (hot_doc_read's op -1), as hot_mention_rows.sql reads them for the
-- cases of the period: the names masked from its text when it was counted.
SELECT d.ck, p.key, p.name, p.kind, coalesce(p.context, '') AS context, p.in_subject, coalesce(p.written, '') AS written
FROM {{.hot_doc_read}} d JOIN {{.case_state}} s ON s.ck = d.ck JOIN case_places p ON p.case_id = s.case_id
WHERE d.op = -1 AND p.key IS NOT NULL
  AND NOT (list_contains($place_fields, 'village') AND coalesce(s.village, '') <> '')
  AND NOT (list_contains($place_fields, 'target_org') AND coalesce(s.target_org, '') <> '')
ORDER BY d.ck, p.ord
