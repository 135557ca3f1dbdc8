package rules

// LettersSQL are the statements that bring table case_letters, the cases' texts reduced as the
// copied_letters rule compares them, up to date with table cases: they reduce only the texts
// that are new or changed since they last ran. A rule that needs letters (Needs.Letters) reads
// the table, so the statements run before screening with one (package pipeline runs them in a
// transaction of their own after the load).
var LettersSQL = []string{
	renderSQL(lettersTableSQL, nil),
	renderSQL(lettersStaleSQL, nil),
	renderSQL(lettersNewSQL, nil),
}
