package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
)

func TestBundledSampleSaysItNeedsNoKey(t *testing.T) {
	cfg := configs.Default()
	cfg.Input = "../../" + bundledSample
	files, err := Resolve(cfg, time.Time{})
	if err != nil || len(files) != 3 || files[0].Pseudonymisation != keyNotNeeded {
		t.Fatalf("%v %+v", err, files)
	}
	// Through a profile with personal fields, the bundled sample folder runs on the demo key
	// and the run record says so; any other folder refuses.
	cfg.Profile = "../../configs/profiles/xinfang-office-gb18030.yaml"
	files, err = Resolve(cfg, time.Time{})
	if err != nil || len(files) == 0 || files[0].Pseudonymisation != keyDemo || !strings.Contains(keyDemo, "DEMO KEY") {
		t.Errorf("sample through a profile: %v %+v", err, files)
	}
	cfg.Input = "../../cmd/earlywarn/testdata/tiny"
	if _, err := Resolve(cfg, time.Time{}); err == nil || !strings.Contains(err.Error(), "key_env") {
		t.Errorf("another folder without a key: %v", err)
	}
	if !isBundledSample("../../data/sample") || isBundledSample("../../data/samples") || isBundledSample("/tmp/x") {
		t.Error("isBundledSample")
	}
}
