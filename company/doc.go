// Package company normalises company names: the one list of legal-form
// suffixes ("Inc", "GmbH", "S.A.") and the normal form under which two
// names are one company ([Key]: "The Acme Robotics, Inc." and "Acme
// Robotics" are both "acme robotics").
//
// In: a name as written in a text. Out: its words ([Tokens]) or their
// joined form ([Key]). Deal resolution ([deals]) groups reports by it and
// alert rules match companies by it. The suffix list is the union of the
// lists deal resolution and the extractor had. The extractor keeps its own
// comparison key and its subset of the list (extract/words/name.tsv, class
// legal), since both are features of its trained models: with this list its
// cross-validated scores change. Standard library only, so any package may
// import it.
package company
