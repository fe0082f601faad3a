package msg

// The errors and notes of the layers below the command line (capture
// files, the pipeline's statistics, inputs and archives, the operating
// system), which package say puts in the user's language from their types.
// The English of each is the lower layer's own (its Error or String, which
// say gives as it is); the en texts here are those messages' patterns, kept
// beside their Chinese so that the two are read together. Codes (ENOENT),
// flags (--linger), pcap, pcapng and compression names stay as they are in
// Chinese; TestProblemsInChinese holds the Chinese to that.
var problemMessages = map[string]text{
	"problem.note": {"note: ", "提示："},
	"problem.sep":  {", ", "、"},

	// Where in a capture.
	"problem.file":      {"%s: %s", "%s：%s"},
	"problem.packet":    {"%s: packet %d: %s", "%s：第 %d 个报文：%s"},
	"problem.packet.at": {"%s: packet %d at byte offset %d: %s", "%s：第 %d 个报文（字节偏移 %d）：%s"},

	// Not a capture, and what it looks like instead.
	"problem.notcapture":        {"not a pcap or pcapng capture: it %s", "不是 pcap 或 pcapng 抓包文件：%s"},
	"problem.notcapture.stream": {"not a pcap or pcapng capture: %s stream holds no capture; it %s", "不是 pcap 或 pcapng 抓包文件：%s 数据流中没有抓包，%s"},
	"problem.look.empty":        {"is empty", "内容为空"},
	"problem.look.zip":          {"looks like a ZIP archive (extract the capture first)", "看起来是 ZIP 压缩包（请先从中解压出抓包文件）"},
	"problem.look.tar":          {"looks like a tar archive (extract the capture first)", "看起来是 tar 归档（请先从中解压出抓包文件）"},
	"problem.look.rar7z":        {"looks like a RAR or 7-Zip archive (extract the capture first)", "看起来是 RAR 或 7-Zip 压缩包（请先从中解压出抓包文件）"},
	"problem.look.program":      {"looks like a program, not a capture", "看起来是可执行程序，不是抓包文件"},
	"problem.look.pdf":          {"looks like a PDF document", "看起来是 PDF 文档"},
	"problem.look.pcapng":       {"starts like pcapng but its section header is damaged", "开头像 pcapng，但节头部块已损坏"},
	"problem.look.html":         {"looks like an HTML page", "看起来是 HTML 网页"},
	"problem.look.json":         {"looks like JSON text", "看起来是 JSON 文本"},
	"problem.look.text":         {"looks like a text file", "看起来是文本文件"},
	"problem.look.binary":       {"is not a capture (first bytes %s)", "不是抓包文件（开头的字节为 %s）"},

	// Compressed streams.
	"problem.stream.early":       {"%s stream ends early: the file is cut short", "%s 数据流提前结束：文件被截断"},
	"problem.stream.early.first": {"%s stream ends early, before the first packet: the file is cut short", "%s 数据流在第一个报文之前就结束了：文件被截断"},
	"problem.stream.damaged":     {"%s stream is damaged: %s", "%s 数据流已损坏：%s"},
	"problem.stream.unreadable":  {"%s stream: %s", "无法读取 %s 数据流：%s"},

	// Headers and records of pcap and pcapng.
	"problem.header.short.pcap":     {"the pcap file header is cut short: %d of %d bytes", "pcap 文件头被截断：只有 %d 字节，应为 %d 字节"},
	"problem.header.short.pcapng":   {"the pcapng section header block is cut short: %d of at least %d bytes", "pcapng 节头部块被截断：只有 %d 字节，至少应为 %d 字节"},
	"problem.header.damaged.pcap":   {"pcap file header is damaged: %s", "pcap 文件头已损坏：%s"},
	"problem.header.damaged.pcapng": {"pcapng section header is damaged: %s", "pcapng 节头部已损坏：%s"},
	"problem.modified":              {"unsupported capture format: modified (Kuznetsov) pcap; convert it with editcap -F pcap", "不支持的抓包格式：修改版（Kuznetsov）pcap；请先用 editcap -F pcap 转换"},
	"problem.record.cut":            {"file ends in the middle of a packet record (cut short)", "文件在一条报文记录的中间结束（被截断）"},
	"problem.record.large.pcap":     {"packet record claims %d bytes, more than the %d a record may hold here; reading stops", "报文记录声称长 %d 字节，超过此处一条记录最多可容纳的 %d 字节；停止读取"},
	"problem.record.large.pcapng":   {"pcapng block of type 0x%x claims %d bytes, more than the %d a record may hold here; reading stops", "类型为 0x%x 的 pcapng 块声称长 %d 字节，超过此处一条记录最多可容纳的 %d 字节；停止读取"},
	"problem.block.length":          {"pcapng block of type 0x%x has length %d, which is not a whole number of 32-bit words of at least 12; reading stops", "类型为 0x%x 的 pcapng 块长度为 %d：块长度应为 4 的整数倍且不小于 12；停止读取"},
	"problem.pcapng.version":        {"a pcapng section header of a version other than 1.0", "pcapng 节头部的版本不是 1.0"},
	"problem.pcapng.order":          {"a pcapng section header whose byte-order mark is neither order", "pcapng 节头部的字节序标记既不是大端序也不是小端序"},
	"problem.pcap.version":          {"pcap version %d, where pcap has version 2", "pcap 主版本号为 %d，而 pcap 的主版本号应为 2"},
	"problem.pcap.minor":            {"pcap minor version %d, where pcap has 4", "pcap 次版本号为 %d，而应为 4"},
	"problem.capture.damaged":       {"damaged capture", "抓包文件已损坏"},

	// A packet's damaged headers.
	"problem.hdr.cut":       {"%s header cut short", "%s 首部被截断"},
	"problem.hdr.offset":    {"TCP data offset below 5", "TCP 数据偏移小于 5"},
	"problem.hdr.ipv4.hlen": {"IPv4 header length field %d (%d bytes), below the minimum of 5 (20 bytes)", "IPv4 首部长度字段为 %d（%d 字节），小于最小值 5（20 字节）"},
	"problem.hdr.ipv4.tlen": {"IPv4 total length %d, shorter than the 20 bytes of its own header", "IPv4 总长度为 %d，比它自身 20 字节的首部还短"},
	"problem.hdr.ipv4.long": {"IPv4 header of %d bytes, longer than the packet's total length %d", "IPv4 首部长 %d 字节，超过了报文的总长度 %d"},
	"problem.hdr.ipv4.ends": {"IPv4 header cut short: the capture ends inside it", "IPv4 首部被截断：抓到的数据在首部中间结束"},
	"problem.hdr.ipv4.cut":  {"IPv4 header cut short: %d of its 20 bytes", "IPv4 首部被截断：20 字节中只有 %d 字节"},
	"problem.hdr.ipv6.cut":  {"IPv6 header cut short: %d of its 40 bytes", "IPv6 首部被截断：40 字节中只有 %d 字节"},
	"problem.hdr.jumbo":     {"IPv6 payload length 0 (a jumbogram) without the hop-by-hop header that must give its length", "IPv6 载荷长度为 0（超长报文），却没有给出其长度的逐跳选项首部"},
	"problem.hdr.ipv4.opt":  {"IPv4 option %d claims %d bytes, more than its header has left", "IPv4 选项 %d 声称长 %d 字节，超过了首部剩余的长度"},
	"problem.hdr.sll":       {"Linux cooked-capture (SLL) header with an address length of %d, more than 8", "Linux SLL 首部的地址长度为 %d，超过了 8"},
	"problem.hdr.loopback":  {"BSD loopback header with an unknown address family (bytes %q)", "BSD 环回首部的地址族未知（字节 %q）"},
	"problem.hdr.gtp":       {"GTP-U header cut short: %d bytes", "GTP-U 首部被截断：只有 %d 字节"},
	"problem.hdr.damaged":   {"damaged header", "首部已损坏"},

	// The pipeline's problems and notes about one capture.
	"problem.more.damaged":     {"%s: %d more damaged packets", "%s：另有 %d 个损坏的报文"},
	"problem.skipped.link":     {"%s: %d packets of link type %s skipped: synfin has no decoder for it", "%s：跳过了 %d 个链路类型为 %s 的报文：synfin 没有这种链路类型的解码器"},
	"problem.early":            {"%s: %d connections finished early: more than %d (--max-conns) were open at once", "%s：%d 个连接被提前结束：同时打开的连接超过了 %d 个（--max-conns）"},
	"problem.early.sharded":    {"%s: %d connections finished early: more than %d (--max-conns) were open at once (kept as %d in each of %d shards, by address hash)", "%[1]s：%[2]d 个连接被提前结束：同时打开的连接超过了 %[3]d 个（--max-conns；按地址哈希分成 %[5]d 个分片，每个分片保留 %[4]d 个）"},
	"problem.notdecoded":       {"%s: %d packets of link type %s not decoded to IP: %s", "%s：%d 个链路类型为 %s 的报文未能解码到 IP 层：%s"},
	"problem.notcp":            {"%s: no TCP in its %d packets: %s", "%s：其中的 %d 个报文里没有 TCP：%s"},
	"problem.tally":            {"%s (%d)", "%s（%d）"},
	"problem.frags.incomplete": {"%s: %d fragmented IP datagrams never completed: not all the fragments are in the capture within 30 s of the first", "%s：%d 个分片的 IP 数据报始终不完整：抓包中没有在第一个分片之后 30 秒内收齐其全部分片"},
	"problem.frags.evicted":    {"%s: %d fragmented IP datagrams given up to bound memory (more than %d at once, or %d MiB held)", "%s：为限制内存放弃了 %d 个分片的 IP 数据报（同时超过 %d 个，或占用 %d MiB）"},
	"problem.frags.invalid":    {"%s: %d fragmented IP datagrams given up: the fragments' lengths disagree or pass 65,535 bytes", "%s：放弃了 %d 个分片的 IP 数据报：其分片长度互相矛盾或超过 65,535 字节"},
	"problem.frags.overlap":    {"%s: %d IPv4 fragments overlapped bytes already received; the first to arrive were kept", "%s：%d 个 IPv4 分片与已收到的字节重叠；保留了先到的字节"},
	"problem.frags.dropped":    {"%s: %d IPv6 datagrams dropped: the fragments overlapped (RFC 5722)", "%s：丢弃了 %d 个 IPv6 数据报：其分片相互重叠（RFC 5722）"},
	"problem.tally.more":       {"%d kinds more", "另有 %d 种"},
	"problem.late":             {"%s: %d late segments belonged to connections already closed and reported (%s)", "%s：%d 个迟到的报文段属于已关闭并已报告的连接（%s）"},
	"problem.linger":           {"more than %d closed connections lingered at once", "同时滞留的已关闭连接超过了 %d 个"},
	"problem.linger.shards":    {"more than %d closed connections lingered at once in one of the capture's %d shards, %d in all", "抓包的 %[2]d 个分片之一中同时滞留的已关闭连接超过了 %[1]d 个，总上限为 %[3]d 个"},
	"problem.link":             {"%d (%s)", "%d（%s）"},
	"problem.unusable.one":     {"%s: nothing synfin can read: its one packet has link type %s, which it cannot decode", "%s：没有 synfin 能读取的内容：唯一的报文链路类型为 %s，无法解码"},
	"problem.unusable.all":     {"%s: nothing synfin can read: all %d packets have link type %s, which it cannot decode", "%s：没有 synfin 能读取的内容：全部 %d 个报文的链路类型都是 %s，无法解码"},
	"problem.unusable.none":    {"%s: nothing synfin can read: no packet has a link type it can decode", "%s：没有 synfin 能读取的内容：没有一个报文的链路类型可以解码"},

	// Where decoding stopped, for the notes' tallies.
	"problem.stop.nolink":    {"link header not decoded", "链路层首部未能解码"},
	"problem.stop.ethertype": {"Ethernet type 0x%04x", "以太网类型 0x%04x"},
	"problem.stop.ppp":       {"PPP protocol 0x%04x", "PPP 协议 0x%04x"},
	"problem.stop.loopback":  {"loopback family %d", "环回地址族 %d"},
	"problem.stop.fragments": {"TCP in IP fragments", "IP 分片中的 TCP"},
	"problem.stop.ipv6frag":  {"IPv6 fragment", "IPv6 分片"},
	"problem.stop.ipproto":   {"IP protocol %d", "IP 协议 %d"},
	"problem.stop.udpport":   {"UDP port %d", "UDP 端口 %d"},
	"problem.stop.llc":       {"802.2 LLC SAP 0x%02x", "802.2 LLC SAP 0x%02x"},
	"problem.stop.gre":       {"GRE protocol 0x%04x not decoded", "GRE 协议 0x%04x 未解码"},

	// Inputs and archives.
	"problem.nomatch":        {"%s: no file matches", "%s：没有匹配的文件"},
	"problem.emptydir":       {"%s: no captures found: the directory holds no files", "%s：没有找到抓包文件：目录中没有文件"},
	"problem.zip.archive":    {"ZIP archive: %s", "ZIP 压缩包：%s"},
	"problem.zip.member":     {"ZIP member: %s", "ZIP 压缩包成员：%s"},
	"problem.tar.cut":        {"the tar archive ends after %d whole members, without its end-of-archive marker: it was cut short there", "tar 归档在 %d 个完整成员之后结束，没有归档结束标记：它在那里被截断了"},
	"problem.tar.damaged":    {"tar archive is damaged after the members read so far: %s", "tar 归档在已读取的成员之后损坏：%s"},
	"problem.member.spool":   {"reading %s: %s", "读取 %s 时出错：%s"},
	"problem.member.cut":     {"cut short at byte %d of %d (the archive ends there)", "在第 %d 字节处被截断，该成员应有 %d 字节（归档在此结束）"},
	"problem.member.damaged": {"the archive is damaged at byte %d of %d of this member: %s", "归档在该成员的第 %d 字节处损坏（该成员应有 %d 字节）：%s"},

	// The batch of inputs.
	"problem.skipped":       {"%s: skipped, not a capture", "%s：已跳过，不是抓包文件"},
	"problem.interrupted":   {"%s: input ended by the interrupt after %d packets: what was read is analysed", "%s：读到 %d 个报文时被中断，输入到此结束：已分析读到的部分"},
	"problem.streams.view":  {"--streams is ignored with this view", "此视图忽略 --streams"},
	"problem.resume":        {"--resume %s: %s", "--resume %s：%s"},
	"problem.resume.line":   {"--resume %s: line %d is not a manifest entry (a JSON object naming a finished capture): was the file written by synfin batch --resume?", "--resume %s：第 %d 行不是清单条目（记录已完成抓包的 JSON 对象）：这个文件是 --resume 写的清单吗？"},
	"problem.shardby":       {"--shard-by %s: want size (balance bytes; every machine lists the same files) or path (a hash of each path)", "--shard-by %s：应为 size（按字节均衡；每台机器列出相同的文件）或 path（按路径哈希）"},
	"problem.shard":         {"--shard %s: want I/N with 0 ≤ I < N, e.g. 0/4", "--shard %s：应为 I/N，且 0 ≤ I < N，例如 0/4"},
	"problem.write.output":  {"error: writing output: %s", "错误：写入输出失败：%s"},
	"problem.write.streams": {"%s: writing streams: %s", "%s：写入数据流文件失败：%s"},
	"problem.hold.records":  {"%s: holding its records: %s", "%s：暂存其记录失败：%s"},
	"problem.keep.records":  {"%s: keeping its records: %s", "%s：保存其记录失败：%s"},

	// Errors of the system and of the standard readers, by their codes.
	"problem.os.ENOENT":       {"no such file or directory", "文件或目录不存在（ENOENT）"},
	"problem.os.EACCES":       {"permission denied", "权限不足（EACCES）"},
	"problem.os.EPERM":        {"operation not permitted", "不允许的操作（EPERM）"},
	"problem.os.EISDIR":       {"is a directory", "是一个目录（EISDIR）"},
	"problem.os.ENOTDIR":      {"not a directory", "不是目录（ENOTDIR）"},
	"problem.os.ENOSPC":       {"no space left on device", "设备上没有剩余空间（ENOSPC）"},
	"problem.os.EROFS":        {"read-only file system", "文件系统是只读的（EROFS）"},
	"problem.os.ELOOP":        {"too many levels of symbolic links", "符号链接的层数过多（ELOOP）"},
	"problem.os.ENAMETOOLONG": {"file name too long", "文件名过长（ENAMETOOLONG）"},
	"problem.os.EMFILE":       {"too many open files", "打开的文件过多（EMFILE）"},
	"problem.os.ENFILE":       {"too many open files in system", "系统中打开的文件过多（ENFILE）"},
	"problem.os.EIO":          {"input/output error", "输入输出错误（EIO）"},
	"problem.os.EEXIST":       {"file exists", "文件已存在（EEXIST）"},
	"problem.os.ENXIO":        {"no such device or address", "设备或地址不存在（ENXIO）"},
	"problem.os.EBUSY":        {"device or resource busy", "设备或资源忙（EBUSY）"},
	"problem.os.EFBIG":        {"file too large", "文件过大（EFBIG）"},
	"problem.os.EDQUOT":       {"disk quota exceeded", "超出磁盘配额（EDQUOT）"},
	"problem.os.EPIPE":        {"broken pipe", "管道已断开（EPIPE）"},
	"problem.os.EINVAL":       {"invalid argument", "参数无效（EINVAL）"},
	"problem.os.EXDEV":        {"invalid cross-device link", "不能跨设备链接（EXDEV）"},
	"problem.err.notexist":    {"file does not exist", "文件不存在"},
	"problem.err.permission":  {"permission denied", "权限不足"},
	"problem.err.exist":       {"file already exists", "文件已存在"},
	"problem.err.closed":      {"file already closed", "文件已关闭"},
	"problem.err.eof":         {"unexpected EOF", "数据意外结束"},
	"problem.err.gzip.header": {"gzip: invalid header", "gzip 头部无效"},
	"problem.err.gzip.sum":    {"gzip: invalid checksum", "gzip 校验和不符"},
	"problem.err.flate":       {"flate: corrupt input before offset %d", "flate 数据在偏移 %d 之前已损坏"},
	"problem.err.zip.format":  {"zip: not a valid zip file", "不是有效的 ZIP 文件"},
	"problem.err.zip.algo":    {"zip: unsupported compression algorithm", "不支持的 ZIP 压缩算法"},
	"problem.err.zip.sum":     {"zip: checksum error", "ZIP 校验和错误"},
	"problem.err.tar.header":  {"archive/tar: invalid tar header", "tar 首部无效"},
}

func init() {
	for k, v := range problemMessages {
		catalogue[k] = v
	}
}
