-- Whether any record is loaded already (a first load, into empty tables, replaces none).
SELECT EXISTS (FROM {{.cases}}) OR EXISTS (FROM {{.contacts}}) OR EXISTS (FROM {{.events}})
