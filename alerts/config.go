package alerts

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/dealwire/dealwire/news"
)

// Sink types.
const (
	SinkWebhook = "webhook"
	SinkEmail   = "email"
	SinkNATS    = "nats"
	SinkAtom    = "atom"
	SinkLog     = "log"
)

// Config is the alerts section of the configuration file: the rules and how
// the alerts stage runs. The zero value has no rules; the stage then idles.
type Config struct {
	// Rules are evaluated on every deal record, each independently.
	Rules []RuleConfig `yaml:"rules"`
	// Workers is how many deal records are evaluated at once (default 2).
	Workers int `yaml:"workers"`
	// SendWorkers is how many alerts are delivered at once (default 4): a
	// slow sink holds one of them, the others keep delivering.
	SendWorkers int `yaml:"send_workers"`
	// StateBucket is the key-value bucket of the per rule and deal state
	// (default dealwire_alerts).
	StateBucket string `yaml:"state_bucket"`
	// FeedBucket is the key-value bucket holding the Atom feeds' entries
	// (default dealwire_alert_feed).
	FeedBucket string `yaml:"feed_bucket"`
	// FeedEntries is how many entries each rule's Atom feed keeps, 1 to 64
	// (default 50): the bucket keeps them as the history of one key.
	FeedEntries int `yaml:"feed_entries"`
}

// RuleConfig is one alert rule: conditions on a deal, all of which must
// hold, and where its alerts go.
type RuleConfig struct {
	// Name identifies the rule in state, metrics, the feed URL
	// (/alerts/<name>.atom) and "dealwire alerts test": lower-case letters,
	// digits, '-' and '_'.
	Name string `yaml:"name"`
	// Query is matched against the deal's company, round, investors,
	// acquirer, evidence sentences and source titles; see [ParseQuery].
	Query string `yaml:"query"`
	// AmountMin is the least amount raised, e.g. "20m", "1.5bn", 2500000,
	// in AmountCurrency (default USD). A deal in another currency is
	// compared by its approximate value in that currency (FX table).
	AmountMin      string `yaml:"amount_min"`
	AmountCurrency string `yaml:"amount_currency"`
	// ValuationMin and ValuationCurrency do the same for the valuation.
	ValuationMin      string `yaml:"valuation_min"`
	ValuationCurrency string `yaml:"valuation_currency"`
	// Investors: some investor of the deal has one of these names, as
	// written or canonical (case-insensitive). LeadInvestors: the same, and
	// it leads.
	Investors     []string `yaml:"investors"`
	LeadInvestors []string `yaml:"lead_investors"`
	// Rounds: the deal's round is one of these ("seed", "series b", "debt"...).
	Rounds []string `yaml:"rounds"`
	// Companies: the deal's company is one of these (normalised: case,
	// punctuation and legal suffixes do not matter).
	Companies []string `yaml:"companies"`
	// Sources: some source of the deal is one of these feeds (by name).
	Sources []string `yaml:"sources"`
	// CapacityMin is the least power figure of the deal: "500MW", "2GW", watts.
	CapacityMin string `yaml:"capacity_min"`
	// MinConfidence is the least confidence of the deal, 0 to 1. As in
	// searches, a deal the model did not score (confidence 0) passes.
	MinConfidence float64 `yaml:"min_confidence"`
	// Sinks are where the rule's alerts go; at least one.
	Sinks []SinkConfig `yaml:"sinks"`
}

