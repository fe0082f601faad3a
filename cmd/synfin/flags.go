package main

import (
	"errors"
	"io"
	"strconv"

	"github.com/spf13/pflag"

	"github.com/synfin/synfin/internal/graph"
	"github.com/synfin/synfin/internal/lab"
	"github.com/synfin/synfin/internal/views"
)

// options are the command line: the views' Options, and what main
// answers itself.
type options struct {
	views.Options
	schema, showVersion bool
	jobsSet             bool // -j given: batch then takes it, not every core
}

// variantFlag is one of the flags that choose the lab's variant; it reads
// as a bool flag, and records itself in LabOptions.Chosen.
type variantFlag struct {
	o  *views.LabOptions
	is lab.Variant
}

func (f variantFlag) String() string   { return "false" }
func (f variantFlag) Type() string     { return "bool" }
func (f variantFlag) IsBoolFlag() bool { return true }
func (f variantFlag) Set(s string) error {
	on, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("must be true or false")
	}
	f.o.Chosen[f.is] = on // the last of a flag given twice decides, as for any bool flag
	return nil
}

// newFlagSet defines every flag of every view; the views check which
// they take.
func newFlagSet(o *options, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet("synfin", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	d := views.Defaults()
	fs.StringVarP((*string)(&o.Format), "format", "f", string(d.Format), "output `FORMAT`: table, markdown, csv, json, jsonl; html for report and ladder, svg for ladder and graph (default: from -o's extension, else table)")
	fs.StringVarP(&o.Output, "output", "o", "", "write output to `FILE` instead of standard output (written whole to a temporary file, then renamed into place; never one of the inputs)")
	fs.BoolVar(&o.Force, "force", false, "let -o overwrite a file that is a capture")
	fs.StringSliceVar(&o.Hosts, "host", nil, "only connections with this `IP` at either end (repeatable)")
	fs.IntSliceVar(&o.Ports, "port", nil, "only connections with this `PORT` at either end (repeatable)")
	fs.IntSliceVarP(&o.Conns, "conn", "c", nil, "only connection number `N` (repeatable)")
	fs.StringSliceVar(&o.States, "state", nil, "only connections in Zeek `STATE` (SF, S0, REJ, …; repeatable)")
	fs.StringVar(&o.SortBy, "sort", d.SortBy, "sort tables by `COLUMN` (any column name of the view; prefix - for descending)")
	fs.IntVar(&o.Limit, "limit", 0, "print at most `N` connections (0: all)")
	fs.StringVar(&o.Lang, "lang", d.Lang, "language of headers, labels and explanations, `LANG`: en or zh (Simplified Chinese)")
	fs.StringVar(&o.Batch.Resume, "resume", "", "batch: record finished captures in `MANIFEST` and skip those it names")
	fs.StringVar(&o.Batch.Shard, "shard", "", "batch: take share `I/N` of the inputs, for N machines running the same command")
	fs.StringVar(&o.Batch.ShardBy, "shard-by", "size", "batch: how --shard divides the inputs, `HOW`: size (balance bytes; every machine must list the same files) or path (a hash of each path alone)")
	fs.StringVar(&o.Batch.Rotate, "rotate", "", "batch: with a numbered -o (conns-%04d.parquet), start the next file after `ROWS,DURATION` (either or both; default 1000000,10m)")
	fs.BoolVar(&o.Batch.SummaryOnly, "summary-only", false, "batch: no records, a table of the captures read")
	fs.BoolVar(&o.App, "app", false, "application hints from the first payload bytes: HTTP request and status, TLS version, SNI and ALPN, SSH banners")
	for _, v := range []struct {
		name, usage string
		is          lab.Variant
	}{
		{"server-close", "lab: the server closes first", lab.ServerClose},
		{"reset", "lab: the client aborts with RST (SO_LINGER 0)", lab.Reset},
		{"half-close", "lab: the client shuts down its sending side, the server goes on sending", lab.HalfClose},
		{"refused", "lab: connect to a port nothing listens on", lab.Refused},
	} {
		fs.VarPF(variantFlag{&o.Lab, v.is}, v.name, "", v.usage).NoOptDefVal = "true"
	}
	fs.StringVarP(&o.Lab.Write, "write", "w", "", "lab: write the capture to `FILE` (pcapng, opens in Wireshark)")
	fs.StringVar(&o.Streams, "streams", "", "write each direction's payload, in sequence order, to a file in `DIR` (tcpflow style; gaps listed in .gaps files)")
	fs.StringVar((*string)(&o.Graph), "kind", string(graph.TimeSeq), "graph: `KIND` tseq (time-sequence), rtt, window or throughput")
	fs.BoolVar(&o.Packets, "packets", false, "list the packets with Wireshark's tcp.analysis flags (retransmission, duplicate ACK, …) instead of connections")
	fs.BoolVar(&o.Wide, "wide", false, "terminal tables and ladders whole, however wide (by default tables shorten long addresses and ladders wrap their notes to fit the terminal)")
	fs.BoolVar(&o.Draw.ASCII, "ascii", false, "ladder: draw with ASCII instead of Unicode box drawing")
	fs.BoolVar(&o.Draw.RawSeq, "raw-seq", false, "ladder: raw sequence numbers instead of relative ones")
	fs.BoolVar(&o.Draw.Full, "full", false, "ladder: every packet, without folding long data phases")
	fs.IntVarP(&o.Jobs, "jobs", "j", d.Jobs, "captures analysed at once (batch: all cores unless given)")
	fs.IntVar(&o.Workers, "workers", 0, "`N` goroutines tracking one large capture's connections, each owning some of its 64 shards (1 to 64; 0, the default: one a core shared among --jobs, or 1, in stages, on one or two cores); any N gives the same output")
	fs.DurationVar(&o.IdleTimeout, "idle-timeout", d.IdleTimeout, "finish a connection silent this long in capture time")
	fs.DurationVar(&o.Linger, "linger", d.Linger, "keep a closed connection this long in capture time for late packets before writing its record; 0: write it as it closes (live captures through a pipe)")
	fs.IntVar(&o.MaxConns, "max-conns", d.MaxConns, "at most `N` connections open at once (from 65536 up, N/64 in each of 64 shards, by address); beyond, the longest idle are finished early")
	fs.BoolVar(&o.NoProgress, "no-progress", false, "never show progress on standard error")
	fs.BoolVarP(&o.Quiet, "quiet", "q", false, "no notes on standard error, only errors")
	fs.BoolVar(&o.schema, "schema", false, "print the JSON Schema of the records and exit")
	fs.BoolVarP(&o.showVersion, "version", "v", false, "print the version and exit")
	fs.BoolVar(&o.JA4T, "ja4t", false, "add FoxIO JA4T/JA4TS fingerprints of the SYN and SYN-ACK to records (FoxIO License 1.1; off by default)")
	fs.SortFlags = false
	return fs
}
