package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHostFolds(t *testing.T) {
	docs := []GoldDoc{
		{ID: "a", URL: "https://news.example/one"},
		{ID: "b", URL: "https://news.example/two"},
		{ID: "c", URL: "https://wire.example/three"},
	}
	fold, err := HostFolds(docs, 5)
	if err != nil {
		t.Fatal(err)
	}
	if fold(docs[0]) != fold(docs[1]) {
		t.Errorf("two documents of one outlet in folds %d and %d", fold(docs[0]), fold(docs[1]))
	}
	for _, d := range docs {
		if f := fold(d); f < 0 || f >= 5 {
			t.Errorf("%s: fold %d outside 0..4", d.ID, f)
		}
	}
	if _, err := HostFolds(docs, 1); err == nil {
		t.Error("one fold accepted")
	}
	if _, err := HostFolds([]GoldDoc{{ID: "x", URL: "no host"}}, 5); err == nil || !strings.Contains(err.Error(), "document x") {
		t.Errorf("a document without a host: %v, want an error naming it", err)
	}
}

func TestTrainedWriteFileReadsBack(t *testing.T) {
	docs, names, err := ReadGoldFiles([]string{"testdata/general.jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) == 0 || len(names) != 1 || !strings.Contains(names[0], "general.jsonl") {
		t.Fatalf("read %d documents, names %q", len(docs), names)
	}
	path := filepath.Join(t.TempDir(), "weights.tsv")
	if err := Train(docs, TrainOptions{Epochs: 1}).WriteFile(path, names); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := ReadModel(f)
	if err != nil {
		t.Fatalf("reading the written weights: %v", err)
	}
	if !m.tasks[taskName].trained {
		t.Error("the name task came back untrained")
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("temporary file left behind: %v", err)
	}
}