// SinkConfig is one destination of a rule's alerts. Type selects which of
// the other fields apply.
type SinkConfig struct {
	// Type is webhook, email, nats, atom or log.
	Type string `yaml:"type"`
	// Name tells two sinks of one rule apart in state and metrics; default
	// the type.
	Name string `yaml:"name"`

	// URL (webhook) receives a POST per alert.
	URL string `yaml:"url"`
	// Format (webhook) is "json" (default: the alert, signed) or "slack" (a
	// Slack-compatible {"text": ...} body, for Slack, Mattermost, Rocket.Chat).
	Format string `yaml:"format"`
	// Secret (webhook) keys the HMAC-SHA256 signature; better SecretEnv, the
	// name of an environment variable holding it. Required for format json.
	Secret    string `yaml:"secret"`
	SecretEnv string `yaml:"secret_env"`
	// Timeout (webhook, email) bounds one attempt; default 10s.
	Timeout time.Duration `yaml:"timeout"`
	// Tries (webhook) is how many requests one delivery makes, with a
	// backoff of 0.5s, 1s, 2s... between them; default 3.
	Tries int `yaml:"tries"`

	// SMTPAddr (email) is the relay's host:port. STARTTLS is used when the
	// relay offers it; RequireTLS refuses to send without it.
	SMTPAddr    string   `yaml:"smtp_addr"`
	From        string   `yaml:"from"`
	To          []string `yaml:"to"`
	Username    string   `yaml:"username"`
	Password    string   `yaml:"password"`
	PasswordEnv string   `yaml:"password_env"`
	RequireTLS  bool     `yaml:"require_tls"`
	// CAFile (email) is a PEM file of the CA that signs the relay's
	// certificate, when it is not one the system trusts.
	CAFile string `yaml:"ca_file"`

	// Subject (nats) is where the alert's JSON is published; through
	// JetStream when a stream captures it.
	Subject string `yaml:"subject"`

	// MaxDeliveries is how many deliveries of one alert to this sink fail
	// before it goes to the dead-letter subject dealwire.dead.alerts_send
	// with its reason (default 5; a refusal that retrying cannot fix, such
	// as a 4xx answer, goes there at once). Redeliveries wait 1s, 2s, 4s...
	MaxDeliveries int `yaml:"max_deliveries"`
}

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Workers == 0 {
		c.Workers = 2
	}
	if c.SendWorkers == 0 {
		c.SendWorkers = 4
	}
	if c.StateBucket == "" {
		c.StateBucket = "dealwire_alerts"
	}
	if c.FeedBucket == "" {
		c.FeedBucket = "dealwire_alert_feed"
	}
	if c.FeedEntries == 0 {
		c.FeedEntries = 50
	}
	for i := range c.Rules {
		r := &c.Rules[i]
		for j := range r.Sinks {
			s := &r.Sinks[j]
			s.Type = strings.ToLower(strings.TrimSpace(s.Type))
			if s.Name == "" {
				s.Name = s.Type
			}
			if s.Format == "" && s.Type == SinkWebhook {
				s.Format = "json"
			}
			if s.Timeout == 0 {
				s.Timeout = 10 * time.Second
			}
			if s.Tries == 0 {
				s.Tries = 3
			}
			if s.MaxDeliveries == 0 {
				s.MaxDeliveries = 5
			}
		}
	}
	return c
}

// Validate reports every field that is wrong, each named by its path in the
// configuration file. It also checks that the secrets named by *_env
// variables are set.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("alerts."+format, a...)) }
	if c.Workers < 1 || c.SendWorkers < 1 {
		bad("workers and alerts.send_workers must be at least 1")
	}
	if c.FeedEntries < 1 || c.FeedEntries > 64 {
		bad("feed_entries %d: want 1 to 64", c.FeedEntries)
	}
	seen := map[string]bool{}
	for i, r := range c.Rules {
		at := fmt.Sprintf("rules[%d]", i)
		if !validName(r.Name) {
			bad("%s.name %q: want lower-case letters, digits, '-' and '_', starting with a letter or digit", at, r.Name)
		} else if seen[r.Name] {
			bad("%s.name %q: two rules have this name", at, r.Name)
		}
		seen[r.Name] = true
		if _, err := Compile(r, nil); err != nil {
			bad("%s (%s): %v", at, r.Name, err)
		}
		if len(r.Sinks) == 0 {
			bad("%s (%s).sinks: a rule needs at least one sink (webhook, email, nats, atom or log)", at, r.Name)
		}
		sinks := map[string]bool{}
		for j, s := range r.Sinks {
			sat := fmt.Sprintf("%s.sinks[%d]", at, j)
			if !validName(s.Name) {
				bad("%s.name %q: want lower-case letters, digits, '-' and '_'", sat, s.Name)
			} else if sinks[s.Name] {
				bad("%s.name %q: two sinks of rule %s have this name; give them names", sat, s.Name, r.Name)
			}
			sinks[s.Name] = true
			if err := s.validate(); err != nil {
				bad("%s (%s): %v", sat, s.Type, err)
			}
		}
	}
	return errors.Join(errs...)
}

