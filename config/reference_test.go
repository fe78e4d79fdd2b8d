package config

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealwire/dealwire/config/configtest"
	"go.yaml.in/yaml/v3"
)

const referencePath = "../configs/dealwire.yaml"

// configKeys walks t by reflection and returns the dotted YAML key of every
// field the loader reads. Fields of list elements (ingest.feeds[].url) are
// returned separately: the reference shows them in a comment, since their
// default is an empty list. Untagged exported fields are reported, because
// the YAML decoder would read them under a name nobody chose.
func configKeys(t *testing.T, typ reflect.Type, prefix string, keys, elemKeys map[string]bool, inElem bool) {
	t.Helper()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if name == "" {
			t.Errorf("%s.%s (%s) has no yaml tag", typ, f.Name, prefix)
			continue
		}
		key := prefix + name
		if inElem {
			elemKeys[key] = true
		} else {
			keys[key] = true
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft.Kind() == reflect.Struct && ft != reflect.TypeOf(time.Time{}):
			configKeys(t, ft, key+".", keys, elemKeys, inElem)
		case (ft.Kind() == reflect.Slice || ft.Kind() == reflect.Array) && ft.Elem().Kind() == reflect.Struct:
			configKeys(t, ft.Elem(), key+"[].", keys, elemKeys, true)
		}
	}
}

// yamlKeys returns the dotted key of every mapping key in n.
func yamlKeys(n *yaml.Node, prefix string, out map[string]bool) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			yamlKeys(c, prefix, out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := prefix + n.Content[i].Value
			out[key] = true
			yamlKeys(n.Content[i+1], key+".", out)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			yamlKeys(c, strings.TrimSuffix(prefix, ".")+"[].", out)
		}
	}
}

// TestConfigReferenceListsEveryField fails when a field of the configuration
// structs is missing from configs/dealwire.yaml, or when the reference has a
// key that no struct reads.
func TestConfigReferenceListsEveryField(t *testing.T) {
	ref, err := os.ReadFile(referencePath)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(ref, &doc); err != nil {
		t.Fatalf("parsing %s: %v", referencePath, err)
	}
	inRef := map[string]bool{}
	yamlKeys(&doc, "", inRef)

	keys, elemKeys := map[string]bool{}, map[string]bool{}
	configKeys(t, reflect.TypeOf(Config{}), "", keys, elemKeys, false)
	if len(keys) < 50 {
		t.Fatalf("found %d config keys by reflection; the walk is broken", len(keys))
	}

	for _, k := range sortedKeys(keys) {
		if !inRef[k] {
			t.Errorf("configs/dealwire.yaml does not list %s", k)
		}
	}
	for _, k := range sortedKeys(inRef) {
		if !keys[k] && !elemKeys[k] {
			t.Errorf("configs/dealwire.yaml lists %s, which no config struct reads", k)
		}
	}
	// A list's element fields are documented in the comments beside the
	// list (an example entry), so their names must appear as "name:".
	for _, k := range sortedKeys(elemKeys) {
		field := k[strings.LastIndex(k, ".")+1:]
		if !regexp.MustCompile(`(^|[\s{,#-])` + regexp.QuoteMeta(field) + `:`).Match(ref) {
			t.Errorf("configs/dealwire.yaml does not show %s (as %q in an example entry)", k, field+":")
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestConfigReferenceShowsDefaults checks the reference's claim that it
// shows every field with its default: loading it gives the configuration of
// no file at all (but for the feed list it names). Where the loader leaves a
// field zero for its package to default, any value passes here.
func TestConfigReferenceShowsDefaults(t *testing.T) {
	configtest.ClearEnv(t)
	t.Chdir("..")
	ref, err := Load("configs/dealwire.yaml")
	if err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty.yaml")
	if err := os.WriteFile(empty, []byte("feeds_file: configs/feeds.yaml\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	def, err := Load(empty)
	if err != nil {
		t.Fatal(err)
	}
	compareDefaults(t, "", reflect.ValueOf(*ref), reflect.ValueOf(*def))
}

func compareDefaults(t *testing.T, path string, ref, def reflect.Value) {
	t.Helper()
	if ref.Kind() == reflect.Struct && ref.Type() != reflect.TypeOf(time.Time{}) {
		for i := range ref.NumField() {
			f := ref.Type().Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			compareDefaults(t, path+name+".", ref.Field(i), def.Field(i))
		}
		return
	}
	if def.IsZero() || (def.Kind() == reflect.Slice && def.Len() == 0 && ref.Len() == 0) {
		return
	}
	if !reflect.DeepEqual(ref.Interface(), def.Interface()) {
		t.Errorf("configs/dealwire.yaml: %s is %v, the default is %v", strings.TrimSuffix(path, "."), ref.Interface(), def.Interface())
	}
}
