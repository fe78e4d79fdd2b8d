package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealwire/dealwire/config"
	"github.com/dealwire/dealwire/config/configtest"
	"go.yaml.in/yaml/v3"
)

// This file checks the deployment files against the binary, since there is
// no Docker engine in CI: the Dockerfile's user, volume, environment and
// command, and every dealwire service of docker-compose.yml (its command
// line, flags and environment variables) with the built binary.

// envIsRead reports whether the configuration loader reads the variable
// name: setting it to value changes the loaded configuration or its error.
func envIsRead(t *testing.T, name, value string) bool {
	t.Helper()
	configtest.ClearEnv(t)
	base, baseErr := config.Load("")
	t.Setenv(name, value)
	got, err := config.Load("")
	os.Unsetenv(name)
	if (err == nil) != (baseErr == nil) || err != nil && err.Error() != baseErr.Error() {
		return true
	}
	return err == nil && !reflect.DeepEqual(base, got)
}

// checkCommandLine runs the built binary with args and --help, with no
// DEALWIRE_* variable set. A command line whose command and flags all exist
// prints its flags and exits 0 without doing anything; an unknown command or
// flag exits 2. Each flag in args must also be listed by --help.
func checkCommandLine(t *testing.T, bin string, args []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(slices.Clone(args), "--help")...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("dealwire %s --help: %v\n%s", strings.Join(args, " "), err, out)
		return
	}
	if !strings.Contains(string(out), "Flags:") {
		t.Errorf("dealwire %s --help printed no flags (did --help reach the command's flag parser?):\n%s", strings.Join(args, " "), out)
		return
	}
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !regexp.MustCompile(`(?m)^\s+-` + regexp.QuoteMeta(name) + `\b`).Match(out) {
			t.Errorf("dealwire %s: --help does not list flag -%s:\n%s", strings.Join(args, " "), name, out)
		}
	}
}

func TestDeployment(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	t.Run("Dockerfile", func(t *testing.T) { testDockerfile(t, bin) })
	t.Run("compose", func(t *testing.T) { testCompose(t, bin) })
}

// instruction is one Dockerfile instruction with its continuation lines joined.
type instruction struct {
	cmd  string // upper case
	args string
}

