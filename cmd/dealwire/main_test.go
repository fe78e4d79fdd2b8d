package main

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
)

func TestHelpOnEveryCommand(t *testing.T) {
	for name, c := range commands {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out}
			err := dispatch(t.Context(), e, []string{name, "--help"})
			if !errors.Is(err, flag.ErrHelp) && err != nil {
				t.Fatalf("dealwire %s --help: %v", name, err)
			}
			if !strings.Contains(out.String(), "dealwire "+name) {
				t.Errorf("dealwire %s --help printed %q, want it to name the command", name, out.String())
			}
			_ = c
		})
	}
}

func TestUnknownCommand(t *testing.T) {
	var out bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out}
	if err := dispatch(t.Context(), e, []string{"frobnicate"}); !errors.Is(err, errUsage) {
		t.Fatalf("err = %v, want errUsage", err)
	}
	if !strings.Contains(out.String(), `unknown command "frobnicate"`) {
		t.Errorf("output %q does not name the unknown command", out.String())
	}
}
