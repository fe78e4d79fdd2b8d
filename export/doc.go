// Package export writes resolved deals ([news.DealRecord]) as files that
// analysts load into spreadsheets, notebooks and databases: CSV, NDJSON or
// Parquet, with one row per deal ([DealRow]), per investor participation
// ([InvestorRow]) or per amount a source reported ([AmountRow]).
//
// In: an [index.Query] (the filters of a search) and a [Searcher], the
// deal index of either backend. Out: rows on an [io.Writer], streamed: the
// deals are read a page at a time through the index's cursor (keyset on
// SQLite, a point in time on Elasticsearch), the next page while this one
// is encoded and written, so memory stays flat whatever the number of
// rows. The SQLite index decodes only the parts of each stored deal that
// the kind of rows reads. Nothing is acked; the export only reads.
//
// Columns are named after the fields analysts know from deal databases
// (company, round, announced_on, money_raised, money_raised_currency_code,
// money_raised_usd, ...) and carry their provenance: the sources' URLs and
// outlets, the evidence sentence with its byte offsets into the article's
// text, the FX rate and the date of the table it comes from, the extractor
// version and the model's confidence. The struct tags of the row types are
// the column names of every format; README.md documents each column.
package export
