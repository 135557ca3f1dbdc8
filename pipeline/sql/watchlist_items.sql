-- run_items: the run's items, one per matter that has a live flag, as the stages after
-- buildWatchlist read them: run_merged's evidence lists beside run_item_facts' places, tier,
-- reasons and events.
CREATE OR REPLACE TEMP TABLE {{.run_items}} AS
SELECT f.matter_id, f.matter_kind, f.tier, f.score, f.rules, f.families, f.reason_zh, f.reason_en,
       f.responsible_unit, f.township, f.category, m.case_ids, m.contact_ids, f.event_ids,
       f.first_flagged, f.as_of, m.merged_ids, f.last_evidence, m.lead_case_ids
FROM {{.run_item_facts}} f JOIN {{.run_merged}} m USING (matter_id);

DROP TABLE {{.run_item_facts}};
DROP TABLE {{.run_merged}};
