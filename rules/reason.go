package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Languages reasons are written in.
var Languages = i18n.Languages

type reasonTemplate struct {
	tmpl *template.Template
}

// compileReasons parses the rule's templates (or the kind's defaults) and executes each once on
// sample facts, so a template that names an unknown fact fails at validation, not mid-run.
func (r *Rule) compileReasons(at string, facts []string, defaults Reason) error {
	r.reason = map[string]*reasonTemplate{}
	sample := sampleFacts(facts)
	for _, lang := range Languages {
		text := r.Spec.Reason.In(lang)
		if text == "" {
			text = defaults.In(lang)
		}
		t, err := template.New(r.ID + "." + lang).Option("missingkey=error").Funcs(labelFuncs(lang)).Parse(text)
		if err != nil {
			return configs.Fieldf(at+"."+lang, "rules.template", err.Error())
		}
		if err := t.Execute(&bytes.Buffer{}, sample); err != nil {
			return configs.Fieldf(at+"."+lang, "rules.template_fact", fmt.Sprint(trimTemplateErr(err)), strings.Join(facts, ", "))
		}
		r.reason[lang] = &reasonTemplate{tmpl: t}
	}
	return nil
}

// Reason renders the rule's reason in lang from a flag's facts (the JSON object its query
// returned).
func (r *Rule) Reason(lang, factsJSON string) (string, error) {
	t, ok := r.reason[lang]
	if !ok {
		return "", fmt.Errorf("no reason template for language %q", lang)
	}
	facts, err := decodeFacts(factsJSON)
	if err != nil {
		return "", fmt.Errorf("rule %s: facts: %w", r.ID, err)
	}
	return r.render(t, facts)
}

// Reasons renders the rule's reason in each of Languages, in that order, decoding the facts
// once.
func (r *Rule) Reasons(factsJSON string) ([]string, error) {
	facts, err := decodeFacts(factsJSON)
	if err != nil {
		return nil, fmt.Errorf("rule %s: facts: %w", r.ID, err)
	}
	out := make([]string, len(Languages))
	for i, lang := range Languages {
		if out[i], err = r.render(r.reason[lang], facts); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r *Rule) render(t *reasonTemplate, facts map[string]any) (string, error) {
	var b bytes.Buffer
	if err := t.tmpl.Execute(&b, facts); err != nil {
		return "", fmt.Errorf("rule %s: reason: %w", r.ID, err)
	}
	return b.String(), nil
}

// decodeFacts decodes a facts object, turning whole numbers into int64 so templates can
// compare them with integer literals.
func decodeFacts(s string) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	for k, v := range m {
		switch n := v.(type) {
		case json.Number:
			if i, err := n.Int64(); err == nil {
				m[k] = i
			} else if f, err := n.Float64(); err == nil {
				m[k] = f
			}
		case nil:
			m[k] = ""
		}
	}
	return m, nil
}

func sampleFacts(facts []string) map[string]any {
	m := make(map[string]any, len(facts))
	for _, f := range facts {
		switch f {
		case "stage":
			m[f] = StageHandle
		case "top_level", "handling_level":
			m[f] = "city"
		case "last_progress_type", "answer_type":
			m[f] = "accepted"
		case "group", "township", "category":
			m[f] = "x"
		case "first_contact", "last_contact", "first_date", "last_date", "from", "to", "received", "deadline", "last_progress",
			"answered_on", "recent_first_contact", "peak_from", "peak_to":
			m[f] = "2025-01-01"
		default:
			m[f] = int64(1)
		}
	}
	return m
}

