package rules

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/earlywarn/earlywarn/data"
)

// Signals of a group_signal rule.
const (
	SignalHeadCount = "head_count"     // one contact of MinPeople or more people
	SignalWave      = "wave"           // MinComplainants distinct people about one group within WindowDays
	SignalCopied    = "copied_letters" // MinComplainants distinct people sending the same text
)

var groupSignals = []string{SignalHeadCount, SignalWave, SignalCopied, SignalBaseline}

// GroupByFields are the case fields a wave may be grouped by.
var GroupByFields = []string{"township", "village", "category", "target_org", "responsible_unit"}

// HeadCountParams configure signal head_count.
type HeadCountParams struct {
	Signal       string `mapstructure:"signal"`
	MinPeople    int    `mapstructure:"min_people"`
	LookbackDays int    `mapstructure:"lookback_days"`
	SkipResolved bool   `mapstructure:"skip_resolved"`
}

// WaveParams configure signal wave: contacts from at least MinComplainants distinct people on
// cases that share every GroupBy field, within some window of WindowDays days.
type WaveParams struct {
	Signal          string   `mapstructure:"signal"`
	GroupBy         []string `mapstructure:"group_by"`
	WindowDays      int      `mapstructure:"window_days"`
	MinComplainants int      `mapstructure:"min_complainants"`
	LookbackDays    int      `mapstructure:"lookback_days"`
	SkipResolved    bool     `mapstructure:"skip_resolved"`
}

// CopiedParams configure signal copied_letters: cases from at least MinComplainants distinct
// complainants whose contents are equal once reduced to their letters (digits, punctuation and
// spaces dropped, lower-cased), received with gaps of at most WindowDays days.
type CopiedParams struct {
	Signal          string   `mapstructure:"signal"`
	Channels        []string `mapstructure:"channels"`
	MinComplainants int      `mapstructure:"min_complainants"`
	MinChars        int      `mapstructure:"min_chars"`
	WindowDays      int      `mapstructure:"window_days"`
	LookbackDays    int      `mapstructure:"lookback_days"`
	SkipResolved    bool     `mapstructure:"skip_resolved"`
	// Similarity 1 asks for equal texts (compared in SQL); below 1, for texts whose normalised
	// character 3-grams have at least this Jaccard similarity (MinHash in Go, see copied.go).
	Similarity float64 `mapstructure:"similarity"`
}

var (
	headCountFacts = []string{"people", "min_people", "contacts", "first_date", "last_date", "stage"}
	waveFacts      = []string{"complainants", "contacts", "cases", "window_days", "min_complainants", "from", "to", "group"}
	copiedFacts    = []string{"complainants", "letters", "min_complainants", "from", "to", "township", "category"}
)

func compileGroup(at string, params map[string]any) (compiled, error) {
	signal, _ := params["signal"].(string)
	switch signal {
	case SignalHeadCount:
		return compileHeadCount(at, params)
	case SignalWave:
		return compileWave(at, params)
	case SignalCopied:
		return compileCopied(at, params)
	case SignalBaseline:
		return compileBaseline(at, params)
	}
	return compiled{}, &FieldError{Key: at + ".signal", Msg: fmt.Sprintf("%v is not a group signal; use one of %s", params["signal"], strings.Join(groupSignals, ", "))}
}

func compileHeadCount(at string, params map[string]any) (compiled, error) {
	p := HeadCountParams{MinPeople: 5, LookbackDays: 365, SkipResolved: true}
	if err := decodeParams(at, params, &p); err != nil {
		return compiled{}, err
	}
	if p.MinPeople < 2 {
		return compiled{}, &FieldError{Key: at + ".min_people", Msg: fmt.Sprintf("must be at least 2, got %d", p.MinPeople)}
	}
	if err := checkDays(at+".lookback_days", p.LookbackDays); err != nil {
		return compiled{}, err
	}
	stmt := fmt.Sprintf(`WITH k AS (
  SELECT contact_id, case_id, contact_date, head_count
  FROM contacts
  WHERE case_id IS NOT NULL AND head_count >= $min_people
    AND contact_date <= CAST($as_of AS DATE)
    AND contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
)
SELECT 'case:' || k.case_id AS matter_id, 'case' AS matter_kind,
       [k.case_id] AS case_ids,
       list_sort(list(k.contact_id)) AS contact_ids,
       min(k.contact_date) AS first_flagged,
       max(k.head_count) / $min_people AS strength,
       json_object('people', max(k.head_count), 'min_people', $min_people, 'contacts', count(*),
                   'first_date', min(k.contact_date), 'last_date', max(k.contact_date),
                   'stage', any_value(s.stage))::VARCHAR AS facts
FROM k JOIN %s s USING (case_id)
WHERE NOT ($skip_resolved AND s.resolved)
GROUP BY k.case_id`, StateTable)
	return compiled{q: query{sql: stmt, args: []sql.NamedArg{
		sql.Named("min_people", p.MinPeople),
		sql.Named("lookback_days", p.LookbackDays),
		sql.Named("skip_resolved", p.SkipResolved),
	}}, facts: headCountFacts, reason: headCountReason}, nil
}

