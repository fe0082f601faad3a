package table

// Format is how records are printed (--format); its values are the
// flag's words.
type Format string

const (
	Text     Format = "table"    // a terminal table
	Markdown Format = "markdown" // GitHub pipe tables
	CSV      Format = "csv"
	JSON     Format = "json"    // one JSON array, indented
	JSONL    Format = "jsonl"   // JSON Lines, a record a line
	HTML     Format = "html"    // report and ladder views
	SVG      Format = "svg"     // ladder view
	Parquet  Format = "parquet" // batch view, written by package batch

	// Raw asks RowOf for cells as they are, for a writer that escapes
	// them itself (MarkdownTable).
	Raw Format = ""
)
