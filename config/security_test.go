package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecurityConfig checks that the NATS credentials and TLS files and the
// HTTP token come from the file or the environment, the environment winning,
// and that conflicting settings are refused when the configuration loads.
func TestSecurityConfig(t *testing.T) {
	envNames := []string{
		"DEALWIRE_NATS_URL", "DEALWIRE_NATS_CREDS", "DEALWIRE_NATS_NKEY", "DEALWIRE_NATS_TOKEN", "DEALWIRE_NATS_USER",
		"DEALWIRE_NATS_PASSWORD", "DEALWIRE_NATS_TLS_CA", "DEALWIRE_NATS_TLS_CERT", "DEALWIRE_NATS_TLS_KEY", "DEALWIRE_HTTP_TOKEN",
	}
	tests := []struct {
		name    string
		yaml    string
		env     map[string]string
		check   func(*Config) string // returns what is wrong, or ""
		wantErr string
	}{
		{
			name: "environment",
			env: map[string]string{
				"DEALWIRE_NATS_URL": "tls://nats.example:4222", "DEALWIRE_NATS_NKEY": "/run/secrets/user.nk",
				"DEALWIRE_NATS_TLS_CA": "/etc/nats/ca.pem", "DEALWIRE_NATS_TLS_CERT": "/etc/nats/client.pem",
				"DEALWIRE_NATS_TLS_KEY": "/etc/nats/client-key.pem", "DEALWIRE_HTTP_TOKEN": "env-token-0123456789abcdef",
			},
			check: func(c *Config) string {
				n := c.NATS
				if n.NKeyFile != "/run/secrets/user.nk" || n.TLS.CAFile != "/etc/nats/ca.pem" || n.TLS.CertFile != "/etc/nats/client.pem" ||
					n.TLS.KeyFile != "/etc/nats/client-key.pem" || c.HTTP.Token != "env-token-0123456789abcdef" {
					return "fields not set from the environment"
				}
				return ""
			},
		},
		{
			name: "file",
			yaml: "nats:\n  url: nats://n:4222\n  creds_file: /etc/nats/user.creds\n  tls:\n    ca_file: /etc/nats/ca.pem\nhttp:\n  token: file-token-0123456789abcdef\n",
			check: func(c *Config) string {
				if c.NATS.CredsFile != "/etc/nats/user.creds" || c.NATS.TLS.CAFile != "/etc/nats/ca.pem" || c.HTTP.Token != "file-token-0123456789abcdef" {
					return "fields not read from the file"
				}
				return ""
			},
		},
		{
			name: "environment over file",
			yaml: "http:\n  token: file-token-0123456789abcdef\n",
			env:  map[string]string{"DEALWIRE_HTTP_TOKEN": "env-token-0123456789abcdef"},
			check: func(c *Config) string {
				if c.HTTP.Token != "env-token-0123456789abcdef" {
					return "the file's token won"
				}
				return ""
			},
		},
		{
			name:    "token and user",
			env:     map[string]string{"DEALWIRE_NATS_URL": "nats://n:4222", "DEALWIRE_NATS_TOKEN": "t", "DEALWIRE_NATS_USER": "u", "DEALWIRE_NATS_PASSWORD": "p"},
			wantErr: "nats.token and nats.user/nats.password are all set: use one way to authenticate",
		},
		{
			name:    "credentials for the embedded server",
			env:     map[string]string{"DEALWIRE_NATS_TOKEN": "t"},
			wantErr: "nats.url is empty: the embedded server takes neither",
		},
		{
			name:    "client certificate without its key",
			env:     map[string]string{"DEALWIRE_NATS_URL": "nats://n:4222", "DEALWIRE_NATS_TLS_CERT": "/etc/nats/client.pem"},
			wantErr: "nats.tls.cert_file and nats.tls.key_file go together",
		},
		{
			name:    "short http token",
			env:     map[string]string{"DEALWIRE_HTTP_TOKEN": "secret"},
			wantErr: "http.token has 6 characters, want at least 16",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DEALWIRE_CONFIG", "")
			for _, name := range envNames {
				t.Setenv(name, "")
				os.Unsetenv(name) // t.Setenv restores it; an empty variable would still override
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			path := ""
			if tt.yaml != "" {
				path = filepath.Join(t.TempDir(), "c.yaml")
				if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			c, err := Load(path, DataDir(t.TempDir()))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if msg := tt.check(c); msg != "" {
				t.Errorf("%s: nats %+v, http token set %v", msg, c.NATS, c.HTTP.Token != "")
			}
		})
	}
}
