-- merged_reasons: the reason of every matter of several flags in each language, composed by Go.
CREATE OR REPLACE TEMP TABLE {{.merged_reasons}} (matter_id VARCHAR, reason_zh VARCHAR, reason_en VARCHAR)
