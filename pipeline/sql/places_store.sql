-- Place extraction, step 4: the new mentions replace the cases' old ones (of an earlier text or
-- extraction).
DELETE FROM case_places WHERE case_id IN (SELECT case_id FROM {{.places_todo}});
INSERT INTO case_places (case_id, content_hash, ord, key, name, kind, context, in_subject, written)
SELECT t.case_id, t.content_hash, f.ord, f.key, f.name, f.kind, f.context, f.in_subject, f.written
FROM {{.places_found}} f JOIN {{.places_todo}} t USING (r);
DROP TABLE {{.places_todo}};
DROP TABLE {{.places_found}};