func compileWave(at string, params map[string]any) (compiled, error) {
	p := WaveParams{GroupBy: []string{"township", "category", "target_org"}, WindowDays: 5,
		MinComplainants: 6, LookbackDays: 365, SkipResolved: true}
	if err := decodeParams(at, params, &p); err != nil {
		return compiled{}, err
	}
	if len(p.GroupBy) == 0 {
		return compiled{}, &FieldError{Key: at + ".group_by", Msg: "name at least one field: " + strings.Join(GroupByFields, ", ")}
	}
	for i, f := range p.GroupBy {
		if !slices.Contains(GroupByFields, f) {
			return compiled{}, &FieldError{Key: fmt.Sprintf("%s.group_by[%d]", at, i), Msg: fmt.Sprintf("%q is not a case field a wave can be grouped by; use %s", f, strings.Join(GroupByFields, ", "))}
		}
		if slices.Index(p.GroupBy, f) != i {
			return compiled{}, &FieldError{Key: fmt.Sprintf("%s.group_by[%d]", at, i), Msg: fmt.Sprintf("%q is listed twice", f)}
		}
	}
	if p.MinComplainants < 2 {
		return compiled{}, &FieldError{Key: at + ".min_complainants", Msg: fmt.Sprintf("must be at least 2, got %d", p.MinComplainants)}
	}
	if err := firstErr(checkDays(at+".window_days", p.WindowDays), checkDays(at+".lookback_days", p.LookbackDays)); err != nil {
		return compiled{}, err
	}
	cols := make([]string, len(p.GroupBy))
	for i, f := range p.GroupBy {
		cols[i] = Ident(f)
	}
	keys := strings.Join(cols, ", ")
	notNull := strings.Join(cols, " IS NOT NULL AND ") + " IS NOT NULL"
	groupText := strings.Join(withPrefix("s.", cols), " || ' / ' || ")
	anyValues := make([]string, len(cols))
	groupCols := make([]string, len(cols))
	for i, c := range cols {
		anyValues[i] = fmt.Sprintf("any_value(s.%s) AS group_%d", c, i)
		groupCols[i] = fmt.Sprintf("ec.group_%d", i)
	}
	// Distinct people per sliding window, in linear time: each person's contact day d in a group
	// counts towards the windows ending on days d .. d+window-1, cut short where the person's
	// next contact day takes over, so a person counts once per window. Summing +1/-1 at the
	// ends of these intervals gives, per group, segments of days with a constant count.
	stmt := fmt.Sprintf(`WITH groups AS (
  SELECT %[1]s, row_number() OVER () AS g
  FROM (SELECT DISTINCT %[1]s FROM %[2]s WHERE %[3]s)
),
cg AS (
  SELECT s.ck, groups.g FROM %[2]s s JOIN groups USING (%[1]s)
),
kg AS MATERIALIZED (
  SELECT cg.g, k.pk, k.contact_date
  FROM %[6]s k JOIN cg USING (ck)
  WHERE k.contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) - CAST($window_days AS INTEGER)
),
blocks AS (
  SELECT g, b, count(*) AS n
  FROM (SELECT DISTINCT g, (contact_date - DATE '2000-01-01') // CAST($window_days AS INTEGER) AS b, pk FROM kg)
  GROUP BY g, b
),
hot AS (
  -- A window of window_days days lies within two consecutive blocks of that length, so a
  -- window holding min_complainants people lies in a pair of blocks that hold them together.
  -- Days outside such pairs cannot be in a triggering window, and dropping them changes no
  -- count that reaches the threshold (a person's interval only grows to cover days no
  -- triggering window holds).
  SELECT DISTINCT b1.g, unnest([b1.b, b1.b + 1]) AS b
  FROM blocks b1 LEFT JOIN blocks b2 ON b2.g = b1.g AND b2.b = b1.b + 1
  WHERE b1.n + coalesce(b2.n, 0) >= $min_complainants
),
iv AS (
  -- A person with several contacts on one day gets empty intervals for all but one of them.
  SELECT g, contact_date AS s,
         least(contact_date + CAST($window_days AS INTEGER) - 1,
               lead(contact_date) OVER (PARTITION BY g, pk ORDER BY contact_date) - 1) AS e
  FROM kg SEMI JOIN hot ON hot.g = kg.g AND hot.b = (kg.contact_date - DATE '2000-01-01') // CAST($window_days AS INTEGER)
),
steps AS (
  SELECT g, t, sum(delta) AS delta
  FROM (SELECT g, s AS t, 1 AS delta FROM iv UNION ALL SELECT g, e + 1, -1 FROM iv)
  GROUP BY g, t
),
counts AS (
  SELECT g, t AS seg_from,
         lead(t) OVER (PARTITION BY g ORDER BY t) - 1 AS seg_to,
         sum(delta) OVER (PARTITION BY g ORDER BY t ROWS UNBOUNDED PRECEDING) AS n
  FROM steps
),
seg AS (
  SELECT g, greatest(seg_from, CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) + 1) AS seg_from,
         least(seg_to, CAST($as_of AS DATE)) AS seg_to, n
  FROM counts
  WHERE n >= $min_complainants
    AND seg_to > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
    AND seg_from <= CAST($as_of AS DATE)
),
isl AS (
  SELECT *, sum(CASE WHEN prev_to IS NULL OR seg_from - prev_to >= $window_days THEN 1 ELSE 0 END)
              OVER (PARTITION BY g ORDER BY seg_from) AS episode
  FROM (SELECT *, lag(seg_to) OVER (PARTITION BY g ORDER BY seg_from) AS prev_to FROM seg)
),
e AS (
  SELECT g, episode, min(seg_from) AS first_flagged, max(seg_to) AS last_d, max(n) AS peak,
         min(seg_from) - CAST($window_days AS INTEGER) + 1 AS span_from
  FROM isl GROUP BY g, episode
),
k AS (
  -- The contacts of each episode; only the flagged groups' cases are read.
  SELECT e.g, e.episode, c.ck, c.contact_id, c.pk, c.contact_date
  FROM e JOIN cg ON cg.g = e.g
  JOIN %[6]s c ON c.ck = cg.ck AND c.contact_date BETWEEN e.span_from AND e.last_d
),
ek AS (
  SELECT g, episode, list_sort(list(contact_id)) AS contact_ids, count(*) AS contacts,
         min(contact_date) AS from_d, max(contact_date) AS to_d
  FROM k GROUP BY g, episode
),
ep AS (
  SELECT g, episode, count(*) AS complainants
  FROM (SELECT DISTINCT g, episode, pk FROM k WHERE pk IS NOT NULL)
  GROUP BY g, episode
),
ec AS (
  SELECT x.g, x.episode, list_sort(list(DISTINCT s.case_id)) AS case_ids, count(DISTINCT s.case_id) AS cases,
         bool_and(s.resolved) AS resolved, %[4]s, any_value(%[5]s) AS group_text
  FROM (SELECT DISTINCT g, episode, ck FROM k) x JOIN %[2]s s USING (ck)
  GROUP BY x.g, x.episode
)
SELECT 'group:' || md5(concat_ws(chr(31), 'wave', %[7]s, ek.from_d::VARCHAR))[1:16] AS matter_id,
       'cluster' AS matter_kind,
       ec.case_ids,
       ek.contact_ids,
       e.first_flagged,
       e.peak / $min_complainants AS strength,
       json_object('complainants', coalesce(ep.complainants, 0), 'contacts', ek.contacts,
                   'cases', ec.cases,
                   'window_days', $window_days, 'min_complainants', $min_complainants,
                   'from', ek.from_d, 'to', ek.to_d,
                   'group', ec.group_text)::VARCHAR AS facts
FROM e JOIN ek USING (g, episode) JOIN ec USING (g, episode) LEFT JOIN ep USING (g, episode)
WHERE NOT ($skip_resolved AND ec.resolved)`,
		keys, StateTable, notNull, strings.Join(anyValues, ", "), groupText, ContactsTable, strings.Join(groupCols, ", "))
	return compiled{q: query{sql: stmt, args: []sql.NamedArg{
		sql.Named("window_days", p.WindowDays),
		sql.Named("min_complainants", p.MinComplainants),
		sql.Named("lookback_days", p.LookbackDays),
		sql.Named("skip_resolved", p.SkipResolved),
	}}, facts: waveFacts, reason: waveReason}, nil
}

