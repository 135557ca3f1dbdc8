package copydetect

// The pieces of Cluster: shingles, MinHash signatures, LSH bands, exact Jaccard, union-find.

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
)

// shingles returns the sorted distinct k-grams of norm. Up to three runes are packed exactly
// (a rune fits in 21 bits); longer k-grams are hashed.
func shingles(norm []rune, k int) []uint64 {
	out := make([]uint64, 0, len(norm)-k+1)
	for i := 0; i+k <= len(norm); i++ {
		var s uint64
		if k <= 3 {
			for _, r := range norm[i : i+k] {
				s = s<<21 | uint64(r)
			}
		} else {
			s = 14695981039346656037
			for _, r := range norm[i : i+k] {
				s = (s ^ uint64(r)) * 1099511628211
			}
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// dedupe maps each letter (index into sets) to the index of its representative among the
// distinct non-nil sets (-1 for skipped letters) and returns the representatives' letter
// indices. The representative is the first letter in id order with that set.
func dedupe(sets [][]uint64) (rep []int32, uniq []int) {
	rep = make([]int32, len(sets))
	byHash := map[uint64][]int32{} // set hash → representative indices (collisions kept apart)
	for k, s := range sets {
		if s == nil {
			rep[k] = -1
			continue
		}
		h := uint64(len(s))
		for _, x := range s {
			h = mix(h ^ x)
		}
		found := int32(-1)
		for _, u := range byHash[h] {
			if slices.Equal(sets[uniq[u]], s) {
				found = u
				break
			}
		}
		if found < 0 {
			found = int32(len(uniq))
			uniq = append(uniq, k)
			byHash[h] = append(byHash[h], found)
		}
		rep[k] = found
	}
	return rep, uniq
}

// family is a set of hash functions h_i(x) = a_i·mix(x) + b_i (mod 2^64) with odd a_i.
type family struct{ a, b []uint64 }

func newFamily(n int, seed uint64) family {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	f := family{a: make([]uint64, n), b: make([]uint64, n)}
	for i := range n {
		f.a[i] = r.Uint64() | 1
		f.b[i] = r.Uint64()
	}
	return f
}

// signature writes the MinHash signature of set into sig (len(sig) == number of hashes).
func (f family) signature(sig []uint64, set []uint64) {
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	a, b := f.a[:len(sig)], f.b[:len(sig)]
	for _, x := range set {
		h := mix(x)
		for i := range sig {
			sig[i] = min(sig[i], a[i]*h+b[i])
		}
	}
}

func bandKey(rows []uint64) uint64 {
	h := uint64(0x243f6a8885a308d3)
	for _, v := range rows {
		h = mix(h ^ v)
	}
	return h
}

// mix is the splitmix64 finaliser.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

type entry struct {
	key uint64
	u   int32
}

// bandBuckets returns, per band, the active representatives sorted by band key.
func bandBuckets(keys []uint64, active []bool, bands, workers int) [][]entry {
	out := make([][]entry, bands)
	parallel(bands, workers, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			e := make([]entry, 0, len(active))
			for u, ok := range active {
				if ok {
					e = append(e, entry{keys[u*bands+b], int32(u)})
				}
			}
			// Order within a bucket only decides which pairs are verified, not the components.
			slices.SortFunc(e, func(x, y entry) int { return cmp.Compare(x.key, y.key) })
			out[b] = e
		}
	})
	return out
}

// jaccard is |a ∩ b| / |a ∪ b| of two sorted distinct sets.
func jaccard(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			inter++
			i++
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// atLeast reports whether jaccard(a, b) >= t, stopping as soon as the answer is known.
// J >= t ⟺ |a ∩ b| >= t·(|a|+|b|)/(1+t).
func atLeast(a, b []uint64, t float64) bool {
	need := int(math.Ceil(t*float64(len(a)+len(b))/(1+t) - 1e-9))
	if min(len(a), len(b)) < need {
		return false
	}
	inter, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		x, y := a[i], b[j]
		if x == y {
			inter++
		}
		if x <= y {
			i++
		}
		if y <= x {
			j++
		}
		if inter+min(len(a)-i, len(b)-j) < need {
			return false
		}
	}
	return inter >= need
}

// pairStats returns, for the member letters of a cluster (at most maxSplit distinct texts, or
// one), the index of each one's distinct text, the Jaccard of every pair of distinct texts, and
// the minimum and mean Jaccard over all pairs of letters; letters with the same set form pairs
// of Jaccard 1.
func pairStats(members []int, rep []int32, uniq []int, sets [][]uint64) (text []int, sim [][]float64, lo, mean float64) {
	index := map[int32]int{}
	var us []int32
	var count []float64
	text = make([]int, len(members))
	for i, k := range members {
		t, ok := index[rep[k]]
		if !ok {
			t = len(us)
			index[rep[k]] = t
			us = append(us, rep[k])
			count = append(count, 0)
		}
		count[t]++
		text[i] = t
	}
	sim = make([][]float64, len(us))
	for a := range us {
		sim[a] = make([]float64, len(us))
		sim[a][a] = 1
	}
	lo = 1
	var sum, pairs float64
	for a, u := range us {
		m := count[a]
		sum += m * (m - 1) / 2
		pairs += m * (m - 1) / 2
		for b := a + 1; b < len(us); b++ {
			j := jaccard(sets[uniq[u]], sets[uniq[us[b]]])
			sim[a][b], sim[b][a] = j, j
			w := m * count[b]
			lo = min(lo, j)
			sum += w * j
			pairs += w
		}
	}
	if pairs == 0 {
		return text, sim, 1, 1
	}
	return text, sim, lo, sum / pairs
}

type unionFind struct{ parent []int32 }

func newUnionFind(n int) *unionFind {
	var u unionFind
	u.reset(n)
	return &u
}

// reset makes u n singletons, reusing its memory.
func (u *unionFind) reset(n int) {
	if cap(u.parent) < n {
		u.parent = make([]int32, n)
	}
	u.parent = u.parent[:n]
	for i := range u.parent {
		u.parent[i] = int32(i)
	}
}

func (u *unionFind) find(x int32) int32 {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// union links the roots, the smaller index becoming the root, so roots do not depend on the
// order of unions.
func (u *unionFind) union(a, b int32) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	u.parent[rb] = ra
}

// parallel runs f over [0, n) split into contiguous chunks across workers.
func parallel(n, workers int, f func(lo, hi int)) {
	if n == 0 {
		return
	}
	chunk := max(1, (n+workers*4-1)/(workers*4))
	var wg sync.WaitGroup
	next := make(chan int, (n+chunk-1)/chunk)
	for lo := 0; lo < n; lo += chunk {
		next <- lo
	}
	close(next)
	for range min(workers, (n+chunk-1)/chunk) {
		wg.Go(func() {
			for lo := range next {
				f(lo, min(lo+chunk, n))
			}
		})
	}
	wg.Wait()
}
