package copydetect

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"punctuation and spaces", "我们，要求  解决！\n谢谢。", "我们要求解决谢谢"},
		{"full-width letters and digits", "ＡＰＰ里显示１２３元", "app里显示#元"},
		{"full-width and ASCII agree", "拖欠工资５０００元，共３个月", "拖欠工资#元共#个月"},
		{"decimal and date one number", "征收12.5亩，2023-05-01签约", "征收#亩#签约"},
		{"resident id 18 digits", "身份证号：110101199003071234", "身份证号§"},
		{"resident id with X", "身份证11010119900307123X号", "身份证§号"},
		{"resident id full-width x", "身份证１１０１０１１９９００３０７１２３ｘ", "身份证§"},
		{"old 15-digit id", "证件号110101900307123", "证件号§"},
		{"mobile", "电话13812345678", "电话☎"},
		{"mobile with spaces and dashes", "电话138 1234 5678或139-1234-5678", "电话☎或☎"},
		{"mobile +86", "+86 13812345678", "☎"},
		{"landline", "座机0571-88886666", "座机☎"},
		{"short number is no phone", "编号12345678901234", "编号#"},
		{"ten-digit not starting with 0", "1234567890", "#"},
		{"upper case folded", "ABC公司", "abc公司"},
		{"ideographic space", "一　二", "一二"},
		{"other digits", "٣٤ 元", "#元"},
		{"symbols dropped", "①号楼★", "号楼"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

const base = "本人系城关镇红星村村民，我家承包地三亩于前年被征收，补偿款至今没有足额发放，村里也没有公开分配明细，多次找镇政府反映没有结果，恳请领导重视，尽快解决。"

func letters(texts ...string) []Letter {
	out := make([]Letter, len(texts))
	for i, s := range texts {
		out[i] = Letter{ID: fmt.Sprintf("c%02d", i), Person: fmt.Sprintf("p%02d", i), Text: s}
	}
	return out
}

func TestClusterCases(t *testing.T) {
	near := strings.Replace(base, "红星村", "前进村", 1) // one place name changed
	tests := []struct {
		name    string
		letters []Letter
		want    [][]string
	}{
		{"identical from three persons", letters(base, base, base), [][]string{{"c00", "c01", "c02"}}},
		{"identical up to numbers, punctuation and width", letters(
			base+"电话13812345678",
			strings.ReplaceAll(base, "，", ", ")+"电话１３９１２３４５６７８",
			strings.ReplaceAll(base, "。", ".\n")+"身份证110101199003071234",
		), [][]string{{"c00", "c01", "c02"}}},
		{"near-identical", letters(base, near, strings.Replace(base, "恳请", "请", 1)), [][]string{{"c00", "c01", "c02"}}},
		{"two persons are not enough", letters(base, base), nil},
		{"one person's three copies are not enough", []Letter{
			{ID: "a", Person: "p", Text: base}, {ID: "b", Person: "p", Text: base}, {ID: "c", Person: "q", Text: base},
		}, nil},
		{"different texts", letters(base,
			"我是河西街道新民社区居民，小区楼下商铺违法加建，占用消防通道，物业不管，请求相关部门依法查处违法建设。",
			"我们在宏达建筑公司承建的工地干活，包工头跑路后工资没人支付，恳请政府帮我们追回血汗钱。"), nil},
		{"too short to compare", letters("请求解决", "请求解决", "请求解决"), nil},
		{"a chain joins a cluster", letters(base, near, strings.Replace(near, "恳请", "请", 1), base+"此致敬礼"), [][]string{{"c00", "c01", "c02", "c03"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Cluster(tt.letters, DefaultParams())
			if err != nil {
				t.Fatal(err)
			}
			var ids [][]string
			for _, c := range got {
				ids = append(ids, c.IDs)
				if c.MinJaccard > c.MeanJaccard || c.MeanJaccard > 1 || c.MinJaccard <= 0 {
					t.Errorf("cluster %v: min %.3f mean %.3f", c.IDs, c.MinJaccard, c.MeanJaccard)
				}
			}
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("clusters = %v, want %v", ids, tt.want)
			}
		})
	}
}

// TestSplitChain: two copy groups A and B whose texts share a common part P but are not linked
// (Jaccard about 0.33), and one letter that borrows from both and links to each (about 0.6).
// Single links make one component; average linkage reports A with the bridge, and B alone.
// Without Linkage the split still holds: no cluster's mean Jaccard is below Threshold.
func TestSplitChain(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	text := func(n int) string {
		out := make([]rune, n)
		for i := range out {
			out[i] = rune(0x4E00 + r.IntN(0x5000))
		}
		return string(out)
	}
	common, x, y := text(40), text(40), text(40)
	a, b := common+x, common+y
	bridge := common + string([]rune(x)[:20]) + string([]rune(y)[:20])
	ls := letters(a, a, a, b, b, b, bridge)
	p := DefaultParams()
	got, err := Cluster(ls, p)
	if err != nil {
		t.Fatal(err)
	}
	var ids [][]string
	for _, c := range got {
		ids = append(ids, c.IDs)
	}
	if want := [][]string{{"c00", "c01", "c02", "c06"}, {"c03", "c04", "c05"}}; !reflect.DeepEqual(ids, want) {
		t.Errorf("clusters %v, want %v", ids, want)
	}
	p.Linkage = 0
	got, _ = Cluster(ls, p)
	ids = nil
	for _, c := range got {
		ids = append(ids, c.IDs)
		if c.MeanJaccard < p.Threshold {
			t.Errorf("cluster %v: mean Jaccard %.3f below the threshold", c.IDs, c.MeanJaccard)
		}
	}
	if want := [][]string{{"c00", "c01", "c02", "c06"}, {"c03", "c04", "c05"}}; !reflect.DeepEqual(ids, want) {
		t.Errorf("Linkage 0: clusters %v, want %v", ids, want)
	}
}

func TestClusterStats(t *testing.T) {
	got, err := Cluster(letters(base, base, base), DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].MinJaccard != 1 || got[0].MeanJaccard != 1 || got[0].Persons != 3 {
		t.Fatalf("identical letters: %+v, want one cluster of 3 persons with Jaccard 1", got)
	}
	near := strings.Replace(base, "红星村", "前进村", 1)
	got, _ = Cluster(letters(base, base, near), DefaultParams())
	p := DefaultParams()
	j := jaccard(shingles([]rune(Normalize(base)), p.Shingle), shingles([]rune(Normalize(near)), p.Shingle))
	if len(got) != 1 || got[0].MinJaccard != j || abs(got[0].MeanJaccard-(1+2*j)/3) > 1e-12 {
		t.Fatalf("got %+v, want min %.4f mean %.4f", got, j, (1+2*j)/3)
	}
}

func abs(x float64) float64 { return max(x, -x) }

// TestOrderIndependence shuffles a corpus and changes the worker count: the clusters must not
// change.
func TestOrderIndependence(t *testing.T) {
	ls, _ := corpus(5, 40, 5, 300)
	p := DefaultParams()
	want, err := Cluster(ls, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 30 {
		t.Fatalf("only %d clusters in the corpus; the test would prove little", len(want))
	}
	r := rand.New(rand.NewPCG(1, 1))
	for i, workers := range []int{1, 3, 8} {
		shuffled := append([]Letter(nil), ls...)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		p.Workers = workers
		got, err := Cluster(shuffled, p)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("shuffle %d with %d workers gives different clusters", i, workers)
		}
	}
}

func TestInputErrors(t *testing.T) {
	tests := []struct {
		name    string
		letters []Letter
		want    string
	}{
		{"duplicate id", []Letter{{ID: "a", Person: "p", Text: base}, {ID: "a", Person: "q", Text: base}}, `letter id "a" occurs more than once`},
		{"no id", []Letter{{Person: "p", Text: base}}, "letter 0 has no id"},
		{"no person", []Letter{{ID: "x", Text: base}}, `letter "x" has no person`},
	}
	for _, tt := range tests {
		_, err := Cluster(tt.letters, DefaultParams())
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestParamsValidate(t *testing.T) {
	if err := DefaultParams().Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	tests := []struct {
		name string
		edit func(*Params)
		want string
	}{
		{"bands*rows", func(p *Params) { p.Bands = 30 }, "bands*rows = 150: must equal hashes (130)"},
		{"zero rows", func(p *Params) { p.Rows = 0 }, "rows = 0"},
		{"threshold above 1", func(p *Params) { p.Threshold = 1.2 }, "threshold = 1.2: must be in (0, 1]"},
		{"threshold zero", func(p *Params) { p.Threshold = 0 }, "threshold = 0"},
		{"one person", func(p *Params) { p.MinPersons = 1 }, "min_persons = 1"},
		{"shingle too long", func(p *Params) { p.Shingle = 9 }, "shingle = 9"},
		{"min runes below shingle", func(p *Params) { p.MinRunes = 2 }, "min_runes = 2: must be at least the shingle length (3)"},
		{"negative workers", func(p *Params) { p.Workers = -1 }, "workers = -1"},
		{"linkage above 1", func(p *Params) { p.Linkage = 2 }, "linkage = 2: must be in [0, 1]"},
		{"no hashes", func(p *Params) { p.Hashes = 0 }, "hashes = 0"},
	}
	for _, tt := range tests {
		p := DefaultParams()
		tt.edit(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
		if _, err := Cluster(letters(base, base, base), p); err == nil {
			t.Errorf("%s: Cluster accepted invalid params", tt.name)
		}
	}
}

// BenchmarkCluster clusters a corpus of about 100,000 letters (copy groups, same-topic and
// background letters), reports its F1 at that scale, and letters per second of wall time and of CPU time (the machine
// may be shared), beside a reference measured in the same run: normalising and shingling the same
// letters on all workers, the floor of any method that compares shingle sets.
func BenchmarkCluster(b *testing.B) {
	ls, truth := corpus(3, 4000, 8, 40000)
	b.Logf("%d letters, GOMAXPROCS %d", len(ls), runtime.GOMAXPROCS(0))
	p := DefaultParams()
	refStart := time.Now()
	parallel(len(ls), runtime.GOMAXPROCS(0), func(lo, hi int) {
		var buf, norm []rune
		for _, l := range ls[lo:hi] {
			norm = appendNormal(norm[:0], &buf, l.Text)
			_ = shingles(norm, p.Shingle)
		}
	})
	ref := time.Since(refStart)
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	var clusters []ClusterResult
	for b.Loop() {
		got, err := Cluster(ls, p)
		if err != nil {
			b.Fatal(err)
		}
		clusters = got
	}
	n := float64(len(ls)) * float64(b.N)
	b.ReportMetric(n/time.Since(start).Seconds(), "letters/s")
	b.ReportMetric(n/(cpuTime()-cpu0).Seconds(), "letters/cpu-s")
	b.ReportMetric(float64(len(ls))/ref.Seconds(), "ref-shingling-letters/s")
	b.ReportMetric(float64(len(clusters)), "clusters")
	sc := score(clusters, truth)
	b.ReportMetric(sc.letterF, "letter-F1")
	b.ReportMetric(sc.pairF, "pair-F1")
	b.Logf("letters: precision %.3f recall %.3f F1 %.3f; pairs: precision %.3f recall %.3f F1 %.3f", sc.letterP, sc.letterR, sc.letterF, sc.pairP, sc.pairR, sc.pairF)
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestEqualLanes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 10000 {
		x, y := r.Uint64(), r.Uint64()
		for lane := range 4 { // force some lanes equal
			if r.IntN(2) == 0 {
				m := uint64(0xffff) << (16 * lane)
				y = y&^m | x&m
			}
		}
		want := 0
		for lane := range 4 {
			if (x>>(16*lane))&0xffff == (y>>(16*lane))&0xffff {
				want++
			}
		}
		if got := equalLanes(x, y); got != want {
			t.Fatalf("equalLanes(%x, %x) = %d, want %d", x, y, got, want)
		}
	}
}

func TestAtLeast(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	set := func(n, universe int) []uint64 {
		var s []uint64
		for range n {
			s = append(s, uint64(r.IntN(universe)))
		}
		slices.Sort(s)
		return slices.Compact(s)
	}
	for range 5000 {
		a, b := set(1+r.IntN(60), 80), set(1+r.IntN(60), 80)
		th := []float64{0.1, 0.3, 0.5, 0.55, 0.7, 1}[r.IntN(6)]
		if got, want := atLeast(a, b, th), jaccard(a, b) >= th; got != want {
			t.Fatalf("atLeast(J=%.4f, %.2f) = %v", jaccard(a, b), th, got)
		}
	}
}
