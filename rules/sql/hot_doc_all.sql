-- group_signal hot_issue, step 3b (every text counted): the texts to read are those of the
-- period, each added to the document frequencies (op 1).
CREATE OR REPLACE TEMP TABLE {{.hot_doc_read}} AS
SELECT ck, text_key, 1 AS op FROM {{.hot_doc_keys}} WHERE in_period