func (s SinkConfig) validate() error {
	if s.MaxDeliveries < 1 || s.Tries < 1 || s.Timeout <= 0 {
		return errors.New("max_deliveries, tries and timeout must be positive")
	}
	switch s.Type {
	case SinkWebhook:
		u, err := url.Parse(s.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("url %q: want an http or https URL", s.URL)
		}
		if s.Format != "json" && s.Format != "slack" {
			return fmt.Errorf("format %q: want json or slack", s.Format)
		}
		if s.SecretEnv != "" && os.Getenv(s.SecretEnv) == "" {
			return fmt.Errorf("secret_env names %s, which is not set: export it, or remove secret_env", s.SecretEnv)
		}
		if s.Format == "json" && s.secret() == "" {
			return errors.New("a json webhook needs a signing secret: set secret_env to the name of an environment variable holding it (e.g. openssl rand -hex 32)")
		}
	case SinkEmail:
		if s.SMTPAddr == "" || !strings.Contains(s.SMTPAddr, ":") {
			return fmt.Errorf("smtp_addr %q: want host:port", s.SMTPAddr)
		}
		if _, err := mail.ParseAddress(s.From); err != nil {
			return fmt.Errorf("from %q: %w", s.From, err)
		}
		if len(s.To) == 0 {
			return errors.New("to: want at least one address")
		}
		for _, a := range s.To {
			if _, err := mail.ParseAddress(a); err != nil {
				return fmt.Errorf("to %q: %w", a, err)
			}
		}
		if s.PasswordEnv != "" && os.Getenv(s.PasswordEnv) == "" {
			return fmt.Errorf("password_env names %s, which is not set: export it, or remove password_env", s.PasswordEnv)
		}
		if (s.Username == "") != (s.password() == "") {
			return errors.New("username and password (or password_env) go together")
		}
	case SinkNATS:
		if s.Subject == "" || strings.ContainsAny(s.Subject, " \t*>") {
			return fmt.Errorf("subject %q: want a subject without spaces or wildcards", s.Subject)
		}
		for _, taken := range []string{news.ArticleSubjects, news.RecordSubjects, news.DealSubjects, news.DeadSubjects, sendSubjects} {
			if strings.HasPrefix(s.Subject, strings.TrimSuffix(taken, ">")) {
				return fmt.Errorf("subject %q falls in dealwire's own %s: pick another", s.Subject, taken)
			}
		}
	case SinkAtom, SinkLog:
	default:
		return fmt.Errorf("type %q: want webhook, email, nats, atom or log", s.Type)
	}
	return nil
}

// secret is the webhook's signing secret: from SecretEnv when set, else Secret.
func (s SinkConfig) secret() string {
	if s.SecretEnv != "" {
		return os.Getenv(s.SecretEnv)
	}
	return s.Secret
}

// password is the SMTP password: from PasswordEnv when set, else Password.
func (s SinkConfig) password() string {
	if s.PasswordEnv != "" {
		return os.Getenv(s.PasswordEnv)
	}
	return s.Password
}

// validName reports whether s is a rule or sink name: it becomes a key
// token in the state bucket, a subject token and a URL path element.
func validName(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '-' || s[0] == '_' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Rule returns the rule named name, or false.
func (c Config) Rule(name string) (RuleConfig, bool) {
	for _, r := range c.Rules {
		if r.Name == name {
			return r, true
		}
	}
	return RuleConfig{}, false
}