func parseDockerfile(t *testing.T, p string) [][]instruction {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var stages [][]instruction
	var cur strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if cur.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if strings.HasPrefix(line, "#") {
			continue // a comment inside a continued instruction
		}
		if strings.HasSuffix(line, `\`) {
			cur.WriteString(strings.TrimSuffix(line, `\`) + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		cur.Reset()
		in := instruction{strings.ToUpper(cmd), strings.TrimSpace(args)}
		if in.cmd == "FROM" {
			stages = append(stages, nil)
		}
		if len(stages) == 0 {
			t.Fatalf("%s: %s before FROM", p, in.cmd)
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return stages
}

// execForm reads a JSON exec-form argument list.
func execForm(t *testing.T, in instruction) []string {
	t.Helper()
	var out []string
	if err := json.Unmarshal([]byte(in.args), &out); err != nil {
		t.Fatalf("%s %s: want the exec form, a JSON list: %v", in.cmd, in.args, err)
	}
	return out
}

// copyArgs splits COPY arguments into its --flags, sources and destination.
func copyArgs(args string) (flags map[string]string, srcs []string, dst string) {
	flags = map[string]string{}
	fields := strings.Fields(args)
	for len(fields) > 0 && strings.HasPrefix(fields[0], "--") {
		k, v, _ := strings.Cut(strings.TrimPrefix(fields[0], "--"), "=")
		flags[k] = v
		fields = fields[1:]
	}
	if len(fields) == 0 {
		return flags, nil, ""
	}
	return flags, fields[:len(fields)-1], fields[len(fields)-1]
}

func testDockerfile(t *testing.T, bin string) {
	stages := parseDockerfile(t, "../../Dockerfile")
	if len(stages) < 2 {
		t.Fatalf("%d stages, want a build stage and a runtime stage", len(stages))
	}
	// The build stage's binary: go build -o OUT ./cmd/dealwire.
	built := ""
	for _, st := range stages[:len(stages)-1] {
		for _, in := range st {
			if m := regexp.MustCompile(`go build .*-o (\S+) \./cmd/dealwire\b`).FindStringSubmatch(in.args); in.cmd == "RUN" && m != nil {
				built = m[1]
			}
		}
	}
	if built == "" {
		t.Fatal("no build stage runs go build -o <file> ./cmd/dealwire")
	}

	final := stages[len(stages)-1]
	var user string
	var volumes, entrypoint, command []string
	env := map[string]string{}
	var copies []instruction
	for _, in := range final {
		switch in.cmd {
		case "USER":
			user = in.args
		case "VOLUME":
			if strings.HasPrefix(in.args, "[") {
				volumes = append(volumes, execForm(t, in)...)
			} else {
				volumes = append(volumes, strings.Fields(in.args)...)
			}
		case "ENV":
			for _, kv := range strings.Fields(in.args) {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					t.Fatalf("ENV %s: want NAME=value", in.args)
				}
				env[k] = strings.Trim(v, `"`)
			}
		case "ENTRYPOINT":
			entrypoint = execForm(t, in)
		case "CMD":
			command = execForm(t, in)
		case "COPY":
			copies = append(copies, in)
		}
	}

	uid, _, _ := strings.Cut(user, ":")
	if uid == "" || uid == "root" || uid == "0" {
		t.Errorf("runtime stage runs as user %q, want a non-root user", user)
	}

	dataDir := env["DEALWIRE_DATA_DIR"]
	if !path.IsAbs(dataDir) {
		t.Fatalf("runtime stage sets DEALWIRE_DATA_DIR=%q, want an absolute path (the default, ./data, is relative to the working directory)", dataDir)
	}
	if !slices.Contains(volumes, dataDir) {
		t.Errorf("VOLUME %v does not declare the data directory %s", volumes, dataDir)
	}
	owned := false
	for _, c := range copies {
		flags, _, dst := copyArgs(c.args)
		owner, _, _ := strings.Cut(flags["chown"], ":")
		if path.Clean(dst) == dataDir && owner == uid {
			owned = true
		}
	}
	if !owned {
		t.Errorf("no COPY --chown=%s creates %s: the user could not write to a fresh volume there", uid, dataDir)
	}

	// The binary reads the variables the image sets, and puts its state in
	// the volume.
	for name, value := range env {
		if strings.HasPrefix(name, "DEALWIRE_") && !envIsRead(t, name, value) {
			t.Errorf("ENV %s: the configuration loader does not read it", name)
		}
	}
	configtest.ClearEnv(t)
	for name, value := range env {
		t.Setenv(name, value)
	}
	c, err := config.Load("")
	if err != nil {
		t.Fatalf("the image's environment does not load: %v", err)
	}
	for what, p := range map[string]string{"data_dir": c.DataDir, "sqlite.path": c.SQLite.Path, "nats.embedded.store_dir": c.NATS.Embedded.StoreDir} {
		if p != dataDir && !strings.HasPrefix(p, dataDir+"/") {
			t.Errorf("in the image %s is %s, outside the volume %s", what, p, dataDir)
		}
	}

	// ENTRYPOINT is the binary the build stage made; CMD runs "dealwire run".
	if len(entrypoint) != 1 {
		t.Fatalf("ENTRYPOINT %q, want the binary alone", entrypoint)
	}
	found := false
	for _, c := range copies {
		flags, srcs, dst := copyArgs(c.args)
		if flags["from"] != "" && slices.Contains(srcs, built) && dst == entrypoint[0] {
			found = true
		}
	}
	if !found {
		t.Errorf("ENTRYPOINT %s is not where a COPY --from puts the built %s", entrypoint[0], built)
	}
	if len(command) == 0 || command[0] != "run" {
		t.Errorf("CMD %q, want dealwire run", command)
	}
	checkCommandLine(t, bin, command)
}

