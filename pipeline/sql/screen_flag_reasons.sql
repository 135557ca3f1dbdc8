-- flag_reasons: the reasons of one rule's flags in every language: those carried from the
-- latest stored run (screen_flag_carried.sql) and those Go renders (appended).
CREATE OR REPLACE TEMP TABLE {{.flag_reasons}} (matter_id VARCHAR, zh VARCHAR, en VARCHAR)
