package publish

// SetCSVPageRows makes watchlist.csv read n matters at a time until the test ends (restore).
func SetCSVPageRows(n int64) (restore func()) {
	old := csvPageRows
	csvPageRows = n
	return func() { csvPageRows = old }
}

// SideBySide is sideBySide.
var SideBySide = sideBySide
