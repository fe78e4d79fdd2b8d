package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dealwire/dealwire/extract"
)

// writeGold writes a small labelled corpus of this project's own sentences,
// spread over several hosts so that folds have something to split.
func writeGold(t *testing.T) string {
	t.Helper()
	companies := []string{"Acme", "Brightwater", "Corvid", "Dunlin", "Egret", "Fulmar", "Gannet", "Heron", "Ibis", "Jacana"}
	investors := []string{"Accel", "Index Ventures", "Balderton Capital", "Atomico", "Northzone"}
	var b strings.Builder
	for i, c := range companies {
		inv := investors[i%len(investors)]
		text := fmt.Sprintf("%s raised $%d million in a Series A led by %s.", c, 10+i, inv)
		doc := map[string]any{
			"id": fmt.Sprintf("t%02d", i), "url": fmt.Sprintf("https://news%d.example/story", i%4), "text": text,
			"deals": []map[string]any{{
				"company": c, "round": "series a",
				"amount":    map[string]any{"value": (10 + i) * 1000000, "currency": "USD", "text": fmt.Sprintf("$%d million", 10+i)},
				"investors": []map[string]any{{"name": inv, "lead": true, "amount": nil}},
				"capacity":  []any{},
			}},
			"prior_amounts": []any{}, "other_amounts": []any{},
		}
		line, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	p := filepath.Join(t.TempDir(), "gold.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTrainWritesAReadableDeterministicModel(t *testing.T) {
	gold := writeGold(t)
	dir := t.TempDir()
	var files [2][]byte
	for i := range files {
		out := filepath.Join(dir, fmt.Sprintf("w%d.tsv", i))
		var stdout, stderr bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
		if err := runTrain(t.Context(), e, []string{"--gold", gold, "--out", out}); err != nil {
			t.Fatalf("train: %v (stderr %s)", err, stderr.String())
		}
		if !strings.Contains(stdout.String(), "trained on 10 documents") {
			t.Errorf("summary = %q, want the document count", stdout.String())
		}
		if !strings.Contains(stderr.String(), "epoch") {
			t.Errorf("no progress on stderr: %q", stderr.String())
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		files[i] = b
		if _, err := extract.ReadModel(bytes.NewReader(b)); err != nil {
			t.Fatalf("the written weights do not read back: %v", err)
		}
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("two trainings on the same data wrote different weights")
	}
}

func TestTrainNeedsGold(t *testing.T) {
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
	if err := runTrain(t.Context(), e, nil); err == nil {
		t.Fatal("train without --gold succeeded")
	}
	if !strings.Contains(stderr.String(), "--gold") {
		t.Errorf("stderr %q does not name the missing flag", stderr.String())
	}
}

func TestEvalFolds(t *testing.T) {
	gold := writeGold(t)
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
	if err := runEval(t.Context(), e, []string{"--gold", gold, "--folds", "3"}); err != nil {
		t.Fatalf("eval: %v (stderr %s)", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"3 folds by host", "cross-validated", "raise", "headline"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

// The same seed gives the same table: training is deterministic whatever
// order of examples --seed picks.
func TestEvalFoldsSeed(t *testing.T) {
	gold := writeGold(t)
	run := func(seed string) string {
		var stdout, stderr bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
		if err := runEval(t.Context(), e, []string{"--gold", gold, "--folds", "3", "--seed", seed}); err != nil {
			t.Fatalf("eval --seed %s: %v (stderr %s)", seed, err, stderr.String())
		}
		return stdout.String()
	}
	a, b := run("7"), run("7")
	if a != b || !strings.Contains(a, "headline") {
		t.Errorf("eval --seed 7 twice gave\n%s\nand\n%s", a, b)
	}
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
	if err := runEval(t.Context(), e, []string{"--gold", gold, "--folds", "3", "--seed", "x"}); err == nil {
		t.Error("eval --seed x succeeded")
	}
}

func TestEvalFoldsNeedURLs(t *testing.T) {
	p := filepath.Join(t.TempDir(), "g.jsonl")
	if err := os.WriteFile(p, []byte(`{"id":"x","text":"Acme raised $5 million.","deals":[]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
	err := runEval(t.Context(), e, []string{"--gold", p, "--folds", "5"})
	if err == nil || !strings.Contains(err.Error(), "url") {
		t.Fatalf("eval --folds on documents without urls: err = %v, want one naming the url", err)
	}
}
