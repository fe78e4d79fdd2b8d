// Package export writes resolved deals ([news.DealRecord]) as files that
// analysts load into spreadsheets, notebooks and databases: CSV, NDJSON or
// Parquet, with one row per deal ([DealRow]), per investor participation
// ([InvestorRow]) or per amount a source reported ([AmountRow]).
//
// In: an [index.Query] (the filters of a search) and a [Searcher], the
// deal index of either backend. Out: rows on an [io.Writer], streamed: the
// deals are read a page at a time through the index's cursor (keyset on
// SQLite, a point in time on Elasticsearch) and every page is encoded and
// written before the next is read, so memory stays flat whatever the number
// of rows. Nothing is acked; the export only reads.
//
// Columns are named after the fields analysts know from deal databases
// (company, round, announced_on, money_raised, money_raised_currency_code,
// money_raised_usd, ...) and carry their provenance: the sources' URLs and
// outlets, the evidence sentence with its byte offsets into the article's
// text, the FX rate and the date of the table it comes from, the extractor
// version and the model's confidence. The struct tags of the row types are
// the column names of every format; README.md documents each column.
package export
