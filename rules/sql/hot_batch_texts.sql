-- group_signal hot_issue, step 3c: the texts of the cases of hot_batch, as hot_doc_texts.sql
-- reads them (op 0: not counted again).
SELECT b.ck, 0 AS op, c.content
FROM {{.hot_batch}} b JOIN cases c ON c.rowid = b.ck
WHERE c.content IS NOT NULL
