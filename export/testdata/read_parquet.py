"""Reads a Parquet file with pyarrow, an implementation independent of the
Go writer, and prints its schema, then every row, as JSON lines:

    {"schema": {"column": "pyarrow type", ...}}
    {"column": value, ...}

Dates and timestamps are printed in ISO 8601, lists as arrays, nulls as null.
Used by export's tests: python3 read_parquet.py FILE
"""
import datetime
import json
import sys

import pyarrow.parquet as pq


def plain(v):
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


table = pq.read_table(sys.argv[1])
print(json.dumps({"schema": {f.name: str(f.type) for f in table.schema}}))
for row in table.to_pylist():
    print(json.dumps({k: plain(v) for k, v in row.items()}, ensure_ascii=False))
