-- group_signal hot_issue's document frequencies, stored for the next run in the run's own
-- transaction (rules.StoreKept; see hot_doc_tables.sql): the keys of the texts counted,
-- replaced when every text was counted again (all) and otherwise with those read added or taken
-- out; and the counts.
DELETE FROM hot_doc_texts
{{- if not .all}}
WHERE text_key IN (SELECT text_key FROM {{.hot_doc_read}} WHERE op = -1)
{{- end}};

INSERT INTO hot_doc_texts
SELECT text_key FROM {{.hot_doc_read}} WHERE op = 1;

DELETE FROM hot_doc_freq;

INSERT INTO hot_doc_freq
SELECT docs, df FROM {{.hot_doc_next}};
