// Package configs holds dealwire's shipped data and example configuration:
// the example config file, the default feed list, the investor gazetteer, the
// FX table and the Elasticsearch mapping. The files are embedded so that the
// binary works from any directory; a user can point the config at their own copies.
package configs

import "embed"

// Files holds every data file in this directory.
//
//go:embed *.yaml *.tsv *.json
var Files embed.FS
