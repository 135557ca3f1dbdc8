// Package copydetect finds copied letters: near-identical texts sent by different people, a
// sign of a joint or organised petition (a group signal about a matter, never about a person).
//
// Texts are normalised (see Normalize) and cut into character k-grams (shingles). Shingles that
// many unrelated letters share, template phrases seen in letters from many townships or many
// categories (Params.TemplateTownships, TemplateCategories), are dropped: two letters written on
// one template or in one category's stock phrases, with different specifics, are not copies. The rest are summarised by MinHash
// signatures and paired by LSH banding; every candidate pair is verified with the exact Jaccard
// similarity of the two shingle sets; verified pairs are joined into connected components, and
// each component is split by average linkage so that a chain of single links does not merge
// distinct groups and no cluster's mean Jaccard is below Params.Threshold. Letters equal in
// normal form are always one group. A cluster is reported when its letters come from at least Params.MinPersons
// distinct persons. Results do not depend on the input order.
package copydetect

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
)

// Letter is one text to compare. ID must be unique and non-empty; Person is the pseudonymous
// complainant id and must be non-empty. Township and Category, where known, tell template
// phrases from copied text (see Params.TemplateTownships); empty is unknown and counts towards
// neither.
type Letter struct {
	ID, Person, Text   string
	Township, Category string
}

// Params tune the clustering. Start from DefaultParams.
type Params struct {
	Shingle   int     // k-gram length in runes of the normal form; 1–3 are exact, 4–8 hashed
	Hashes    int     // MinHash signature length
	Bands     int     // LSH bands; Bands*Rows must equal Hashes
	Rows      int     // signature rows per band
	Threshold float64 // exact Jaccard of two shingle sets at or above which they are linked
	Linkage   float64 // mean Jaccard that keeps parts of a component together; Threshold if higher
	// A shingle seen in letters from at least TemplateTownships distinct townships, or from at
	// least TemplateCategories distinct categories, is template text and gets no weight: it is
	// dropped from every set before comparing. 0 leaves that field out; both 0 drop nothing.
	TemplateTownships  int
	TemplateCategories int
	MinPersons         int    // distinct persons a cluster needs to be reported
	MinRunes           int    // letters with fewer runes in normal form are skipped (too short to tell)
	Seed               uint64 // seed of the hash family; fixed so that runs are reproducible
	Workers            int    // goroutines for shingling and hashing; 0 means GOMAXPROCS
}

// DefaultParams are tuned on the package's test corpus (copies with their own names, numbers,
// punctuation, typos and dropped or added sentences, against same-topic letters that were
// written independently): see TestQuality.
//
// Threshold 0.55: copies have a median Jaccard of about 0.67 and independent same-topic letters
// a 99.9% quantile of about 0.43; at 0.45 and below, single links chain topics together, at 0.65
// copies are split (pair-level F1 on the test corpus with 32 bands of 4 rows: 0.45 → 0.79,
// 0.5 → 0.95, 0.55 → 0.97, 0.6 → 0.95, 0.65 → 0.88).
//
// Linkage 0.5: single links chain distinct copy groups together through letters that share
// stock sentences with both, and the chains grow with the number of letters. Splitting linked
// components by average linkage at 0.5 raises pair-level F1 on a 105,000-letter corpus from
// 0.73 to 0.92 (letter-level from 0.90 to 0.92) and costs 0.006 on the 8,000-letter corpora;
// at 0.55 it splits copy groups (pair F1 0.92 there). Cluster splits at Threshold all the same
// (the larger of the two), so that no cluster's mean Jaccard is below the similarity a rule
// asked for: on the 8,000-letter corpora pair-level F1 is 0.92–0.94 (precision 0.999–1.000,
// recall 0.85–0.89) against 0.96–0.97 at 0.5, letter-level 0.96–0.97 against 0.975–0.98.
//
// 26 bands of 5 rows (130 hashes): a pair becomes a candidate with probability 0.74 at Jaccard
// 0.55, 0.88 at 0.6, 0.98 at 0.67 (the median copy pair) and 0.99 at 0.7, but only 0.06 at 0.3
// and 0.008 at 0.2, where most same-topic pairs lie. A copy missed as a pair is almost always
// joined through the other copies of its group: F1 is within 0.01 of 32 bands of 4 rows
// (candidate probability 0.95 at 0.55, 0.23 at 0.3), which verifies four times as many
// same-topic pairs and clusters 1.4 times slower; 16 bands of 8 rows lose recall (F1 0.85).
func DefaultParams() Params {
	return Params{Shingle: 3, Hashes: 130, Bands: 26, Rows: 5, Threshold: 0.55, Linkage: 0.5, MinPersons: 3, MinRunes: 20, Seed: 0x5eed_c0de}
}

