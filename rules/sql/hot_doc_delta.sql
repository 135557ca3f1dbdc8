-- group_signal hot_issue, step 3b (the document frequencies kept from an earlier run): the texts
-- to read are those the kept counts lack, added (op 1): the period's cases whose text key they
-- do not hold; and those they hold and should not, taken out (op -1): each case and key they
-- hold that is not in the period under that key. A case taken out whose text or places have
-- changed since (ck NULL: its key is no longer any case's) cannot be read as it was counted:
-- then every text is counted again (hot_doc_all.sql).
CREATE OR REPLACE TEMP TABLE {{.hot_doc_read}} AS
SELECT k.ck, k.case_id, k.text_key, 1 AS op
FROM {{.hot_doc_keys}} k
WHERE k.in_period AND NOT EXISTS (SELECT 1 FROM hot_doc_texts t WHERE t.case_id = k.case_id AND t.text_key = k.text_key)
UNION ALL
SELECT k.ck, t.case_id, t.text_key, -1 AS op
FROM hot_doc_texts t LEFT JOIN {{.hot_doc_keys}} k ON k.case_id = t.case_id AND k.text_key = t.text_key
WHERE k.in_period IS NOT TRUE
