-- The record stretches up to $as_of (record_stretches) become those the latest stored run
-- screened (screened_stretches), for the next run's rules by group (stretches_changed.sql).
DELETE FROM screened_stretches;

INSERT INTO screened_stretches SELECT s, e FROM {{template "record_stretches" .}};
