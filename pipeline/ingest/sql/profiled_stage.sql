-- The mapped rows of a file read through a profile, as they arrive from Go.
CREATE OR REPLACE TEMP TABLE {{.stage_src}} AS SELECT * FROM {{.src_cases}}