func trimTemplateErr(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

// Label returns the name of a code in lang: a stage or state of a case (label.stage.*), else a
// level, channel or event type, else the code itself.
func Label(lang, code string) string {
	if key := "label.stage." + code; i18n.Has(key) {
		return i18n.T(lang, key)
	}
	for _, list := range [][]data.Code{data.Levels, data.Channels, data.EventTypes} {
		if i := slices.IndexFunc(list, func(c data.Code) bool { return c.Code == code }); i >= 0 {
			return list[i].Label(lang)
		}
	}
	return code
}

// labelFuncs are the functions reason templates may call, writing in lang:
//
//	label CODE      the name of a stage, level, channel or event type (Label)
//	date DAY        a day: 2025年1月8日, 8 Jan 2025 (FormatDate)
//	period FROM TO  the days from FROM to TO: 2025年1月8日至2月22日, 8 Jan to 22 Feb 2025 (FormatPeriod)
//	period FROM TO DAY  the same without the year when DAY (of a period written just before) is
//	                in the year of both: 1月8日至2月22日, 8 Jan to 22 Feb
//	unnamed FACTS KEY  after a count of people (the fact KEY), how many of them are records that
//	                name no complainant (the fact "unnamed"), each counted as one: （其中3人未记录
//	                信访人，各按一人计）, （均未记录信访人，30件次各按一人计）; "" when none or the
//	                facts do not say
//
// date and period take the facts' dates (YYYY-MM-DD) and leave anything else as it is.
func labelFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		"label": func(code any) string { return Label(lang, fmt.Sprint(code)) },
		"date": func(day any) string {
			if d, ok := factDay(day); ok {
				return FormatDate(lang, d)
			}
			return fmt.Sprint(day)
		},
		"unnamed": func(facts map[string]any, key string) string {
			n, _ := facts["unnamed"].(int64)
			of, _ := facts[key].(int64)
			switch {
			case n <= 0:
				return ""
			case n >= of:
				return i18n.T(lang, "reason.unnamed_all", n)
			}
			return i18n.T(lang, "reason.unnamed_some", n)
		},
		"period": func(from, to any, within ...any) string {
			f, ok1 := factDay(from)
			t, ok2 := factDay(to)
			if !ok1 || !ok2 {
				return i18n.T(lang, "reason.date.period", fmt.Sprint(from), fmt.Sprint(to))
			}
			if len(within) > 0 {
				if w, ok := factDay(within[0]); ok && w.Year() == f.Year() && w.Year() == t.Year() {
					return formatPeriodInYear(lang, f, t)
				}
			}
			return FormatPeriod(lang, f, t)
		},
	}
}

// factDay reads a fact's date: a time.Time or text YYYY-MM-DD.
func factDay(v any) (time.Time, bool) {
	switch d := v.(type) {
	case time.Time:
		return d, true
	case string:
		t, err := time.Parse(time.DateOnly, d)
		return t, err == nil
	}
	return time.Time{}, false
}

// FormatDate writes a day as reasons do: 2025年1月8日 (zh), 8 Jan 2025 (en).
func FormatDate(lang string, d time.Time) string {
	return i18n.T(lang, "reason.date.day", d.Year(), monthName(lang, d.Month()), d.Day())
}

// FormatPeriod writes the days from..to as reasons do, naming a year or month the two share
// once: 2025年1月8日至2月22日, 2025年1月8日至22日, 2024年12月30日至2025年1月2日 (zh); 8 Jan to 22
// Feb 2025, 8 to 22 Jan 2025, 30 Dec 2024 to 2 Jan 2025 (en). One day is written as FormatDate
// writes it.
func FormatPeriod(lang string, from, to time.Time) string {
	y1, m1, d1 := from.Date()
	y2, m2, d2 := to.Date()
	switch {
	case y1 == y2 && m1 == m2 && d1 == d2:
		return FormatDate(lang, from)
	case y1 == y2 && m1 == m2:
		return i18n.T(lang, "reason.date.period_month", y1, monthName(lang, m1), d1, d2)
	case y1 == y2:
		return i18n.T(lang, "reason.date.period_year", y1, monthName(lang, m1), d1, monthName(lang, m2), d2)
	}
	return i18n.T(lang, "reason.date.period", FormatDate(lang, from), FormatDate(lang, to))
}

// formatPeriodInYear writes from..to, of one year, without the year.
func formatPeriodInYear(lang string, from, to time.Time) string {
	_, m1, d1 := from.Date()
	_, m2, d2 := to.Date()
	switch {
	case m1 == m2 && d1 == d2:
		return i18n.T(lang, "reason.date.day_in_year", monthName(lang, m1), d1)
	case m1 == m2:
		return i18n.T(lang, "reason.date.period_month_in_year", monthName(lang, m1), d1, d2)
	}
	return i18n.T(lang, "reason.date.period_in_year", monthName(lang, m1), d1, monthName(lang, m2), d2)
}

func monthName(lang string, m time.Month) string {
	return i18n.T(lang, "reason.date.month."+strconv.Itoa(int(m)))
}