// composeFile is the part of docker-compose.yml the test reads.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Configs  map[string]struct {
		Content string `yaml:"content"`
	} `yaml:"configs"`
}

type composeService struct {
	Image       string            `yaml:"image"`
	Build       any               `yaml:"build"`
	Command     []string          `yaml:"command"`
	Environment map[string]string `yaml:"environment"`
	Profiles    []string          `yaml:"profiles"`
	Configs     []struct {
		Source string `yaml:"source"`
		Target string `yaml:"target"`
	} `yaml:"configs"`
	Deploy struct {
		Replicas int `yaml:"replicas"`
	} `yaml:"deploy"`
}

// readEnvFile reads NAME=value lines.
func readEnvFile(t *testing.T, p string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: %q is not NAME=value", p, line)
		}
		out[k] = v
	}
	return out
}

// interpolate does what docker compose does to the file's text with the
// variables of env: ${NAME}, ${NAME:-default}, ${NAME:?error}; $$ is a
// literal $. A variable that is neither in env nor has a default fails the
// test, as ${NAME:?} would fail docker compose.
func interpolate(t *testing.T, text string, env map[string]string) string {
	t.Helper()
	const dollar = "\x00"
	text = strings.ReplaceAll(text, "$$", dollar)
	re := regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-?])([^}]*))?\}`)
	text = re.ReplaceAllStringFunc(text, func(m string) string {
		s := re.FindStringSubmatch(m)
		if v, ok := env[s[1]]; ok && (v != "" || s[2] != "-") {
			return v
		}
		if s[2] == "-" {
			return s[3]
		}
		t.Errorf("docker-compose.yml uses ${%s}, which .env.example does not set", s[1])
		return ""
	})
	return strings.ReplaceAll(text, dollar, "$")
}

func testCompose(t *testing.T, bin string) {
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	envFile := readEnvFile(t, "../../.env.example")
	var cf composeFile
	if err := yaml.Unmarshal([]byte(interpolate(t, string(raw), envFile)), &cf); err != nil {
		t.Fatalf("parsing docker-compose.yml: %v", err)
	}
	gitignore, err := os.ReadFile("../../.gitignore")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^/?\.env$`).Match(gitignore) {
		t.Error(".gitignore does not ignore .env, which holds the compose passwords")
	}

	// The NATS cluster: three JetStream servers with distinct names, one
	// cluster name, each routing to all three; the stages know all three.
	var natsNodes []string
	clusterNames := map[string]bool{}
	for name, s := range cf.Services {
		if !strings.HasPrefix(s.Image, "nats:") {
			continue
		}
		natsNodes = append(natsNodes, name)
		flags := map[string]string{}
		for i, a := range s.Command {
			if strings.HasPrefix(a, "--") {
				flags[a] = ""
				if i+1 < len(s.Command) && !strings.HasPrefix(s.Command[i+1], "--") {
					flags[a] = s.Command[i+1]
				}
			}
		}
		if _, ok := flags["--jetstream"]; !ok {
			t.Errorf("%s: no --jetstream", name)
		}
		if flags["--name"] != name {
			t.Errorf("%s: --name %q, want the service name", name, flags["--name"])
		}
		clusterNames[flags["--cluster_name"]] = true
		routes := strings.Split(flags["--routes"], ",")
		for _, n := range []string{"nats-1", "nats-2", "nats-3"} {
			if !slices.Contains(routes, "nats://"+n+":6222") {
				t.Errorf("%s: --routes %q does not reach %s", name, flags["--routes"], n)
			}
		}
	}
	slices.Sort(natsNodes)
	if !slices.Equal(natsNodes, []string{"nats-1", "nats-2", "nats-3"}) || len(clusterNames) != 1 || clusterNames[""] {
		t.Errorf("NATS services %v in clusters %v, want nats-1, nats-2 and nats-3 in one named cluster", natsNodes, clusterNames)
	}

	// Elasticsearch with security on, its passwords from the env file.
	es := cf.Services["elasticsearch"]
	if es.Environment["xpack.security.enabled"] != "true" {
		t.Errorf("elasticsearch: xpack.security.enabled %q, want true", es.Environment["xpack.security.enabled"])
	}
	if pw := es.Environment["ELASTIC_PASSWORD"]; pw == "" || pw != envFile["ELASTIC_PASSWORD"] {
		t.Errorf("elasticsearch: ELASTIC_PASSWORD %q does not come from the env file", pw)
	}
	if k := cf.Services["kibana"]; !slices.Contains(k.Profiles, "kibana") {
		t.Errorf("kibana: profiles %v, want it under the optional profile kibana", k.Profiles)
	}

	// The stages: every service of the dealwire image.
	stages := map[string]composeService{}
	for name, s := range cf.Services {
		if s.Build != nil || s.Image == "dealwire" {
			stages[name] = s
		}
	}
	for _, name := range []string{"fetch", "extract", "index", "serve", "alerts"} {
		if _, ok := stages[name]; !ok {
			t.Errorf("no %s service of the dealwire image", name)
		}
	}
	if r := stages["extract"].Deploy.Replicas; r != 2 {
		t.Errorf("extract: %d replicas, want 2", r)
	}
	for name, s := range stages {
		t.Run(name, func(t *testing.T) {
			if len(s.Command) == 0 {
				t.Fatal("no command: the image would run dealwire run, not a stage")
			}
			checkCommandLine(t, bin, s.Command)
			for k, v := range s.Environment {
				probe := v
				if probe == "" {
					probe = "probe-value-0123456789"
				}
				if !envIsRead(t, k, probe) {
					t.Errorf("environment %s: the configuration loader does not read it", k)
				}
			}
			// The service's whole configuration, as the container gets it.
			configtest.ClearEnv(t)
			for k, v := range s.Environment {
				t.Setenv(k, v)
			}
			cfgPath := ""
			if i := slices.Index(s.Command, "--config"); i >= 0 && i+1 < len(s.Command) {
				for _, c := range s.Configs {
					if c.Target == s.Command[i+1] {
						cfgPath = filepath.Join(t.TempDir(), "config.yaml")
						if err := os.WriteFile(cfgPath, []byte(cf.Configs[c.Source].Content), 0o600); err != nil {
							t.Fatal(err)
						}
					}
				}
				if cfgPath == "" {
					t.Fatalf("--config %s is not a config the service mounts", s.Command[i+1])
				}
			}
			c, err := config.Load(cfgPath)
			if err != nil {
				t.Fatalf("the service's configuration does not load: %v", err)
			}
			if c.NATS.Replicas != 3 || c.Ingest.StateReplicas != 3 || c.Deals.Replicas != 3 || c.Dedup.Replicas != 3 {
				t.Errorf("replicas: streams %d, feed state %d, deals %d, dedup %d; want 3 on the cluster",
					c.NATS.Replicas, c.Ingest.StateReplicas, c.Deals.Replicas, c.Dedup.Replicas)
			}
			for _, n := range natsNodes {
				if !strings.Contains(c.NATS.URL, "nats://"+n+":4222") {
					t.Errorf("nats.url %q does not list %s", c.NATS.URL, n)
				}
			}
			if !c.UseElasticsearch() || c.Elasticsearch.Username == "" || c.Elasticsearch.Password == "" {
				t.Errorf("elasticsearch %v as %q: want the compose node, with a user and a password", c.Elasticsearch.URLs, c.Elasticsearch.Username)
			}
			if name == "alerts" && len(c.Alerts.Rules) == 0 {
				t.Error("the alerts service has no rule: dealwire alerts run would exit")
			}
		})
	}
}
