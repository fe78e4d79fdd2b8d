package extract

import (
	"bytes"
	"strings"
	"testing"
)

func readGeneral(t *testing.T) []GoldDoc {
	t.Helper()
	docs, err := ReadGoldFile("testdata/general.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func TestTrainIsDeterministic(t *testing.T) {
	docs := readGeneral(t)[:60]
	var out [2]bytes.Buffer
	for i := range out {
		m := Train(docs, TrainOptions{Epochs: 3})
		if err := m.Write(&out[i], "test"); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(out[0].Bytes(), out[1].Bytes()) {
		t.Fatal("the same documents and options trained different weights")
	}
	m, err := ReadModel(&out[0])
	if err != nil {
		t.Fatalf("reading written weights: %v", err)
	}
	for task := range taskClasses {
		if !m.tasks[task].trained {
			t.Errorf("task %s has no weights after training", task)
		}
	}
}

func TestReadModelErrors(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"columns", "amount\tbias=1\n", "3 tab-separated columns"},
		{"task", "nosuch\tbias=1\t0 0\n", "unknown task"},
		{"weights", "power\tbias=1\t0.1\n", "want 2 weights"},
		{"number", "power\tbias=1\t0.1 x\n", "invalid syntax"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadModel(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// An untrained model leaves every decision to the rules.
func TestEmptyModelKeepsRules(t *testing.T) {
	empty, err := ReadModel(strings.NewReader("# nothing\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range readGeneral(t)[:40] {
		a, b := ExtractWith(g.Text, empty), ExtractWith(g.Text, nil)
		if len(a.Deals) != len(b.Deals) {
			t.Fatalf("%s: empty model gives %d deals, rules alone %d", g.ID, len(a.Deals), len(b.Deals))
		}
	}
}

func TestFoldIgnoresWWWAndCase(t *testing.T) {
	if Fold("www.Example.com", 5) != Fold("example.com", 5) {
		t.Error("www. and case change the fold of a host")
	}
	seen := map[int]bool{}
	for _, h := range []string{"a.com", "b.org", "c.net", "d.io", "e.de", "f.fr", "g.es", "h.it", "i.se", "j.nl", "k.no", "l.pt"} {
		f := Fold(h, 5)
		if f < 0 || f >= 5 {
			t.Fatalf("Fold(%s) = %d, outside [0,5)", h, f)
		}
		seen[f] = true
	}
	if len(seen) < 3 {
		t.Errorf("12 hosts fell in only %d folds", len(seen))
	}
}

// Every deal and fact the committed model decides carries a confidence in
// (0, 1].
func TestConfidenceOnEveryDeal(t *testing.T) {
	for _, g := range readGeneral(t) {
		for _, dl := range Extract(g.Text).Deals {
			if dl.Confidence <= 0 || dl.Confidence > 1 {
				t.Errorf("%s: deal %s has confidence %v", g.ID, dl.Company, dl.Confidence)
			}
			if dl.Amount != nil && (dl.Amount.Confidence <= 0 || dl.Amount.Confidence > 1) {
				t.Errorf("%s: amount %s has confidence %v", g.ID, dl.Amount.Text, dl.Amount.Confidence)
			}
		}
	}
}

func TestFeatHash2(t *testing.T) {
	for _, tt := range [][3]string{{"w-21", "led", "by"}, {"x", "", ""}, {"order_dist", "name_first", "4-7"}} {
		if featHash2(tt[0], tt[1], tt[2]) != featHash(tt[0], tt[1]+" "+tt[2]) {
			t.Errorf("featHash2(%q, %q, %q) differs from the hash of the joined value", tt[0], tt[1], tt[2])
		}
	}
}

// A document that names the tasks it trains adds examples to those only,
// so that the other models train on the same examples in the same order.
func TestTrainTasks(t *testing.T) {
	g := GoldDoc{Text: "Tavora Labs raised $5 million from Quillfield Capital and Brookmere Ventures."}
	all := Train([]GoldDoc{g}, TrainOptions{Epochs: 1}).Examples
	g.Tasks = []string{taskName}
	only := Train([]GoldDoc{g}, TrainOptions{Epochs: 1}).Examples
	if all[taskAmount] == 0 || all[taskName] == 0 {
		t.Fatalf("the document trains no amount or name example: %v", all)
	}
	for task, n := range only {
		want := 0
		if task == taskName {
			want = all[taskName]
		}
		if n != want {
			t.Errorf("with Tasks [%s], task %s has %d examples, want %d", taskName, task, n, want)
		}
	}
}