// ParamError is a parameter that makes no sense: its name, its value, and why.
type ParamError struct {
	Key   string
	Value any
	Why   string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("copydetect: %s = %v: %s", e.Key, e.Value, e.Why)
}

// Validate reports every parameter that makes no sense, each a *ParamError. Only Threshold,
// MinPersons and MinRunes come from a config (a rule's similarity, min_complainants and
// min_chars); the others are the package's own settings.
func (p Params) Validate() error {
	var errs []error
	bad := func(key string, v any, why string) {
		errs = append(errs, &ParamError{Key: key, Value: v, Why: why})
	}
	if p.Shingle < 1 || p.Shingle > 8 {
		bad("shingle", p.Shingle, "must be between 1 and 8 runes")
	}
	if p.Hashes < 1 || p.Hashes > 1024 {
		bad("hashes", p.Hashes, "must be between 1 and 1024")
	}
	if p.Bands < 1 {
		bad("bands", p.Bands, "must be at least 1")
	}
	if p.Rows < 1 {
		bad("rows", p.Rows, "must be at least 1")
	}
	if p.Bands >= 1 && p.Rows >= 1 && p.Bands*p.Rows != p.Hashes {
		bad("bands*rows", p.Bands*p.Rows, fmt.Sprintf("must equal hashes (%d)", p.Hashes))
	}
	if !(p.Threshold > 0 && p.Threshold <= 1) {
		bad("threshold", p.Threshold, "must be in (0, 1]")
	}
	if !(p.Linkage >= 0 && p.Linkage <= 1) {
		bad("linkage", p.Linkage, "must be in [0, 1] (0 reports linked components whole)")
	}
	if p.MinPersons < 2 {
		bad("min_persons", p.MinPersons, "must be at least 2 (one person's own copies are no group signal)")
	}
	if p.MinRunes < p.Shingle {
		bad("min_runes", p.MinRunes, fmt.Sprintf("must be at least the shingle length (%d)", p.Shingle))
	}
	if p.TemplateTownships < 0 {
		bad("template_townships", p.TemplateTownships, "must be 0 (not used) or more")
	}
	if p.TemplateCategories < 0 {
		bad("template_categories", p.TemplateCategories, "must be 0 (not used) or more")
	}
	if p.Workers < 0 {
		bad("workers", p.Workers, "must be 0 (all CPUs) or more")
	}
	return errors.Join(errs...)
}

// ClusterResult is one reported cluster. Its Jaccards are of the shingle sets compared (template
// phrases dropped); MeanJaccard is at least Params.Threshold, MinJaccard may be lower.
type ClusterResult struct {
	IDs         []string // letter ids, sorted
	Persons     int      // distinct persons among the letters
	MinJaccard  float64  // smallest Jaccard over all pairs of letters in the cluster
	MeanJaccard float64  // mean Jaccard over all pairs of letters in the cluster

	text []int       // index of each letter's distinct text (parallel to IDs)
	sim  [][]float64 // Jaccard of each pair of distinct texts
}

// JaccardAmong returns the smallest and the mean Jaccard over the pairs of the given letters of
// the cluster (ids not in it are ignored); 1 and 1 for fewer than two.
func (c ClusterResult) JaccardAmong(ids []string) (lo, mean float64) {
	var texts []int
	for _, id := range ids {
		if i, ok := slices.BinarySearch(c.IDs, id); ok {
			texts = append(texts, c.text[i])
		}
	}
	lo = 1
	var sum, pairs float64
	for i, a := range texts {
		for _, b := range texts[i+1:] {
			lo = min(lo, c.sim[a][b])
			sum += c.sim[a][b]
			pairs++
		}
	}
	if pairs == 0 {
		return 1, 1
	}
	return lo, sum / pairs
}

