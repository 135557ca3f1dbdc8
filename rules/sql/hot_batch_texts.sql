-- group_signal hot_issue, step 3c: the texts of the cases of hot_batch.
SELECT b.ck, c.content
FROM {{.hot_batch}} b JOIN cases c ON c.rowid = b.ck
WHERE c.content IS NOT NULL
