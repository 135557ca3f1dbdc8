-- group_signal hot_issue, step 3d: the document frequencies counted ($docs texts, $df: see
-- hot_doc_tables.sql) and whether every text was counted again ($all), until the run stores
-- them (hot_doc_store.sql).
CREATE OR REPLACE TEMP TABLE {{.hot_doc_next}} AS
SELECT CAST($docs AS BIGINT) AS docs, CAST($df AS BLOB) AS df, CAST($all AS BOOLEAN) AS all_texts
