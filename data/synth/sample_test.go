package synth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/earlywarn/earlywarn/data"
)

// TestBundledSampleChecksums: the bundled sample (data/sample) is what `earlywarn gen --seed 7
// --cases 3000` writes, file for file, and data.Sample, by which a run recognises it for the
// demo key, lists exactly its files with their sizes and checksums.
func TestBundledSampleChecksums(t *testing.T) {
	dir := t.TempDir()
	if _, err := Generate(context.Background(), Config{Seed: 7, Cases: 3000}, dir, nil); err != nil {
		t.Fatal(err)
	}
	sum := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := sha256.Sum256(b)
		return hex.EncodeToString(s[:])
	}
	bundled, err := os.ReadDir("../sample")
	if err != nil {
		t.Fatal(err)
	}
	if len(bundled) != len(data.Sample) {
		t.Errorf("data/sample holds %d files, data.Sample lists %d", len(bundled), len(data.Sample))
	}
	for _, e := range bundled {
		i := slices.IndexFunc(data.Sample, func(f data.SampleFile) bool { return f.Name == e.Name() })
		if i < 0 {
			t.Errorf("data.Sample lacks data/sample/%s", e.Name())
			continue
		}
		want := data.Sample[i]
		for _, path := range []string{filepath.Join("../sample", e.Name()), filepath.Join(dir, e.Name())} {
			got := data.SampleFile{Name: e.Name(), SHA256: sum(path)}
			if st, err := os.Stat(path); err == nil {
				got.Size = st.Size()
			}
			if got != want {
				t.Errorf("%s: %+v, data.Sample says %+v (regenerate data/sample and the list)", path, got, want)
			}
		}
	}
}
