package rules

// Needs is what a rule needs of the input to mean anything. A run checks it against the data
// before screening (package pipeline, inputcheck.go) and warns, or skips the rule with its
// reason, when the input cannot give it: an export without closing data makes every stalled
// case overdue, a group-by field that is constant or empty makes one giant group or none, and
// letters without text leave nothing to compare however the similarity is set.
type Needs struct {
	// Closing: the rule reads the outcome of handling (answered, reviewed, re-reviewed,
	// terminated, closed): every stalled_case rule (without it no case ever leaves a pending
	// stage) and escalation continued_after_answer (without it no contact is after an answer).
	Closing bool
	// GroupBy are the case fields the rule groups cases by (wave, baseline).
	GroupBy []string
	// Letters is set for copied_letters: the rule compares the text of cases received through
	// its channels, at least MinChars characters long.
	Letters *LetterNeeds
	// Places is set for hot_issue: the rule reads the places each case's text names (the table
	// case_places, which the pipeline fills from the cases' content before screening), so the
	// cases need text.
	Places bool
	// Persons: the rule counts distinct complainants (every group signal but head_count), so
	// the cases need who wrote them: without a person a case counts as a person of its own.
	Persons bool
	// LookbackDays is the period the rule screens, ending on the screening date; 0 for a rule
	// that has none (stalled_case looks at every case).
	LookbackDays int
	// TestDays is for a rule that tests a window against its group's own earlier rate (wave):
	// the days of records a window needs up to its last day to be tested. A window the records'
	// latest stretch (RecordsFrom) began fewer days before is judged by its count alone; 0 for a
	// rule without such a test.
	TestDays int
}

// LetterNeeds are the letters a copied_letters rule compares.
type LetterNeeds struct {
	Channels   []string
	MinChars   int
	Similarity float64 // 1: equal texts; below 1: near-identical
}

// Needs returns what the rule needs of the input (see Needs).
func (r *Rule) Needs() Needs { return r.needs }

// needsOf completes what a kind's compiler said the rule needs (the group-by fields) from its
// spec and bound parameters.
func needsOf(r *Rule, n Needs) Needs {
	p := r.Params()
	n.LookbackDays, _ = p["lookback_days"].(int)
	switch r.Kind {
	case KindStalled:
		n.Closing = true
	case KindEscalation:
		n.Closing = r.Spec.Params["check"] == CheckContinued
	case KindGroup:
		n.Persons = r.Spec.Params["signal"] != SignalHeadCount
		if r.Spec.Params["signal"] != SignalCopied {
			break
		}
		l := &LetterNeeds{Similarity: 1}
		l.Channels, _ = p["channels"].([]string)
		l.MinChars, _ = p["min_chars"].(int)
		if s, ok := p["similarity"].(float64); ok {
			l.Similarity = s
		}
		n.Letters = l
	}
	return n
}
