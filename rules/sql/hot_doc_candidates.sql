-- group_signal hot_issue, step 3c: the cases of the places that may hold a hot issue
-- (hot_candidates.sql) are read too, for their places' topics: those hot_doc_read does not hold
-- yet with op 0.
INSERT INTO {{.hot_doc_read}}
SELECT k.ck, k.text_key, 0 AS op
FROM {{.hot_candidates}} c JOIN {{.hot_doc_keys}} k USING (ck)
WHERE NOT EXISTS (SELECT 1 FROM {{.hot_doc_read}} d WHERE d.ck = c.ck)