// Cluster groups letters whose shingle sets are linked, directly or through other letters, by
// an exact Jaccard of at least p.Threshold, splits each such component by average linkage at
// p.Linkage (see split), and returns the clusters with at least p.MinPersons distinct persons,
// ordered by their first id. Letters shorter than p.MinRunes in normal form
// take no part. Pairs that LSH does not propose, or whose MinHash estimate falls clearly short
// of the threshold, are not compared, so a pair above the threshold is missed with the small
// probabilities given at DefaultParams and estimateMargin (a cluster usually stays joined
// through its other members); every link made is an exact Jaccard comparison.
func Cluster(letters []Letter, p Params) ([]ClusterResult, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	order, err := canonicalOrder(letters)
	if err != nil {
		return nil, err
	}
	workers := p.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	// Shingle sets in id order; letters too short get nil.
	sets := make([][]uint64, len(order))
	parallel(len(order), workers, func(lo, hi int) {
		var buf, norm []rune
		for k := lo; k < hi; k++ {
			norm = appendNormal(norm[:0], &buf, letters[order[k]].Text)
			if len(norm) >= p.MinRunes {
				sets[k] = shingles(norm, p.Shingle)
			}
		}
	})

	// Exact duplicates share one representative; only representatives are hashed and paired.
	rep, uniq := dedupe(sets)

	// Template phrases get no weight: representatives are compared on the rest of their
	// shingles, and only those with enough of it are paired at all (a letter that is all
	// template can still be one of a group of equal letters).
	if p.TemplateTownships > 0 || p.TemplateCategories > 0 {
		common := templateShingles(letters, order, sets, p)
		for _, k := range uniq {
			sets[k] = slices.DeleteFunc(slices.Clone(sets[k]), func(x uint64) bool { return common[x] })
		}
	}
	active := make([]bool, len(uniq))
	for u, k := range uniq {
		active[u] = len(sets[k]) >= p.MinRunes-p.Shingle+1
	}

	// Band keys of each representative's signature.
	fam := newFamily(p.Hashes, p.Seed)
	keys := make([]uint64, len(uniq)*p.Bands)
	words := (p.Hashes + 3) / 4
	sigs := make([]uint64, len(uniq)*words) // top 16 bits of each signature value, 4 to a word
	parallel(len(uniq), workers, func(lo, hi int) {
		sig := make([]uint64, p.Hashes)
		for u := lo; u < hi; u++ {
			fam.signature(sig, sets[uniq[u]])
			for b := range p.Bands {
				keys[u*p.Bands+b] = bandKey(sig[b*p.Rows : (b+1)*p.Rows])
			}
			for i, v := range sig {
				sigs[u*words+i/4] |= (v >> 48) << (16 * (i % 4))
			}
		}
	})

	uf := link(sets, uniq, active, keys, sigs, p, workers)

	// Letters of each representative, in id order; components of representatives, each split
	// by average linkage so that chains of single links do not join distinct groups.
	lettersOf := make([][]int, len(uniq))
	for k, r := range rep {
		if r >= 0 {
			lettersOf[r] = append(lettersOf[r], k)
		}
	}
	comps := map[int32][]int32{}
	for u := range uniq {
		root := uf.find(int32(u))
		comps[root] = append(comps[root], int32(u))
	}
	var out []ClusterResult
	for _, comp := range comps {
		if len(comp) == 1 && len(lettersOf[comp[0]]) < p.MinPersons {
			continue
		}
		slices.Sort(comp)
		for _, group := range split(comp, lettersOf, sets, uniq, max(p.Linkage, p.Threshold)) {
			var members []int
			for _, u := range group {
				members = append(members, lettersOf[u]...)
			}
			slices.Sort(members)
			persons := map[string]struct{}{}
			for _, k := range members {
				persons[letters[order[k]].Person] = struct{}{}
			}
			if len(persons) < p.MinPersons {
				continue
			}
			c := ClusterResult{IDs: make([]string, len(members)), Persons: len(persons)}
			for i, k := range members {
				c.IDs[i] = letters[order[k]].ID
			}
			c.text, c.sim, c.MinJaccard, c.MeanJaccard = pairStats(members, rep, uniq, sets)
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b ClusterResult) int { return cmp.Compare(a.IDs[0], b.IDs[0]) })
	return out, nil
}

// maxSplit is the largest component (in distinct texts) that split refines; the cost grows with
// its cube. A larger component is reported as its groups of equal letters.
const maxSplit = 400

