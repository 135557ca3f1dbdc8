-- group_signal hot_issue, step 3b (the document frequencies kept from an earlier run): the texts
-- to read are those the kept counts lack, added (op 1): the period's keys they do not hold; and
-- those they hold and should not, taken out (op -1): each key they hold that is not the period's.
-- A key taken out that is no case's now (ck NULL: the case's text or places changed since, or it
-- is gone) cannot be read as it was counted: then every text is counted again (hot_doc_all.sql).
CREATE OR REPLACE TEMP TABLE {{.hot_doc_read}} AS
SELECT k.ck, k.text_key, 1 AS op
FROM {{.hot_doc_keys}} k
WHERE k.in_period AND k.text_key NOT IN (SELECT text_key FROM hot_doc_texts)
UNION ALL
SELECT k.ck, t.text_key, -1 AS op
FROM hot_doc_texts t LEFT JOIN {{.hot_doc_keys}} k USING (text_key)
WHERE k.in_period IS NOT TRUE
