package rules

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// A rule's display name (Rule.DisplayName) is what every output and page a person reads shows
// instead of its id; ids stay in machine outputs (watchlist.parquet, summary.json's keys, the
// CSV's rule_ids column). Each language's name is, in order:
//
//   - the config's name.zh or name.en;
//   - the description, for zh always and for en when it has no Chinese in it;
//   - the catalogue's name for the rule's kind and check or signal
//     (rules.default_name.<kind>.<check or signal>).
//
// Names must differ within a language: a name the config sets may not repeat another rule's,
// and a default that would gets the rule's id after it.

// MaxNameRunes bounds a configured name: a label, not a sentence.
const MaxNameRunes = 40

// checkName reports the problems of a configured name.
func checkName(at string, n configs.RuleName) []error {
	var errs []error
	for _, f := range []struct{ key, name string }{{"zh", n.ZH}, {"en", n.EN}} {
		if f.name == "" {
			continue
		}
		if strings.TrimSpace(f.name) != f.name || strings.IndexFunc(f.name, unicode.IsControl) >= 0 || utf8.RuneCountInString(f.name) > MaxNameRunes {
			errs = append(errs, configs.Fieldf(at+".name."+f.key, "rules.name", MaxNameRunes, f.name))
		}
	}
	return errs
}

// hasHan reports whether s has a Chinese character.
func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// variant is a rule's check or signal, "" when it has neither.
func variant(s Spec) string {
	for _, k := range []string{"check", "signal"} {
		if v, ok := s.Params[k].(string); ok {
			return v
		}
	}
	return ""
}

// defaultName is the name lang gives a rule whose config sets none: the description (in en only
// when it has no Chinese), else the catalogue's name for its kind and variant.
func defaultName(s Spec, lang string) string {
	if d := strings.TrimSpace(s.Description); d != "" && (lang == "zh" || !hasHan(d)) {
		return d
	}
	if key := "rules.default_name." + s.Kind + "." + variant(s); i18n.Has(key) {
		return i18n.T(lang, key)
	}
	return i18n.T(lang, "rules.default_name."+s.Kind)
}

// nameRules gives every rule its display name and reports names the config repeats within a
// language (specs[i] is rs[i]'s spec, at its path at[i]).
func nameRules(rs []*Rule, at []string) []error {
	var errs []error
	for _, lang := range i18n.Languages {
		set := map[string]int{} // configured name → rule index
		for i, r := range rs {
			n := r.Spec.Name.In(lang)
			if n == "" {
				continue
			}
			if j, dup := set[n]; dup {
				errs = append(errs, configs.Fieldf(at[i]+".name."+lang, "rules.name_twice", n, at[j]))
			}
			set[n] = i
		}
		taken := map[string]bool{}
		for n := range set {
			taken[n] = true
		}
		for _, r := range rs {
			n := r.Spec.Name.In(lang)
			if n == "" {
				n = defaultName(r.Spec, lang)
				if taken[n] {
					n = i18n.T(lang, "rules.name_with_id", n, r.ID)
				}
				taken[n] = true
			}
			r.setName(lang, n)
		}
	}
	return errs
}

func (r *Rule) setName(lang, n string) {
	switch lang {
	case "en":
		r.DisplayName.EN = n
	case "zh":
		r.DisplayName.ZH = n
	default:
		panic(fmt.Sprintf("rules: no display name field for language %q", lang))
	}
}