// split divides one component of linked texts (representative indices, ascending) by average
// linkage over letters: starting from single texts, the two groups with the highest mean
// Jaccard over the pairs of their letters merge while that mean is at least t. Two copy groups
// joined only through a chain of single links thus stay apart, a group of copies (pairwise
// Jaccard mostly well above t) stays whole, and every group's mean Jaccard over the pairs of
// its letters is at least t (two texts of a component of two are linked, so at least the
// threshold alike).
func split(comp []int32, lettersOf [][]int, sets [][]uint64, uniq []int, t float64) [][]int32 {
	k := len(comp)
	if k > maxSplit {
		out := make([][]int32, k)
		for a, u := range comp {
			out[a] = []int32{u}
		}
		return out
	}
	if k <= 2 {
		return [][]int32{comp}
	}
	sum := make([]float64, k*k) // Σ over letter pairs between groups a and b of their Jaccard
	size := make([]float64, k)  // letters in each group
	groups := make([][]int32, k)
	for a, u := range comp {
		size[a] = float64(len(lettersOf[u]))
		groups[a] = []int32{u}
		for b := a + 1; b < k; b++ {
			v := comp[b]
			w := size[a] * float64(len(lettersOf[v])) * jaccard(sets[uniq[u]], sets[uniq[v]])
			sum[a*k+b], sum[b*k+a] = w, w
		}
	}
	alive := make([]bool, k)
	for a := range alive {
		alive[a] = true
	}
	for {
		best, ba, bb := -1.0, -1, -1
		for a := range k {
			if !alive[a] {
				continue
			}
			for b := a + 1; b < k; b++ {
				if alive[b] {
					if m := sum[a*k+b] / (size[a] * size[b]); m > best {
						best, ba, bb = m, a, b
					}
				}
			}
		}
		if ba < 0 || best < t {
			break
		}
		for c := range k {
			if alive[c] && c != ba && c != bb {
				sum[ba*k+c] += sum[bb*k+c]
				sum[c*k+ba] = sum[ba*k+c]
			}
		}
		size[ba] += size[bb]
		groups[ba] = append(groups[ba], groups[bb]...)
		alive[bb] = false
	}
	var out [][]int32
	for a := range k {
		if alive[a] {
			out = append(out, groups[a])
		}
	}
	return out
}

// templateShingles returns the shingles seen in letters from at least p.TemplateTownships
// distinct townships or from at least p.TemplateCategories distinct categories (a zero count
// leaves its field out); a letter with an empty field does not count towards that field.
func templateShingles(letters []Letter, order []int, sets [][]uint64, p Params) map[uint64]bool {
	towns, cats := map[string]uint16{}, map[string]uint16{}
	intern := func(m map[string]uint16, v string) uint16 {
		if v == "" {
			return 0
		}
		id, ok := m[v]
		if !ok {
			id = uint16(min(len(m)+1, 65535))
			m[v] = id
		}
		return id
	}
	// Per shingle, its first distinct townships and categories, up to the counts needed.
	type spread struct{ towns, cats []uint16 }
	seen := map[uint64]*spread{}
	common := map[uint64]bool{}
	add := func(xs []uint16, x uint16, need int) []uint16 {
		if x == 0 || len(xs) >= need || slices.Contains(xs, x) {
			return xs
		}
		return append(xs, x)
	}
	for k, i := range order {
		if sets[k] == nil {
			continue
		}
		t, c := intern(towns, letters[i].Township), intern(cats, letters[i].Category)
		if t == 0 && c == 0 {
			continue
		}
		for _, x := range sets[k] {
			if common[x] {
				continue
			}
			sp := seen[x]
			if sp == nil {
				sp = &spread{}
				seen[x] = sp
			}
			sp.towns = add(sp.towns, t, p.TemplateTownships)
			sp.cats = add(sp.cats, c, p.TemplateCategories)
			if p.TemplateTownships > 0 && len(sp.towns) >= p.TemplateTownships ||
				p.TemplateCategories > 0 && len(sp.cats) >= p.TemplateCategories {
				common[x] = true
				delete(seen, x)
			}
		}
	}
	return common
}

// estimateMargin is how far below Threshold a MinHash estimate may fall before the exact
// comparison is skipped. At 128–130 hashes a pair of Jaccard 0.55 is skipped with probability
// about 0.012, one of 0.6 with 0.0003; the test corpus scores the same F1 as with a margin of
// 0.2 and clusters 1.5 times faster (most candidates are same-topic pairs of Jaccard 0.1–0.3).
const estimateMargin = 0.1

