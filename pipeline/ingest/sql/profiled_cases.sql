-- The cases of a profiled file.
INSERT INTO {{.cases}} ({{join ", " .case_cols}}) SELECT {{join ", " .case_cols}} FROM {{.stage_src}}
