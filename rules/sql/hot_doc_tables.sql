-- group_signal hot_issue's document frequencies, kept between runs when the caller allows it
-- (rules.KeepCounts): hot_doc_texts, the text key of every case whose text they count
-- (hot_doc_keys.sql); hot_doc_freq, one row: how many texts (docs) and the count of each hashed
-- n-gram (df: topicBuckets little-endian 32-bit integers). The two always agree: a run stores
-- both in its own transaction, or neither.
CREATE TABLE IF NOT EXISTS hot_doc_texts (text_key UBIGINT);
CREATE TABLE IF NOT EXISTS hot_doc_freq (docs BIGINT, df BLOB);
