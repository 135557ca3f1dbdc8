package db

import "testing"

// TestRowRanges: the ranges of a large read cover every row once, in order.
func TestRowRanges(t *testing.T) {
	for _, c := range []struct{ lo, hi, n int64 }{{0, -1, 5}, {0, 0, 5}, {3, 17, 5}, {0, 99_999, 50_000}, {7, 100_000, 50_000}} {
		rs := RowRanges(c.lo, c.hi, c.n)
		next := c.lo
		for _, r := range rs {
			if r[0] != next || r[1] < r[0] || r[1]-r[0] >= c.n {
				t.Fatalf("RowRanges(%d, %d, %d) = %v", c.lo, c.hi, c.n, rs)
			}
			next = r[1] + 1
		}
		if c.hi >= c.lo && next != c.hi+1 || c.hi < c.lo && len(rs) != 0 {
			t.Errorf("RowRanges(%d, %d, %d) = %v: not every row once", c.lo, c.hi, c.n, rs)
		}
	}
}
