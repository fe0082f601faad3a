package msg

// The command line's own messages: notes, warnings and errors a person
// reads on standard error. Kept apart from the views' words so that the
// two grow without treading on each other; TestEveryKeyInEveryLanguage
// holds them to both languages as it does the rest.
var cliMessages = map[string]text{
	// How every line on standard error begins, after "synfin: ".
	"cli.error": {"error: %s", "错误：%s"},
	"cli.note":  {"note: %s", "提示：%s"},
	"cli.usage": {"Usage: synfin [VIEW] [flags] INPUT...   (more: synfin --help; try: synfin demo)", "用法：synfin [视图] [选项] 输入...   （详见 synfin --help；试试 synfin demo）"},

	// Flags and their values.
	"cli.lang":           {"--lang %s: synfin speaks en and zh", "--lang %s：synfin 只支持 en 和 zh"},
	"cli.flag.unknown":   {"unknown flag --%s (synfin --help lists them)", "没有 --%s 这个选项（synfin --help 列出全部选项）"},
	"cli.flag.near":      {"unknown flag --%s; did you mean --%s?", "没有 --%s 这个选项；是不是想用 --%s？"},
	"cli.flag.shorthand": {"unknown flag -%s (in -%s)", "没有 -%s 这个选项（见 -%s）"},
	"cli.flag.needs":     {"%s needs a value", "%s 需要一个值"},
	"cli.flag.syntax":    {"%s: not a flag synfin can read", "%s：无法识别的选项写法"},
	"cli.flag.whole":     {"%s %q: want a whole number", "%s %q：需要一个整数"},
	"cli.flag.large":     {"%s %s: too large (at most %d)", "%s %s：太大（最大 %d）"},
	"cli.flag.small":     {"%s %s: too small (at least %d)", "%s %s：太小（最小 %d）"},
	"cli.flag.duration":  {"%s %q: want a duration such as 90s, 10m or 2h", "%s %q：需要一个时长，例如 90s、10m 或 2h"},
	"cli.flag.bool":      {"%s=%s: want true or false", "%s=%s：只能是 true 或 false"},
	"cli.flag.value":     {"%s %q: not a value it takes", "%s %q：不是它接受的值"},
	"cli.limit":          {"--limit %d: want 0 (all) or more", "--limit %d：需要 0（全部）或更大的数"},
	"cli.jobs":           {"--jobs %d: at least one capture must be analysed at a time", "--jobs %d：每次至少要分析一个抓包文件"},
	"cli.idle":           {"--idle-timeout %s: want a positive duration, such as 2h", "--idle-timeout %s：需要一个正的时长，例如 2h"},
	"cli.linger":         {"--linger %s: want 0 (write each record as its connection closes) or a positive duration, such as 60s", "--linger %s：需要 0（连接关闭时立即写出记录）或一个正的时长，例如 60s"},
	"cli.workers":        {"--workers %d: want 1 to %d (the shards a capture's connections are split into), or 0 for the default (one a core; 1 on one or two cores)", "--workers %d：需要 1 到 %d（抓包中的连接被分成的分片数），或 0 表示默认值（每个 CPU 核一个；一两个核时为 1）"},
	"cli.maxconns":       {"--max-conns must be at least 1", "--max-conns 至少为 1"},
	"cli.port":           {"--port %d: want 0 to 65535", "--port %d：需要 0 到 65535"},
	"cli.conn":           {"--conn %d: connections are numbered from 0", "--conn %d：连接从 0 开始编号"},
	"cli.state":          {"--state %s: want one of Zeek's states: %s", "--state %s：需要 Zeek 的连接状态之一：%s"},
	"cli.host":           {"--host %q is not an IP address", "--host %q 不是 IP 地址"},
	"cli.variant":        {"choose one of --server-close, --reset, --half-close, --refused", "--server-close、--reset、--half-close、--refused 只能选一个"},
	"cli.view.unknown":   {"unknown view %q; did you mean %q?", "没有 %q 这个视图；是不是想用 %q？"},
	"cli.graph.tty":      {"the graph is SVG, not text: use -o graph.svg, or -f csv for its points", "图是 SVG 而非文本：请用 -o graph.svg 写入文件，或用 -f csv 列出数据点"},
	"cli.graph.nodata":   {"%s: connection %d carries no data: there is no data phase to draw", "%s：连接 %d 不含数据，没有数据阶段可画"},
	"cli.kind":           {"--kind %s: want tseq, rtt, window or throughput", "--kind %s：需要 tseq、rtt、window 或 throughput"},
	"cli.completion":     {"completion %s: want bash, zsh or fish (synfin completion bash > /etc/bash_completion.d/synfin)", "completion %s：需要 bash、zsh 或 fish（synfin completion bash > /etc/bash_completion.d/synfin）"},
	"cli.view.nohelp":    {"no view %q", "没有 %q 这个视图"},
	"cli.sort.near":      {"--sort %s: no such column in the %s view; did you mean %s? (%s)", "--sort %s：%s 视图没有这一列；是不是想用 %s？（可选：%s）"},
	"cli.sort.none":      {"--sort %s: no such column in the %s view (%s)", "--sort %s：%s 视图没有这一列（可选：%s）"},

	// A flag out of its view, a format a view does not write.
	"cli.scope.one":      {"--%s is a %s flag, not one of %s: synfin %s %s …", "--%s 是 %s 视图的选项，不属于 %s：synfin %s %s …"},
	"cli.scope.many":     {"--%s is not read by the %s view; it is for %s", "%[2]s 视图不使用 --%[1]s；用到它的视图：%[3]s"},
	"cli.scope.none":     {"--%s is not a flag of the %s view", "--%s 不是 %s 视图的选项"},
	"cli.scope.packets":  {"--%s does not apply to --packets, which lists packets in frame order; --packets takes -f, -o and the filters", "--%s 不适用于 --packets：它按帧序列出报文，只接受 -f、-o 和筛选选项"},
	"cli.scope.streams":  {"--limit does not apply to --streams, which writes each connection as it finishes; choose connections with -c, --host, --port or --state", "--limit 不适用于 --streams：后者在每个连接结束时就写出；请用 -c、--host、--port 或 --state 选择连接"},
	"cli.scope.app":      {"--%s adds fields to records, which -f %s does not show: use -f jsonl or json (batch: jsonl or parquet)", "--%s 会在记录中加入字段，而 -f %s 不显示这些字段：请用 -f jsonl 或 json（batch：jsonl 或 parquet）"},
	"cli.scope.wide":     {"--wide is for terminal tables and ladders (-f table), not -f %s", "--wide 只用于终端表格和时序图（-f table），不用于 -f %s"},
	"cli.scope.ascii":    {"--ascii is for text ladders (-f table or markdown), not -f %s", "--ascii 只用于文本时序图（-f table 或 markdown），不用于 -f %s"},
	"cli.format.unknown": {"--format %s: no such format; the %s view writes %s", "--format %s：没有这种格式；%s 视图可输出 %s"},
	"cli.format.wrong":   {"%s: the %s view writes %s, not %s", "%s：%s 视图可输出 %s，不能输出 %s"},
	"cli.format.from":    {"%s (%s comes from %s)", "%s（%s 由 %s 输出）"},
	"cli.format.parquet": {"%s: Parquet is written by synfin batch (synfin batch -o conns.parquet INPUT...)", "%s：Parquet 由 synfin batch 输出（synfin batch -o conns.parquet 输入...）"},
	"cli.list.or":        {"%s or %s", "%s 或 %s"},
	"cli.list.sep":       {", ", "、"},
	"cli.summaryonly":    {"--summary-only writes no records, so --resume has nothing to record: run them apart", "--summary-only 不写出记录，--resume 也就无可记录：请分开运行"},

	// Inputs.
	"cli.noinput":       {"no input: name capture files, directories, or - for standard input", "没有输入：请给出抓包文件、目录，或用 - 表示标准输入"},
	"cli.noinput.batch": {"no input: name capture files, archives, directories or globs", "没有输入：请给出抓包文件、归档、目录或通配符"},
	"cli.stdin.twice":   {"- (standard input) is named twice: it can be read once", "- （标准输入）出现了两次：它只能读取一次"},
	"cli.stdin.batch":   {"batch reads files, not standard input", "batch 读取文件，不读取标准输入"},
	"cli.stdin.error":   {"standard input: %s", "标准输入：%s"},
	"cli.demo.noinput":  {"demo takes no input files", "demo 不接受输入文件"},
	"cli.lab.noinput":   {"lab makes its own connection and takes no input files", "lab 自己建立连接，不接受输入文件"},
	"cli.lab.needroot":  {"synfin lab captures loopback traffic with an AF_PACKET socket, which needs root or CAP_NET_RAW: run it with sudo, or try synfin demo, which explains a recorded capture", "synfin lab 用 AF_PACKET 套接字在回环接口上抓包，需要 root 或 CAP_NET_RAW 权限：请用 sudo 运行，或试试 synfin demo，它讲解一个录好的抓包"},
	"cli.lab.failed":    {"lab: %s", "lab：%s"},
	"cli.oneconn":       {"-c: the graph view draws one connection; give one -c N, not %d", "-c：graph 视图只画一个连接；请只给一个 -c N，而不是 %d 个"},
	"cli.onefile":       {"the %s view takes connections of one capture; name one file", "%s 视图只处理一个抓包中的连接；请只给出一个文件"},
	"cli.noconn":        {"%s: no connection %d (synfin conns lists them, numbered from 0)", "%s：没有编号为 %d 的连接（synfin conns 列出全部连接，从 0 编号）"},

	// Output.
	"cli.write":           {"writing output: %s", "写出结果时出错：%s"},
	"cli.write.w":         {"-w: %s", "-w：%s"},
	"cli.streams":         {"--streams: %s", "--streams：%s"},
	"cli.out.input":       {"-o %s is also an input: writing it would erase the capture before it is read; choose another output file", "-o %s 同时也是输入：写入它会在读取之前抹掉这个抓包；请换一个输出文件"},
	"cli.out.same":        {"-o %s is the input %s (the same file): writing it would erase the capture before it is read; choose another output file", "-o %s 就是输入 %s（同一个文件）：写入它会在读取之前抹掉这个抓包；请换一个输出文件"},
	"cli.out.capture":     {"-o %s is a capture (or a compressed file): synfin will not overwrite it; choose another output file, or add --force", "-o %s 是一个抓包（或压缩文件）：synfin 不会覆盖它；请换一个输出文件，或加上 --force"},
	"cli.out.foreign":     {"-o %s: synfin does not write %s files; this writes %s, so name it %s (or choose the format with -f)", "-o %s：synfin 不输出 %s 文件；这里输出的是 %s，请命名为 %s（或用 -f 选择格式）"},
	"cli.out.series":      {"-o %s: a numbered output has one number, %%d or %%04d (%%%% for a percent sign), in the file's name", "-o %s：编号输出的文件名中只能有一个编号 %%d 或 %%04d（百分号写作 %%%%）"},
	"cli.out.seriesview":  {"-o %s: numbered files are written by synfin batch only; this view writes one file", "-o %s：只有 synfin batch 写编号文件；这个视图只写一个文件"},
	"cli.out.seriesthere": {"-o %s: %s is there already; a numbered series is continued only with --resume (its manifest names what the files hold), or remove the old files", "-o %s：%s 已存在；编号系列只能用 --resume 续写（清单记着这些文件里有什么），或先删掉旧文件"},
	"cli.rotate":          {"--rotate %s: want ROWS, DURATION or both, e.g. 1000000, 10m or 1000000,10m", "--rotate %s：应为行数、时长或两者，例如 1000000、10m 或 1000000,10m"},
	"cli.shardby":         {"--shard-by chooses how --shard divides the inputs: give --shard I/N too", "--shard-by 选择 --shard 如何划分输入：请同时给出 --shard I/N"},
	"cli.rotate.series":   {"--rotate closes one numbered file and starts the next: give -o a number, e.g. -o conns-%%04d.parquet", "--rotate 写满一个编号文件再开下一个：请在 -o 中加编号，例如 -o conns-%%04d.parquet"},
	"cli.series.summary":  {"--summary-only writes no records, so -o %s has no numbered files to write", "--summary-only 不写出记录，-o %s 也就没有编号文件可写"},
	"cli.out.mismatch":    {"-o %s names %s, but this writes %s: name it %s, or give -f %s", "-o %s 的扩展名表示 %s，但这里输出的是 %s：请命名为 %s，或加上 -f %s"},
	"cli.fmt.table":       {"a text table", "文本表格"},
	"cli.fmt.markdown":    {"Markdown", "Markdown"},
	"cli.fmt.jsonl":       {"JSON Lines", "JSON Lines"},
	"cli.fmt.parquet":     {"Parquet", "Parquet"},

	// Batch.
	"cli.batch.records":    {"batch writes records as jsonl, csv or parquet, not %s (--summary-only prints a table)", "batch 以 jsonl、csv 或 parquet 输出记录，不能输出 %s（--summary-only 输出表格）"},
	"cli.batch.format":     {"batch writes jsonl, csv or parquet, not %s", "batch 输出 jsonl、csv 或 parquet，不能输出 %s"},
	"cli.batch.parquetout": {"Parquet needs a file: -o out.parquet", "Parquet 需要写入文件：-o out.parquet"},
	"cli.batch.append":     {"-o %s: a Parquet file cannot be appended to, so --resume writes Parquet as numbered files: -o %s (DuckDB reads them together with read_parquet('%s'))", "-o %s：Parquet 文件不能追加，所以 --resume 把 Parquet 写成编号文件：-o %s（DuckDB 可用 read_parquet('%s') 一起读取）"},
	"cli.batch.done":       {"batch: %s in %s%s: %d read, %d with problems, %d skipped as done; %s, %s; %.1f s%s", "batch：%[2]s中共 %[1]s%[3]s：读取 %[4]d 个，有问题 %[5]d 个，已完成而跳过 %[6]d 个；%[7]s，%[8]s；%.1[9]f 秒%[10]s"},
	"cli.n.capture.one":    {"1 capture", "1 个抓包"},
	"cli.n.capture":        {"%d captures", "%d 个抓包"},
	"cli.n.input.one":      {"1 input", "1 个输入"},
	"cli.n.input":          {"%d inputs", "%d 个输入"},
	"cli.n.packet.one":     {"1 packet", "1 个报文"},
	"cli.n.packet":         {"%d packets", "%d 个报文"},
	"cli.n.connection.one": {"1 connection", "1 个连接"},
	"cli.n.connection":     {"%d connections", "%d 个连接"},
	"cli.n.otherfile.one":  {"1 other file", "1 个其他文件"},
	"cli.n.otherfile":      {"%d other files", "%d 个其他文件"},
	"cli.batch.others":     {" (%s skipped, not captures)", "（另有 %s不是抓包，已跳过）"},
	"cli.batch.stopped":    {"; interrupted: the output holds every capture finished before, and --resume continues", "；已中断：输出中包含此前完成的每个抓包，--resume 可接着运行"},
	"cli.nomatch.one":      {"note: no connection matches %s (%d in the capture)", "提示：没有连接符合 %s（抓包中共 %d 个连接）"},
	"cli.nomatch.many":     {"note: no connection matches %s (%d in the %d captures)", "提示：没有连接符合 %s（%[3]d 个抓包中共 %[2]d 个连接）"},

	// The lab's socket calls: the calls' names stay as they are, in both
	// languages, as a student types them.
	"lab.call.listen":                {"socket(), bind(), listen()", "socket()、bind()、listen()"},
	"lab.call.connect":               {"connect()", "connect()"},
	"lab.call.connect.returns":       {"connect() returns", "connect() 返回"},
	"lab.call.connect.refused":       {"connect() fails: ECONNREFUSED", "connect() 失败：ECONNREFUSED"},
	"lab.call.accept":                {"accept() returns", "accept() 返回"},
	"lab.call.read":                  {"read() gets %d bytes", "read() 读到 %d 字节"},
	"lab.call.write":                 {"write()", "write()"},
	"lab.call.shutdown":              {"shutdown(SHUT_WR)", "shutdown(SHUT_WR)"},
	"lab.call.close":                 {"close()", "close()"},
	"lab.call.close.linger0":         {"close() with SO_LINGER 0", "close()（SO_LINGER 为 0）"},
	"lab.call.read.eof.clientshut":   {"read() returns 0: the client shut down its side", "read() 返回 0：客户端关闭了它的发送方向"},
	"lab.call.read.eof.serverclosed": {"read() returns 0: the server closed", "read() 返回 0：服务器已关闭"},
	"lab.call.read.eof.orreset":      {"read() returns 0 (end of stream), or fails after an RST", "read() 返回 0（数据流结束），或在收到 RST 后失败"},
}

func init() {
	for k, v := range cliMessages {
		catalogue[k] = v
	}
}
