-- flag_reasons: the reasons of one rule's flags in every language, appended by Go.
CREATE OR REPLACE TEMP TABLE {{.flag_reasons}} (matter_id VARCHAR, zh VARCHAR, en VARCHAR)
