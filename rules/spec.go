// Package rules holds earlywarn's screening rules: validation of each kind's params, compilation to
// SQL with bound parameters, the evidence they return and the reasons they give.
//
// A rule is data (id, kind, parameters, weight, reason template). Compile checks every rule and
// builds its SQL before any data is read; Screen runs the compiled rules against a DuckDB
// connection as of a date and writes one flag per (rule, matter) into the flags table.
package rules

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/go-viper/mapstructure/v2"

	"github.com/earlywarn/earlywarn/configs"
)

// Kinds of rule.
const (
	KindRepeat     = "repeat_visits"
	KindGroup      = "group_signal"
	KindStalled    = "stalled_case"
	KindEscalation = "escalation"
)

// Families a flag counts towards. Escalation counts as repeat: both are a matter its
// complainants keep pursuing.
const (
	FamilyRepeat  = "repeat"
	FamilyGroup   = "group"
	FamilyStalled = "stalled"
)

// Tiers, highest first.
var Tiers = configs.TierNames

// The config's shapes of a rule, the statutory clocks, a reason and a config problem; package
// configs defines them, and rules names them often.
type (
	Spec       = configs.RuleSpec
	Clocks     = configs.Clocks
	Reason     = configs.Reason
	FieldError = configs.FieldError
)

// DefaultClocks are the limits of the 2022 Regulations on Letters and Visits.
func DefaultClocks() Clocks { return configs.DefaultClocks() }

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// Compile validates every spec and compiles the enabled ones. It reports all problems at once,
// each as a *FieldError joined with errors.Join, so a user fixes a config in one pass.
func Compile(specs []Spec, clocks Clocks) ([]*Rule, error) {
	errs := clocks.Validate()
	if len(specs) == 0 {
		errs = append(errs, configs.Fieldf("rules", "config.no_rules"))
	}
	seen := map[string]int{}
	var valid []*Rule
	var paths []string
	for i, s := range specs {
		at := fmt.Sprintf("rules[%d]", i)
		r, ruleErrs := compileOne(at, s)
		if prev, dup := seen[s.ID]; dup && s.ID != "" {
			ruleErrs = append(ruleErrs, configs.Fieldf(at+".id", "rules.id_twice", s.ID, prev))
		}
		seen[s.ID] = i
		errs = append(errs, ruleErrs...)
		if len(ruleErrs) == 0 {
			valid, paths = append(valid, r), append(paths, at)
		}
	}
	errs = append(errs, nameRules(valid, paths)...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	var compiled []*Rule
	for _, r := range valid {
		if r.Enabled() {
			compiled = append(compiled, r)
		}
	}
	return compiled, nil
}

func compileOne(at string, s Spec) (*Rule, []error) {
	var errs []error
	if !idPattern.MatchString(s.ID) {
		errs = append(errs, configs.Fieldf(at+".id", "rules.id", s.ID))
	}
	if !(s.Weight > 0) || math.IsInf(s.Weight, 1) {
		errs = append(errs, configs.Fieldf(at+".weight", "config.weight", s.Weight))
	}
	errs = append(errs, checkName(at, s.Name)...)
	if s.MinTier != "" && tierRank(s.MinTier) < 0 {
		errs = append(errs, configs.Fieldf(at+".min_tier", "rules.tier", s.MinTier, strings.Join(Tiers, ", ")))
	}
	k, ok := kinds[s.Kind]
	if !ok {
		errs = append(errs, configs.Fieldf(at+".kind", "rules.kind", s.Kind, strings.Join(kindNames(), ", ")))
		return nil, errs
	}
	c, err := k.compile(at+".params", s.Params)
	if err != nil {
		errs = append(errs, err)
		return nil, errs
	}
	r := &Rule{Spec: s, Family: k.family, query: c.q, eval: c.eval, byCase: c.cases, byGroup: c.groups, keeps: c.keeps}
	r.needs = needsOf(r, c.needs)
	if err := r.compileReasons(at+".reason", c.facts, c.reason); err != nil {
		errs = append(errs, err)
	}
	return r, errs
}

// TierRank orders tiers: 0 for red, 1 orange, 2 yellow, -1 for anything else.
func tierRank(t string) int {
	for i, name := range Tiers {
		if t == name {
			return i
		}
	}
	return -1
}

// decodeParams decodes a rule's params into out, rejecting unknown keys and wrong types with
// the full key path.
func decodeParams(at string, params map[string]any, out any) error {
	var md mapstructure.Metadata
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		Result: out, Metadata: &md, WeaklyTypedInput: false,
	})
	if err != nil {
		return err
	}
	if err := dec.Decode(params); err != nil {
		return configs.Fieldf(at, "config.wrong_type", cleanDecodeError(err))
	}
	if len(md.Unused) > 0 {
		sort.Strings(md.Unused)
		return configs.Fieldf(at+"."+md.Unused[0], "rules.unknown_param")
	}
	return nil
}

// cleanDecodeError drops mapstructure's "decoding failed due to ..." preamble.
func cleanDecodeError(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "error(s) decoding:\n\n* "); i >= 0 {
		msg = msg[i+len("error(s) decoding:\n\n* "):]
	}
	return strings.TrimSpace(msg)
}
