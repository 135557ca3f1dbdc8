-- group_signal hot_issue's document frequencies, stored for the next run in the run's own
-- transaction (rules.StoreKept; see hot_doc_tables.sql): the texts counted, each case under its
-- text key, replaced when every text was counted again (all) and otherwise with those read
-- added or taken out; and the counts.
DELETE FROM hot_doc_texts
{{- if not .all}}
USING {{.hot_doc_read}} d
WHERE d.op = -1 AND d.case_id = hot_doc_texts.case_id AND d.text_key = hot_doc_texts.text_key
{{- end}};

INSERT INTO hot_doc_texts
SELECT case_id, text_key FROM {{.hot_doc_read}} WHERE op = 1;

DELETE FROM hot_doc_freq;

INSERT INTO hot_doc_freq
SELECT docs, df FROM {{.hot_doc_next}};
