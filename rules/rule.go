package rules

import (
	"database/sql"
	"sort"
	"time"

	"github.com/earlywarn/earlywarn/configs"
)

// FlagColumns are the columns every rule query returns, in order (id lists sorted, distinct):
//
//	matter_id     VARCHAR    stable id: "case:<case_id>" or "group:<hash of the cluster's key and start>"
//	matter_kind   VARCHAR    "case" or "cluster"
//	case_ids      VARCHAR[]  evidence: cases of the matter
//	contact_ids   VARCHAR[]  evidence: contacts behind the flag
//	first_flagged DATE       first day on which the rule's condition held
//	strength      DOUBLE     how far past the threshold (1 = exactly at it)
//	facts         VARCHAR    JSON object of the values the reason template may use
//
// A case matter's event evidence is every event of its case; the watchlist adds it, so rules
// need not carry it.
var FlagColumns = []string{"matter_id", "matter_kind", "case_ids", "contact_ids", "first_flagged", "strength", "facts"}

// Rule is a validated, compiled rule.
type Rule struct {
	Spec
	Family string
	// DisplayName is the rule's name in each language, shown instead of its id (see name.go).
	DisplayName configs.RuleName
	query       query
	eval        evaluator                  // nil for rules that are one SQL query
	byCase      *byCase                    // nil but for rules by case (see bycase.go)
	byGroup     *byGroup                   // nil but for rules by group (see bygroup.go)
	reason      map[string]*reasonTemplate // by language
	needs       Needs                      // what the rule needs of the input to mean anything
	keeps       bool                       // it keeps counts over its period (see KeepCounts, CountedTexts)
}

// query is a rule's SQL and its bound parameters. The SQL reads the canonical tables and the
// tables PrepareSQL builds (case_state, case_contacts), and takes the screening date as the
// named parameter $as_of.
type query struct {
	sql  string
	args []sql.NamedArg
	// steps are the statements a rule computed in Go runs, in order, listed for review by
	// TestCompiledSQL.
	steps []string
}

// compiled is what a kind makes of a rule's params: its query, the facts its reasons may use,
// and its built-in reason templates.
type compiled struct {
	q      query
	eval   evaluator
	facts  []string
	reason Reason
	needs  Needs // GroupBy, for the kinds that group; needsOf fills in the rest
	cases  *byCase
	groups *byGroup
	keeps  bool // the rule keeps counts over its period (hot_issue)
}

// kind compiles one rule kind's params.
type kind struct {
	family  string
	compile func(at string, params map[string]any) (compiled, error)
}

var kinds = map[string]kind{
	KindRepeat:     {FamilyRepeat, compileRepeat},
	KindGroup:      {FamilyGroup, compileGroup},
	KindStalled:    {FamilyStalled, compileStalled},
	KindEscalation: {FamilyRepeat, compileEscalation},
}

func kindNames() []string {
	names := make([]string, 0, len(kinds))
	for n := range kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Enabled reports whether the rule runs; rules are enabled unless the config says otherwise.
func (r *Rule) Enabled() bool { return r.Spec.Enabled == nil || *r.Spec.Enabled }

// Query returns the rule's SQL and its arguments for screening as of asOf. The result has
// FlagColumns. Rules computed in Go (see Materialize) have no query.
func (r *Rule) Query(asOf time.Time) (string, []any) {
	args := make([]any, 0, len(r.query.args)+1)
	args = append(args, sql.Named("as_of", asOf.Format(time.DateOnly)))
	for _, a := range r.query.args {
		args = append(args, a)
	}
	return r.query.sql, args
}

// Params returns the rule's parameters as bound, for the run record.
func (r *Rule) Params() map[string]any {
	out := make(map[string]any, len(r.query.args))
	for _, a := range r.query.args {
		out[a.Name] = a.Value
	}
	return out
}
