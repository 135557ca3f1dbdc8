package textclass

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// toy is a separable set: complaints about water, wages and schools, in varied wording.
func toy() Set {
	var s Set
	water := []string{"小区停水三天了", "自来水管道破裂漏水", "水压太低，楼上没有水", "水费收费不合理，水表不准", "停水没有通知，自来水公司不管"}
	wages := []string{"公司拖欠工资半年", "老板欠薪不还，农民工工资", "工地拖欠农民工工资", "单位不发工资也不交社保", "讨要工资无果，欠薪"}
	school := []string{"学校乱收补课费", "孩子入学难，学位不够", "小学老师体罚学生", "学校食堂卫生差，学生吃不饱", "中学违规补课收费"}
	for i := range water {
		s.Add(water[i], "供水")
		s.Add(wages[i], "欠薪")
		s.Add(school[i], "教育")
	}
	return s
}

func TestLearnsSeparableSet(t *testing.T) {
	s := toy()
	held := map[string]string{"我家又停水了，自来水没有": "供水", "包工头拖欠我们的工资": "欠薪", "学校补课收费太高": "教育"}
	for _, kind := range Kinds {
		t.Run(kind, func(t *testing.T) {
			o := DefaultOptions()
			o.Kind, o.Features.MinDF, o.Features.Weighting = kind, 1, ""
			m, err := Train(s.Texts, s.Labels, o)
			if err != nil {
				t.Fatal(err)
			}
			for i, text := range s.Texts {
				if p := m.Predict(text); p.Class != s.Labels[i] {
					t.Errorf("training text %q: predicted %s, labelled %s", text, p.Class, s.Labels[i])
				}
			}
			for text, want := range held {
				p := m.Predict(text)
				if p.Class != want || p.Confidence <= 1.0/3 || p.Confidence > 1 {
					t.Errorf("%q: predicted %s (confidence %.3f), want %s with more than 1/3", text, p.Class, p.Confidence, want)
				}
				if len(p.Words) == 0 {
					t.Errorf("%q: no words behind the prediction", text)
				}
			}
		})
	}
}

func TestTrainingIsDeterministic(t *testing.T) {
	s := toy()
	for _, kind := range Kinds {
		o := DefaultOptions()
		o.Kind, o.Features.MinDF = kind, 1
		a, b := save(t, train(t, s, o)), save(t, train(t, s, o))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two trainings on the same texts wrote different model files", kind)
		}
	}
}

