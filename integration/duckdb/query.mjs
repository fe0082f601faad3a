// query.mjs runs one SQL query in an in-memory DuckDB and prints its rows
// as JSON: the tests of synfin's Parquet (cmd/synfin/duckdb_test.go) read
// them. DuckDB comes from npm (@duckdb/node-api), so synfin's own module
// stays pure Go; `npm ci` here installs it.
import { DuckDBInstance } from '@duckdb/node-api';

const sql = process.argv[2];
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const reader = await con.runAndReadAll(sql);
console.log(JSON.stringify(reader.getRowObjectsJson()));