func compileCopied(at string, params map[string]any) (compiled, error) {
	p := CopiedParams{Channels: []string{"letter", "online"}, MinComplainants: 3, MinChars: 20,
		WindowDays: 30, LookbackDays: 365, SkipResolved: true, Similarity: 1}
	if err := decodeParams(at, params, &p); err != nil {
		return compiled{}, err
	}
	if len(p.Channels) == 0 {
		return compiled{}, &FieldError{Key: at + ".channels", Msg: "name at least one channel"}
	}
	for i, ch := range p.Channels {
		if !isCode(data.Channels, ch) {
			return compiled{}, &FieldError{Key: fmt.Sprintf("%s.channels[%d]", at, i), Msg: fmt.Sprintf("%q is not a channel; use %s", ch, codeList(data.Channels))}
		}
	}
	switch {
	case p.MinComplainants < 2:
		return compiled{}, &FieldError{Key: at + ".min_complainants", Msg: fmt.Sprintf("must be at least 2, got %d", p.MinComplainants)}
	case p.MinChars < 1:
		return compiled{}, &FieldError{Key: at + ".min_chars", Msg: fmt.Sprintf("must be at least 1, got %d", p.MinChars)}
	}
	if err := firstErr(checkDays(at+".window_days", p.WindowDays), checkDays(at+".lookback_days", p.LookbackDays)); err != nil {
		return compiled{}, err
	}
	if !(p.Similarity > 0 && p.Similarity <= 1) {
		return compiled{}, &FieldError{Key: at + ".similarity", Msg: fmt.Sprintf("must be above 0 and at most 1 (1: equal texts), got %v", p.Similarity)}
	}
	if p.Similarity < 1 {
		return newCopiedSimilar(at, p)
	}
	stmt := fmt.Sprintf(`WITH t AS (
  SELECT s.ck, s.case_id, s.received_date, s.complainant_id, s.township, s.category, s.resolved,
         regexp_replace(c.content, '[^\p{L}]+', '', 'g') AS letters
  FROM cases c JOIN %[1]s s ON s.ck = c.rowid
  WHERE c.content IS NOT NULL
    AND list_contains($channels, c.channel)
    AND s.received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
),
c AS (
  SELECT * EXCLUDE (letters), md5(lower(letters)) AS h, length(letters) AS letters_len FROM t
),
g AS (
  SELECT *, sum(CASE WHEN prev IS NULL OR received_date - prev > $window_days THEN 1 ELSE 0 END)
              OVER (PARTITION BY h ORDER BY received_date, case_id) AS episode
  FROM (SELECT *, lag(received_date) OVER (PARTITION BY h ORDER BY received_date, case_id) AS prev
        FROM c WHERE letters_len >= $min_chars
          AND h IN (SELECT h FROM c GROUP BY h HAVING count(DISTINCT complainant_id) >= $min_complainants))
),
firsts AS (
  SELECT h, episode, complainant_id, min(received_date) AS d FROM g GROUP BY ALL
),
cl AS (
  SELECT h, episode, list_sort(list(d))[$min_complainants] AS first_flagged, count(*) AS complainants
  FROM firsts GROUP BY ALL
  HAVING count(*) >= $min_complainants
),
members AS (
  SELECT g.* FROM g SEMI JOIN cl USING (h, episode)
),
mc AS (
  SELECT m.h, m.episode, list_sort(list(k.contact_id)) AS contact_ids
  FROM members m JOIN %[2]s k USING (ck)
  GROUP BY ALL
)
SELECT 'group:' || md5(concat_ws(chr(31), 'copied', m.h, min(m.received_date)::VARCHAR))[1:16] AS matter_id,
       'cluster' AS matter_kind,
       list_sort(list(m.case_id)) AS case_ids,
       coalesce(any_value(mc.contact_ids), []::VARCHAR[]) AS contact_ids,
       cl.first_flagged,
       cl.complainants / $min_complainants AS strength,
       json_object('complainants', cl.complainants, 'letters', count(*), 'min_complainants', $min_complainants,
                   'from', min(m.received_date), 'to', max(m.received_date),
                   'township', min(m.township), 'category', min(m.category))::VARCHAR AS facts
FROM members m JOIN cl USING (h, episode) LEFT JOIN mc USING (h, episode)
GROUP BY m.h, m.episode, cl.first_flagged, cl.complainants
HAVING NOT ($skip_resolved AND bool_and(m.resolved))`, StateTable, ContactsTable)
	return compiled{q: query{sql: stmt, args: copiedArgs(p)}, facts: copiedFacts, reason: copiedReason}, nil
}

func checkDays(key string, days int) error {
	if days < 1 {
		return &FieldError{Key: key, Msg: fmt.Sprintf("must be at least 1 day, got %d", days)}
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func withPrefix(prefix string, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = prefix + c
	}
	return out
}

func isCode(codes []data.Code, code string) bool {
	return slices.ContainsFunc(codes, func(c data.Code) bool { return c.Code == code })
}

func codeList(codes []data.Code) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = c.Code
	}
	return strings.Join(names, ", ")
}
