// Package config is the configuration of one dealwire process: the YAML
// file (configs/dealwire.yaml documents every field), then DEALWIRE_*
// environment overrides, then the command's flag overrides, then defaults
// (some derived from data_dir), validated once.
//
// In: a file path (or $DEALWIRE_CONFIG) and the environment. Out: a
// [Config] whose parts are the Config structs of the packages that use
// them, handed down by the binary; no package reads configuration itself.
// The package also builds what every process derives from the
// configuration alone: the logger ([Config.NewLogger]) and the one FX table
// ([Config.FXTable]).
//
// The shipped data files (example configuration, feed list, FX table) are
// package [github.com/dealwire/dealwire/configs]; this package reads files,
// it ships none.
package config