func TestModelFileRoundTrips(t *testing.T) {
	s := toy()
	for _, f := range []Features{{MinN: 1, MaxN: 3, MinDF: 1}, {MinN: 2, MaxN: 4, Buckets: 1 << 10}} {
		o := DefaultOptions()
		o.Features = f
		m := train(t, s, o)
		m.Temperature = 3.5
		b := save(t, m)
		back, err := Load(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(save(t, back), b) {
			t.Errorf("%+v: the model read back saves differently", f)
		}
		for _, text := range append(s.Texts, "完全无关的一句话", "") {
			p, q := m.Predict(text), back.Predict(text)
			if p.Class != q.Class || p.Confidence != q.Confidence || strings.Join(p.Words, ",") != strings.Join(q.Words, ",") {
				t.Errorf("%+v %q: trained %+v, read back %+v", f, text, p, q)
			}
		}
	}
}

func TestLoadRejectsOtherFiles(t *testing.T) {
	good := save(t, train(t, toy(), Options{Features: Features{MinN: 1, MaxN: 2, MinDF: 1}}))
	edit := func(f func(map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return b
	}
	var version *VersionError
	var corrupt *CorruptError
	for _, c := range []struct {
		name string
		file []byte
		is   func(error) bool
	}{
		{"empty", nil, func(err error) bool { return errors.Is(err, ErrNotModel) }},
		{"not JSON", []byte("classes: [a, b]\n"), func(err error) bool { return errors.Is(err, ErrNotModel) }},
		{"other JSON", []byte(`{"version": 1, "classes": ["a", "b"]}`), func(err error) bool { return errors.Is(err, ErrNotModel) }},
		{"truncated", good[:len(good)/2], func(err error) bool { return errors.As(err, &corrupt) }},
		{"version 2", edit(func(m map[string]any) { m["version"] = 2 }), func(err error) bool { return errors.As(err, &version) && version.Got == 2 }},
		{"a weight row short", edit(func(m map[string]any) { w := m["weights"].([]any); w[1] = w[1].([]any)[1:] }), func(err error) bool { return errors.As(err, &corrupt) }},
		{"a class missing", edit(func(m map[string]any) { m["classes"] = m["classes"].([]any)[1:] }), func(err error) bool { return errors.As(err, &corrupt) }},
		{"unknown kind", edit(func(m map[string]any) { m["kind"] = "svm" }), func(err error) bool { return errors.As(err, &corrupt) }},
		{"weights not numbers", edit(func(m map[string]any) { m["weights"] = "many" }), func(err error) bool { return errors.As(err, &corrupt) }},
		{"negative temperature", edit(func(m map[string]any) { m["temperature"] = -1 }), func(err error) bool { return errors.As(err, &corrupt) }},
	} {
		_, err := Load(bytes.NewReader(c.file))
		if err == nil || !c.is(err) {
			t.Errorf("%s: got %v", c.name, err)
		}
	}
}

func TestTrainRefusesOneClass(t *testing.T) {
	if _, err := Train([]string{"a", "b"}, []string{"x", "x"}, DefaultOptions()); !errors.Is(err, ErrTooFewClasses) {
		t.Errorf("one class: got %v", err)
	}
}

func TestFoldsAreStratified(t *testing.T) {
	var labels []string
	for c, n := range map[string]int{"a": 23, "b": 7, "c": 5, "d": 61} {
		for range n {
			labels = append(labels, c)
		}
	}
	folds := Folds(labels, 5, 9)
	per := map[string][5]int{}
	for i, l := range labels {
		n := per[l]
		n[folds[i]]++
		per[l] = n
	}
	for l, n := range per {
		lo, hi := n[0], n[0]
		for _, x := range n {
			lo, hi = min(lo, x), max(hi, x)
		}
		if hi-lo > 1 {
			t.Errorf("class %s spread over the folds as %v", l, n)
		}
	}
	if fmt.Sprint(Folds(labels, 5, 9)) != fmt.Sprint(folds) || fmt.Sprint(Folds(labels, 5, 10)) == fmt.Sprint(folds) {
		t.Error("folds do not follow the seed")
	}
}

func TestCalibrationFitsTheTemperature(t *testing.T) {
	s := toy()
	ev, err := CrossValidate(s, Set{}, Options{Features: Features{MinN: 1, MaxN: 2, MinDF: 1}}, 5, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ev.MacroF1 < 0.6 {
		t.Errorf("macro-F1 %.3f in cross-validation of a separable set", ev.MacroF1)
	}
	temp := ev.Calibrate()
	if !(temp > 0.001 && temp < 1e5) {
		t.Errorf("temperature %g", temp)
	}
	for _, p := range ev.Predictions {
		if !(p.Confidence > 0 && p.Confidence <= 1) {
			t.Errorf("confidence %g", p.Confidence)
		}
	}
}

func train(t *testing.T, s Set, o Options) *Model {
	t.Helper()
	m, err := Train(s.Texts, s.Labels, o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func save(t *testing.T, m *Model) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := m.Save(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestPhrasesJoinTouchingGrams(t *testing.T) {
	got := phrases([]rune("申请劳动仲裁委员会仲裁，最低工资"), []string{"劳动仲", "仲裁委", "最低", "工资"}, 3)
	if want := []string{"劳动仲裁委", "最低工资"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