// link verifies the candidate pairs of all bands and returns the union-find of the verified
// links. A pair is verified only in the first band where the two keys agree. The components
// do not depend on the order in which pairs are verified.
func link(sets [][]uint64, uniq []int, active []bool, keys []uint64, sigs []uint64, p Params, workers int) *unionFind {
	bands := p.Bands
	firstBand := func(a, b int32, band int) bool {
		ka, kb := keys[int(a)*bands:int(a)*bands+band], keys[int(b)*bands:int(b)*bands+band]
		for i := range ka {
			if ka[i] == kb[i] {
				return false
			}
		}
		return true
	}
	// A candidate whose signatures agree on clearly fewer than Threshold of the hashes is not
	// compared exactly: the agreement estimates the Jaccard with a standard deviation of at most
	// 0.5/√Hashes (0.044 at 128), and the margin is estimateMargin below Threshold. Values are
	// compared on their top 16 bits; a chance match (1 in 65,536) only lets a pair through.
	minAgree := int(math.Ceil((p.Threshold - estimateMargin) * float64(p.Hashes)))
	words := (p.Hashes + 3) / 4
	padding := words*4 - p.Hashes // unused lanes are zero in both and count as agreeing
	similar := func(a, b int32) bool {
		sa, sb := sigs[int(a)*words:(int(a)+1)*words], sigs[int(b)*words:(int(b)+1)*words]
		agree := -padding
		for i := range sa {
			agree += equalLanes(sa[i], sb[i])
		}
		return agree >= minAgree && atLeast(sets[uniq[a]], sets[uniq[b]], p.Threshold)
	}
	buckets := bandBuckets(keys, active, bands, workers)

	// Bands in parallel; each collects its verified links. Within a bucket, a pair already
	// joined through other members of the bucket needs no verification, so a campaign of many
	// near-identical letters costs about one verification per letter, not one per pair.
	edges := make([][][2]int32, bands)
	parallel(bands, workers, func(lo, hi int) {
		var local unionFind
		for band := lo; band < hi; band++ {
			eachBucket(buckets[band], func(bucket []entry) {
				local.reset(len(bucket))
				for i, x := range bucket {
					for j := i + 1; j < len(bucket); j++ {
						y := bucket[j]
						if local.find(int32(i)) != local.find(int32(j)) && firstBand(x.u, y.u, band) && similar(x.u, y.u) {
							local.union(int32(i), int32(j))
							edges[band] = append(edges[band], [2]int32{x.u, y.u})
						}
					}
				}
			})
		}
	})
	uf := newUnionFind(len(uniq))
	for _, es := range edges {
		for _, e := range es {
			uf.union(e[0], e[1])
		}
	}
	return uf
}

// equalLanes counts the equal 16-bit lanes of x and y.
func equalLanes(x, y uint64) int {
	const low15 = 0x7fff_7fff_7fff_7fff
	d := x ^ y
	// A lane's top bit of t is set when its lower 15 bits are non-zero; or'ed with d, the top
	// bit is clear exactly for zero lanes.
	t := (d&low15 + low15) | d | low15
	return bits.OnesCount64(^t)
}

// eachBucket calls f with every run of entries that share a key.
func eachBucket(entries []entry, f func([]entry)) {
	for lo := 0; lo < len(entries); {
		hi := lo + 1
		for hi < len(entries) && entries[hi].key == entries[lo].key {
			hi++
		}
		if hi-lo > 1 {
			f(entries[lo:hi])
		}
		lo = hi
	}
}

// canonicalOrder returns the letter indices sorted by id, checking ids and persons.
func canonicalOrder(letters []Letter) ([]int, error) {
	order := make([]int, len(letters))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(letters[a].ID, letters[b].ID) })
	for k, i := range order {
		l := letters[i]
		if l.ID == "" {
			return nil, fmt.Errorf("copydetect: letter %d has no id", i)
		}
		if l.Person == "" {
			return nil, fmt.Errorf("copydetect: letter %q has no person", l.ID)
		}
		if k > 0 && letters[order[k-1]].ID == l.ID {
			return nil, fmt.Errorf("copydetect: letter id %q occurs more than once", l.ID)
		}
	}
	return order, nil
}
