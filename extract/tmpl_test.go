package extract

import "testing"

// TestTemplateHandles checks that a feature added through a resolved
// template has the hash and, while training, the name that featSet.add
// gives it, for every resolved template.
func TestTemplateHandles(t *testing.T) {
	if len(tmpls) < 50 {
		t.Fatalf("%d resolved templates, want the name and figure features' (at least 50)", len(tmpls))
	}
	seen := map[string]bool{}
	for _, tm := range tmpls {
		if seen[tm.name] {
			t.Errorf("template %q resolved twice", tm.name)
		}
		seen[tm.name] = true
		for _, v := range []string{"", "1", "led", "<s>", "société", "a somewhat longer value"} {
			byName, byHandle := featSet{train: true}, featSet{train: true}
			byName.add(tm.name, v)
			byHandle.addT(tm, v)
			byName.add2(tm.name, v, "by")
			byHandle.add2T(tm, v, "by")
			byName.flag(tm.name, v == "1")
			byHandle.flagT(tm, v == "1")
			if len(byName.h) != len(byHandle.h) {
				t.Fatalf("%s=%s: %d features by name, %d by handle", tm.name, v, len(byName.h), len(byHandle.h))
			}
			for i := range byName.h {
				if byName.h[i] != byHandle.h[i] || byName.names[i] != byHandle.names[i] {
					t.Errorf("%s=%s: %x %q by name, %x %q by handle", tm.name, v, byName.h[i], byName.names[i], byHandle.h[i], byHandle.names[i])
				}
			}
		}
	}
}
