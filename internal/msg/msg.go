// Package msg is synfin's message catalogue: every header, label and
// explanation a person reads in ladders and reports, in English and in
// Simplified Chinese, in one place. A key missing from a language is a
// bug that TestEveryKeyInEveryLanguage catches; at run time it falls back
// to English rather than printing nothing.
package msg

import (
	"sort"
)

// Lang is an output language.
type Lang int

const (
	EN Lang = iota
	ZH
)

// Parse returns the language named by --lang.
func Parse(name string) (Lang, error) {
	switch name {
	case "en", "":
		return EN, nil
	case "zh", "zh-CN", "zh_CN", "zh-Hans":
		return ZH, nil
	}
	return EN, E("cli.lang", name)
}

// Code is the language's tag for HTML lang attributes.
func (l Lang) Code() string {
	if l == ZH {
		return "zh-Hans"
	}
	return "en"
}

// T returns the message key in l.
func (l Lang) T(key string) string {
	if m, ok := catalogue[key]; ok {
		if l == ZH && m.zh != "" {
			return m.zh
		}
		if m.en != "" {
			return m.en
		}
	}
	return key
}

// F formats the message key in l with args, as fmt.Sprintf.
// An argument that is a Sayer (a Text, a list) is put in l too.
func (l Lang) F(key string, args ...any) string { return l.Say(Text{key, args}) }

// Name names a value of a closed set (topic handshake, teardown, side,
// bool, option) for people: in Chinese its Chinese name, in English the
// value itself; a value without a name (a Zeek state code) stays as is.
func (l Lang) Name(topic, value string) string {
	if l == EN || !Has("name."+topic+"."+value) {
		return value
	}
	return l.T("name." + topic + "." + value)
}

// Keys lists every key, sorted (for tests).
func Keys() []string {
	keys := make([]string, 0, len(catalogue))
	for k := range catalogue {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Has reports whether key is in the catalogue.
func Has(key string) bool { _, ok := catalogue[key]; return ok }

type text struct{ en, zh string }

// catalogue: keys are dotted by topic. state.X, handshake.X and teardown.X
// are one-sentence explanations of each value synfin reports.
var catalogue = map[string]text{
	// Report structure.
	"report.title":             {"TCP connection report", "TCP 连接分析报告"},
	"report.list.sep":          {", ", "、"},
	"report.generated.dir":     {"Made by synfin %s from these captures in %s: %s.", "由 synfin %s 根据 %s 中的以下抓包生成：%s。"},
	"report.generated":         {"Made by synfin %s from %s.", "由 synfin %s 根据 %s 生成。"},
	"report.summary":           {"Summary", "概要"},
	"report.files":             {"Captures", "抓包文件"},
	"report.packets":           {"TCP packets", "TCP 报文数"},
	"report.packets.of":        {"%d (of %d in the captures)", "%d（抓包中共 %d）"},
	"report.conns":             {"Connections", "连接数"},
	"report.states":            {"Connection states", "连接状态"},
	"report.hsstatus":          {"Three-way handshake", "三次握手"},
	"report.tdkind":            {"Connection teardown", "连接释放（挥手）"},
	"report.rtt":               {"Handshake round-trip time (ms)", "握手往返时延（毫秒）"},
	"report.rtt.none":          {"No complete handshake, so no round-trip time.", "没有完整的握手，因此没有往返时延。"},
	"report.timeline":          {"Timeline of connections", "连接时间线"},
	"report.handshakes":        {"Handshakes", "握手"},
	"report.teardowns":         {"Teardowns", "挥手"},
	"report.options":           {"TCP options", "TCP 选项"},
	"report.conns.tbl":         {"Connections", "连接"},
	"report.ladders":           {"Ladder diagrams of representative connections", "代表性连接的时序图"},
	"report.why":               {"Shown because: %s.", "入选原因：%s。"},
	"report.data.title":        {"Data phase: the %s's data", "数据阶段：%s发送的数据"},
	"report.data.col.frame":    {"frame", "帧"},
	"report.data.col.seq":      {"seq (relative)", "相对序号"},
	"report.data.col.len":      {"len", "长度"},
	"report.data.col.sent":     {"sent (ms)", "发送时间（毫秒）"},
	"report.data.col.acked":    {"ACKed at (ms)", "确认时间（毫秒）"},
	"report.data.col.rtt":      {"RTT (ms)", "RTT（毫秒）"},
	"report.data.col.srtt":     {"EstimatedRTT (ms)", "EstimatedRTT（毫秒）"},
	"report.data.karn":         {"none (bytes sent again)", "无（字节重发过）"},
	"report.data.first":        {"Its first %d data segments; times from the connection's first packet, RTT from sending to the first ACK covering the segment's last byte, EstimatedRTT by RFC 6298 (α = 1/8) after that sample:", "前 %d 个数据报文段；时间自连接第一个报文起算，RTT 为从发送到第一个覆盖该报文段最后一个字节的 ACK 的时间，EstimatedRTT 为该样本之后按 RFC 6298（α = 1/8）算出的值："},
	"report.data.all":          {"Its %d data segments; times from the connection's first packet, RTT from sending to the first ACK covering the segment's last byte, EstimatedRTT by RFC 6298 (α = 1/8) after that sample:", "全部 %d 个数据报文段；时间自连接第一个报文起算，RTT 为从发送到第一个覆盖该报文段最后一个字节的 ACK 的时间，EstimatedRTT 为该样本之后按 RFC 6298（α = 1/8）算出的值："},
	"report.data.all.one":      {"Its one data segment; times from the connection's first packet, RTT from sending to the first ACK covering the segment's last byte, EstimatedRTT by RFC 6298 (α = 1/8) after that sample:", "唯一的数据报文段；时间自连接第一个报文起算，RTT 为从发送到第一个覆盖该报文段最后一个字节的 ACK 的时间，EstimatedRTT 为该样本之后按 RFC 6298（α = 1/8）算出的值："},
	"report.data.synfirst":     {"EstimatedRTT starts from the %s's own sample, %s ms (frame %d, acknowledged like data).", "EstimatedRTT 从%s自身的样本 %s 毫秒开始（帧 %d，像数据一样被确认）。"},
	"report.data.near":         {"The capture was taken near the %s (SYN to SYN-ACK %s ms, SYN-ACK to ACK %s ms), so these RTTs are the path's round trip from there.", "抓包点靠近%s（SYN 到 SYN-ACK %s 毫秒，SYN-ACK 到 ACK %s 毫秒），因此这些 RTT 是从该处出发的路径往返时间。"},
	"report.data.far":          {"The capture was taken near the %s (SYN to SYN-ACK %s ms, SYN-ACK to ACK %s ms), so these RTTs run from the capture point to the %s's ACK: mostly the %s's own time to acknowledge, not the path's round trip.", "抓包点靠近%s（SYN 到 SYN-ACK %s 毫秒，SYN-ACK 到 ACK %s 毫秒），因此这些 RTT 是从抓包点到%s发出 ACK 的时间，主要是%s自身的确认耗时，而非路径往返时间。"},
	"report.data.sent.one":     {"The %s sent %d data segment carrying %d bytes, %d of them distinct; %d segments repeated bytes the capture had seen before.", "%s发送了 %d 个数据报文段，共 %d 字节，其中不同的字节 %d 个；%d 个报文段重复了抓包中此前已出现的字节。"},
	"report.data.sent":         {"The %s sent %d data segments carrying %d bytes, %d of them distinct; %d segments repeated bytes the capture had seen before.", "%s发送了 %d 个数据报文段，共 %d 字节，其中不同的字节 %d 个；%d 个报文段重复了抓包中此前已出现的字节。"},
	"report.data.rtt":          {"RTT of its segments (%d samples, Karn's rule): min %s ms, mean %s ms, max %s ms; EstimatedRTT after the last sample %s ms, RTO %s ms (RFC 6298, at least 1 s).", "其报文段的 RTT（%d 个样本，按 Karn 算法）：最小 %s 毫秒，平均 %s 毫秒，最大 %s 毫秒；最后一个样本后 EstimatedRTT 为 %s 毫秒，RTO 为 %s 毫秒（RFC 6298，至少 1 秒）。"},
	"report.data.win":          {"Window the %s advertised (scaled, SYN left out): smallest above zero %d bytes, largest %d bytes; zero windows: %d.", "%s通告的窗口（已按窗口缩放换算，不含 SYN）：非零最小 %d 字节，最大 %d 字节；零窗口 %d 次。"},
	"report.data.perack":       {"A typical ACK from the %s acknowledged %d bytes (the median over the ACKs that moved the acknowledged edge).", "%s的典型 ACK 确认 %d 字节（推进确认边界的各 ACK 的中位数）。"},
	"report.data.throughput":   {"Throughput: %d distinct bytes over the connection's %s ms, %s kbit/s (tcptrace's definition).", "吞吐量：%d 个不同字节，连接时长 %s 毫秒，即 %s kbit/s（tcptrace 的定义）。"},
	"report.data.graph":        {"Its time-sequence graph: synfin graph -c %d -o graph.svg %s", "其时间-序号图：synfin graph -c %d -o graph.svg %s"},
	"report.pick.textbook":     {"the first connection with a complete handshake at the first try and a normal close, no data after a FIN", "第一个一次握手成功、正常关闭、FIN 之后没有数据的连接"},
	"report.pick.complete":     {"the first connection with a complete handshake and a normal close", "第一个握手完整且正常关闭的连接"},
	"report.pick.refused":      {"the first refused connection", "第一个被拒绝的连接"},
	"report.pick.synretx":      {"the first connection whose SYN appears more than once (sent again, retried after a refusal, or recorded twice: its walkthrough tells which)", "第一个 SYN 出现不止一次的连接（重传、被拒绝后重试或被抓包记录两次：讲解中会说明是哪一种）"},
	"report.pick.reset":        {"the first connection ended by a reset other than a refusal", "第一个被复位（RST）终止、且不是被拒绝的连接"},
	"report.pick.halfclose":    {"the first half-closed connection", "第一个半关闭的连接"},
	"report.pick.first":        {"the first connection in the capture", "抓包中的第一个连接"},
	"report.count":             {"count", "数量"},
	"report.value":             {"value", "值"},
	"report.item":              {"item", "项目"},
	"report.meaning":           {"meaning", "含义"},
	"report.min":               {"min", "最小值"},
	"report.median":            {"median", "中位数"},
	"report.p95":               {"p95", "95 分位"},
	"report.max":               {"max", "最大值"},
	"report.samples":           {"connections", "连接数"},
	"report.more":              {"%d more connections are not listed; run synfin conns for all.", "另有 %d 个连接未列出；运行 synfin conns 查看全部。"},
	"report.svgtitle.rtt":      {"Histogram of handshake RTT", "握手往返时延直方图"},
	"report.svgtitle.timeline": {"Each connection from its first to its last packet", "每个连接从第一个到最后一个报文的时间段"},
	"report.svgtitle.states":   {"Connections per state", "各状态的连接数"},
	"report.axis.conns":        {"connections", "连接数"},
	"report.axis.ms":           {"ms", "毫秒"},
	"report.axis.s":            {"seconds since the first packet", "自第一个报文起的秒数"},

	// Ladder diagrams.
	"ladder.title":     {"Connection %d: %s → %s", "连接 %d：%s → %s"},
	"ladder.client":    {"client", "客户端"},
	"ladder.server":    {"server", "服务器"},
	"ladder.time":      {"time (ms)", "时间（毫秒）"},
	"ladder.statecode": {"%s: %s", "%s：%s"},
	"ladder.no":        {"frame", "帧号"}, // Wireshark's No.; not 序号, which a student reads as the sequence number
	"ladder.handshake": {"three-way handshake", "三次握手"},
	"ladder.data":      {"data transfer", "数据传输"},
	"ladder.teardown":  {"connection teardown", "连接释放"},
	"ladder.reset":     {"reset", "复位"},
	"ladder.fold":      {"… %d data segments …", "… %d 个数据报文 …"},
	"ladder.retx":      {"retransmission", "重传"},
	"ladder.dup":       {"duplicate (captured twice)", "重复（被抓包记录了两次）"},
	"ladder.ooo":       {"out of order", "乱序"},
	"ladder.keepalive": {"keep-alive", "保活"},
	"ladder.rst":       {"reset", "复位"},
	"ladder.relative":  {"Sequence and acknowledgement numbers are relative to each side's initial sequence number (ISN), as Wireshark shows them.", "序号与确认号是相对于各自初始序号（ISN）的相对值，与 Wireshark 的显示方式相同。"},
	"ladder.raw":       {"Sequence and acknowledgement numbers are raw 32-bit values.", "序号与确认号为原始 32 位数值。"},
	"ladder.dropped":   {"%d later packets are not shown.", "之后的 %d 个报文未显示。"},
	"ladder.summary":   {"Handshake: %s; teardown: %s; state %s.", "握手：%s；挥手：%s；状态 %s。"},
	"ladder.setup":     {"  Setting up took %s ms from the first SYN, retransmission timeouts included.", "  从第一个 SYN 算起，建立连接共用时 %s 毫秒（含重传超时）。"},
	"ladder.rtt":       {"Handshake RTT %s ms (SYN→SYN-ACK %s ms, SYN-ACK→ACK %s ms), measured at the %s.", "握手往返时延 %s 毫秒（SYN→SYN-ACK %s 毫秒，SYN-ACK→ACK %s 毫秒），抓包位置：%s。"},
	"point.client":     {"client side", "客户端一侧"},
	"point.server":     {"server side", "服务器一侧"},
	"point.middle":     {"middle of the path", "路径中间"},

	// Column headers of tables.
	"col.conn":           {"conn", "连接"},
	"col.client":         {"client", "客户端"},
	"col.server":         {"server", "服务器"},
	"col.state":          {"state", "状态"},
	"col.history":        {"history", "历史"},
	"col.handshake":      {"handshake", "握手"},
	"col.rtt_ms":         {"rtt_ms", "往返时延(ms)"},
	"col.setup_ms":       {"setup_ms", "建立用时(ms)"},
	"col.teardown":       {"teardown", "挥手"},
	"col.closer":         {"closer", "主动关闭方"},
	"col.pkts":           {"pkts", "报文"},
	"col.bytes":          {"bytes", "字节"},
	"col.duration_ms":    {"duration_ms", "时长(ms)"},
	"col.sf":             {"sf", "SF"},
	"col.status":         {"status", "状态"},
	"col.syns":           {"syns", "SYN数"},
	"col.synacks":        {"synacks", "SYN-ACK数"},
	"col.syn_synack_ms":  {"syn_synack_ms", "SYN→SYN-ACK(ms)"},
	"col.synack_ack_ms":  {"synack_ack_ms", "SYN-ACK→ACK(ms)"},
	"col.capture_point":  {"capture_point", "抓包位置"},
	"col.client_isn":     {"client_isn", "客户端ISN"},
	"col.server_isn":     {"server_isn", "服务器ISN"},
	"col.ack_ok":         {"ack_ok", "确认号正确"},
	"col.kind":           {"kind", "类型"},
	"col.fin1":           {"fin1", "第一个FIN"},
	"col.fin1_ack":       {"fin1_ack", "FIN1确认"},
	"col.fin2":           {"fin2", "第二个FIN"},
	"col.fin2_ack":       {"fin2_ack", "FIN2确认"},
	"col.rst":            {"rst", "RST"},
	"col.rst_by":         {"rst_by", "RST发送方"},
	"col.close_ms":       {"close_ms", "挥手时长(ms)"},
	"col.fins":           {"fins", "FIN数"},
	"col.data_after_fin": {"data_after_fin", "FIN后数据"},
	"col.syn_mss":        {"syn_mss", "SYN MSS"},
	"col.synack_mss":     {"synack_mss", "SYN-ACK MSS"},
	"col.syn_wscale":     {"syn_wscale", "SYN 窗口扩大"},
	"col.synack_wscale":  {"synack_wscale", "SYN-ACK 窗口扩大"},
	"col.syn_layout":     {"syn_layout", "SYN 选项顺序"},
	"col.synack_layout":  {"synack_layout", "SYN-ACK 选项顺序"},
	"col.mss":            {"mss", "协商MSS"},
	"col.wscale":         {"wscale", "窗口扩大"},
	"col.sack":           {"sack", "SACK"},
	"col.ts":             {"ts", "时间戳"},
	"col.ecn":            {"ecn", "ECN"},
	"col.tfo":            {"tfo", "TFO"},
	"col.file":           {"file", "文件"},

	// Zeek conn_state values.
	"state.S0":         {"A SYN was sent, and the capture holds no answer.", "发出了 SYN，抓包中没有任何回应。"},
	"state.S0.icmp":    {"Zeek's state for a SYN that TCP did not answer: here only an ICMP error answered it.", "Zeek 对未被 TCP 回应的 SYN 所用的状态：这里只有一个 ICMP 差错报文回应了它。"},
	"state.S1":         {"The connection was established and not closed within the capture.", "连接已建立，在抓包结束时尚未关闭。"},
	"state.SF":         {"Established and closed normally: both sides sent FIN.", "连接正常建立并正常关闭：双方都发送了 FIN。"},
	"state.REJ":        {"The SYN was refused: the server answered with RST.", "连接被拒绝：服务器用 RST 回应了 SYN。"},
	"state.S2":         {"Established; only the client (originator) sent FIN: the capture holds no FIN from the server.", "连接已建立；只有客户端（发起方）发送了 FIN：抓包中没有服务器的 FIN。"},
	"state.S3":         {"Established; only the server (responder) sent FIN.", "连接已建立；只有服务器（响应方）发送了 FIN。"},
	"state.RSTO.noack": {"The client (originator) answered the server's SYN-ACK with RST, before the handshake completed.", "客户端（发起方）在握手完成之前用 RST 回应了服务器的 SYN-ACK。"},
	"state.RSTO":       {"Established, then the client (originator) aborted it with RST.", "连接建立后，客户端（发起方）用 RST 中止了连接。"},
	"state.RSTR":       {"Established, then the server (responder) aborted it with RST.", "连接建立后，服务器（响应方）用 RST 中止了连接。"},
	"state.RSTR.noack": {"The server (responder) sent RST before the handshake completed.", "服务器（响应方）在握手完成之前发送了 RST。"},
	"state.S1.noack":   {"The server answered with SYN-ACK, but the handshake did not complete in the capture, and nothing closed the connection.", "服务器已用 SYN-ACK 回应，但抓包中握手没有完成，连接也没有被关闭。"},
	"state.SF.reset":   {"Both sides sent FIN (Zeek counts that as a normal close), and an RST followed.", "双方都发送了 FIN（Zeek 将其计为正常关闭），随后出现了 RST。"},
	"state.RSTOS0":     {"The client sent a SYN and then RST; the capture holds no SYN-ACK from the server.", "客户端发出 SYN 后又发出 RST；抓包中没有服务器的 SYN-ACK。"},
	"state.RSTRH":      {"The server sent SYN-ACK and then RST; the capture holds no SYN from the client.", "服务器发送了 SYN-ACK 后又发送 RST；抓包中没有客户端的 SYN。"},
	"state.SH":         {"The client sent SYN and then FIN; the capture holds no SYN-ACK from the server (half-open).", "客户端发送了 SYN 和 FIN；抓包中没有服务器的 SYN-ACK（半开连接）。"},
	"state.SHR":        {"The server sent SYN-ACK and then FIN; the capture holds no SYN from the client.", "服务器发送了 SYN-ACK 和 FIN；抓包中没有客户端的 SYN。"},
	"state.OTH":        {"No SYN was seen: the capture began in the middle of the connection.", "没有看到 SYN：抓包开始时连接已在进行中（中途连接）。"},

	// Handshake status values.
	"handshake.complete":     {"SYN, SYN-ACK and ACK: the three-way handshake completed.", "SYN、SYN-ACK、ACK 齐全：三次握手完成。"},
	"handshake.no_ack":       {"SYN and SYN-ACK, but the client's final ACK was not seen.", "有 SYN 和 SYN-ACK，但没有看到客户端最后的 ACK。"},
	"handshake.no_reply":     {"Only the SYN: no answer to it is in the capture.", "只有 SYN：抓包中没有对它的回应。"},
	"handshake.rejected":     {"The SYN was answered by RST: nothing was listening, or the server refused.", "SYN 被 RST 回应：端口没有监听，或服务器拒绝连接。"},
	"handshake.unreachable":  {"The SYN was answered by an ICMP error, not by the server's TCP: no SYN-ACK or RST is in the capture.", "SYN 被 ICMP 差错报文回应，而不是服务器的 TCP：抓包中没有 SYN-ACK 或 RST。"},
	"handshake.simultaneous": {"Both sides sent a SYN at the same time (simultaneous open).", "双方同时发送 SYN（同时打开）。"},
	"handshake.synack_only":  {"The capture began after the SYN: only the SYN-ACK was seen.", "抓包开始于 SYN 之后：只看到了 SYN-ACK。"},
	"handshake.not_seen":     {"No handshake was captured: the connection was already open.", "没有抓到握手：连接在抓包开始前已经建立。"},

	// ICMP errors about a connection's segments (the record's icmp).
	"icmp.kind.net_unreachable":      {"network unreachable", "网络不可达"},
	"icmp.kind.host_unreachable":     {"host unreachable", "主机不可达"},
	"icmp.kind.protocol_unreachable": {"protocol unreachable", "协议不可达"},
	"icmp.kind.port_unreachable":     {"port unreachable", "端口不可达"},
	"icmp.kind.fragmentation_needed": {"fragmentation needed", "需要分片"},
	"icmp.kind.admin_prohibited":     {"administratively prohibited", "管理性禁止"},
	"icmp.kind.unreachable":          {"destination unreachable", "目的不可达"},
	"icmp.kind.time_exceeded":        {"time exceeded", "超时（TTL 耗尽）"},
	"icmp.kind.packet_too_big":       {"packet too big", "报文过大"},
	"icmp.syn.path":                  {"The SYN was answered by %s with %s %s (type %d, code %d) %s ms after it: not the server's address, so a router or firewall on the path sent it; no SYN-ACK or RST from the server is in the capture.", "SYN 在 %[6]s 毫秒后被 %[1]s 以 %[2]s %[3]s（类型 %[4]d，代码 %[5]d）回应：这不是服务器的地址，因此是路径上的路由器或防火墙发出的；抓包中没有来自服务器的 SYN-ACK 或 RST。"},
	"icmp.syn.server":                {"The SYN was answered by the server's own address with %s %s (type %d, code %d) %s ms after it: its host sent the error, not its TCP (no SYN-ACK, no RST).", "SYN 在 %[5]s 毫秒后被服务器自己的地址以 %[1]s %[2]s（类型 %[3]d，代码 %[4]d）回应：差错来自它的主机，而不是它的 TCP（没有 SYN-ACK，也没有 RST）。"},
	"icmp.other.one":                 {"An %s error, %s (type %d, code %d) from %s, quoted the %s's segment at +%s ms.", "%[6]s 毫秒时，一个 %[1]s 差错报文（%[2]s，类型 %[3]d，代码 %[4]d，来自 %[5]s）引用了%[7]s的报文段。"},
	"icmp.other.many":                {"%d %s errors quoted this connection's segments; the first, %s (type %d, code %d) from %s, quoted the %s's segment at +%s ms.", "%[1]d 个 %[2]s 差错报文引用了这个连接的报文段；第一个（%[3]s，类型 %[4]d，代码 %[5]d，来自 %[6]s）在 %[8]s 毫秒时引用了%[7]s的报文段。"},
	"icmp.mtu":                       {"%s gives %d bytes as the MTU of the path: a segment there carries at most %d bytes of TCP payload (%d less %d bytes of IP and TCP headers, without options); larger packets do not pass, and the sender must send smaller segments (path MTU discovery, RFC 1191; RFC 8201 for IPv6).", "%[1]s 给出路径的 MTU 为 %[2]d 字节：在那里一个报文段最多携带 %[3]d 字节的 TCP 载荷（%[4]d 减去 %[5]d 字节的 IP 和 TCP 首部，不含选项）；更大的报文无法通过，发送方必须发送更小的报文段（路径 MTU 发现，RFC 1191；IPv6 见 RFC 8201）。"},

	// Teardown kinds.
	"teardown.four_way":        {"Four-way close: FIN, ACK, FIN, ACK.", "四次挥手：FIN、ACK、FIN、ACK。"},
	"teardown.three_way":       {"Three-way close: the second FIN carried the ACK of the first (FIN, FIN-ACK, ACK).", "三次挥手：第二个 FIN 同时确认了第一个 FIN（FIN、FIN+ACK、ACK）。"},
	"teardown.simultaneous":    {"Simultaneous close: both sides sent FIN before seeing the other's.", "同时关闭：双方在收到对方 FIN 之前都发送了 FIN。"},
	"teardown.half_closed":     {"Half-closed: the capture holds a FIN from one side only.", "半关闭：抓包中只有一方的 FIN。"},
	"teardown.reset":           {"Reset: an RST ended the connection before an orderly close completed.", "复位：在正常关闭完成之前，RST 终止了连接。"},
	"teardown.reset.afterfins": {"Both sides sent FIN; then an RST from the %s ended the connection before the close was fully acknowledged.", "双方都发送了 FIN；随后%s的 RST 在关闭被完全确认之前终止了连接。"},
	"teardown.open":            {"Still open: neither FIN nor RST was seen.", "仍然打开：没有看到 FIN 或 RST。"},

	// ISN verdicts (synfin isn).
	"isn.random":              {"ISNs jump by unrelated amounts: unpredictable, as RFC 6528 asks.", "初始序号之间的差值毫无规律：不可预测，符合 RFC 6528 的要求。"},
	"isn.time_based":          {"ISNs grow with time at about %s per second: predictable from the clock (RFC 793's clock is 250,000 per second).", "初始序号随时间增长，约每秒 %s：可由时钟推算（RFC 793 的时钟为每秒 250,000）。"},
	"isn.increasing":          {"ISNs always grow, but not in step with time: a counter, guessable from the last one.", "初始序号一直增长，但与时间不成比例：像计数器，可由上一个推测。"},
	"isn.constant_step":       {"Each ISN is the previous one plus %s: trivially predictable.", "每个初始序号都是上一个加 %s：极易预测。"},
	"isn.reused":              {"The same ISN appears again %s times: a segment of an old connection could be taken for one of the new.", "同一个初始序号重复出现 %s 次：旧连接的报文可能被误认为新连接的报文。"},
	"isn.constant_step.tuple": {"On this reused 4-tuple each ISN is the previous one plus %s: the kernel's rule for a tuple reused while in TIME-WAIT, whose new ISN must lie beyond the old connection's sequence numbers (RFC 9293 §3.6.1). Expected, not a weakness: RFC 6528 keys ISNs by 4-tuple, so other tuples' ISNs do not follow from these.", "在这个被重用的四元组上，每个初始序号都是上一个加 %s：这是内核在 TIME-WAIT 期间重用四元组时的规则，新的初始序号必须大于旧连接用过的序号（RFC 9293 §3.6.1）。这是预期行为，并非弱点：RFC 6528 按四元组生成初始序号，其他四元组的序号无法由此推出。"},
	"isn.time_based.tuple":    {"On this reused 4-tuple ISNs grow with time at about %s per second: RFC 6528's clock, which keeps a reused tuple's new ISNs beyond the old ones. Expected: ISNs of different 4-tuples are not related.", "在这个被重用的四元组上，初始序号随时间增长，约每秒 %s：这是 RFC 6528 的时钟，使重用四元组的新序号大于旧序号。这是预期行为：不同四元组的初始序号互不相关。"},
	"isn.too_few":             {"Fewer than 5 connections: too few to judge.", "少于 5 个连接：样本太少，无法判断。"},
	"isn.changed":             {"%s: the SYN was sent again %.1f s later with a new ISN (%d → %d), connections %d and %d.", "%s：%.1f 秒后以新的初始序号重新发送了 SYN（%d → %d），连接 %d 与 %d。"},
	"isn.scope.host":          {"host", "主机"},
	"isn.scope.port":          {"server port", "服务端口"},
	"isn.scope.tuple":         {"4-tuple", "四元组"},
	"col.role":                {"role", "角色"},
	"col.scope":               {"scope", "范围"},
	"col.key":                 {"of", "对象"},
	"col.samples":             {"samples", "样本数"},
	"col.verdict":             {"verdict", "结论"},
	"col.meaning":             {"meaning", "含义"},
	"col.metric":              {"metric", "指标"},
	"col.value":               {"value", "数值"},

	// Names of values in people's tables (codes such as SF stay).
	"name.handshake.complete":          {"complete", "完成"},
	"name.handshake.no_ack":            {"no_ack", "缺最后的ACK"},
	"name.handshake.no_reply":          {"no_reply", "无应答"},
	"name.handshake.rejected":          {"rejected", "被拒绝"},
	"name.handshake.unreachable":       {"unreachable", "不可达"},
	"name.handshake.simultaneous":      {"simultaneous", "同时打开"},
	"name.handshake.synack_only":       {"synack_only", "仅见SYN-ACK"},
	"name.handshake.not_seen":          {"not_seen", "未看到"},
	"name.teardown.four_way":           {"four_way", "四次挥手"},
	"name.teardown.three_way":          {"three_way", "三次挥手"},
	"name.teardown.simultaneous":       {"simultaneous", "同时关闭"},
	"name.teardown.half_closed":        {"half_closed", "半关闭"},
	"name.teardown.reset":              {"reset", "复位"},
	"name.teardown.open":               {"open", "未关闭"},
	"name.side.client":                 {"client", "客户端"},
	"name.side.server":                 {"server", "服务器"},
	"name.side.both":                   {"both", "双方"},
	"name.side.none":                   {"none", "无"},
	"name.side.middle":                 {"middle", "中间"},
	"name.bool.yes":                    {"yes", "是"},
	"name.bool.no":                     {"no", "否"},
	"name.verdict.random":              {"random", "随机"},
	"name.verdict.time_based":          {"time_based", "随时间增长"},
	"name.verdict.increasing":          {"increasing", "递增"},
	"name.verdict.constant_step":       {"constant_step", "固定步长"},
	"name.verdict.reused":              {"reused", "重复使用"},
	"name.verdict.too_few":             {"too_few", "样本太少"},
	"name.note.mss_missing":            {"mss_missing", "SYN 无 MSS"},
	"name.note.synack_mss_missing":     {"synack_mss_missing", "SYN-ACK 无 MSS"},
	"name.note.mss_below_536":          {"mss_below_536", "MSS 小于 536"},
	"name.note.mss_above_9000":         {"mss_above_9000", "MSS 大于 9000"},
	"name.note.wscale_over_14":         {"wscale_over_14", "窗口扩大因子超过 14"},
	"name.note.malformed_option":       {"malformed_option", "选项格式错误"},
	"name.note.syn_option_later":       {"syn_option_later", "握手后出现握手选项"},
	"name.note.ts_echo_mismatch":       {"ts_echo_mismatch", "时间戳回显不符"},
	"name.note.sack_without_permitted": {"sack_without_permitted", "未协商却用 SACK"},
	"name.note.tfo_cookie_request":     {"tfo_cookie_request", "请求 TFO cookie"},
	"name.note.tfo_cookie":             {"tfo_cookie", "出示 TFO cookie"},
	"name.note.tfo_data_accepted":      {"tfo_data_accepted", "TFO 数据被接受"},
	"name.note.tfo_data_ignored":       {"tfo_data_ignored", "TFO 数据被忽略"},
	"name.note.ecn_requested":          {"ecn_requested", "请求 ECN"},
	"name.note.ecn_negotiated":         {"ecn_negotiated", "协商 ECN"},
	"name.note.accecn_requested":       {"accecn_requested", "请求 AccECN"},
	"name.note.accecn_negotiated":      {"accecn_negotiated", "协商 AccECN"},
	"name.note.mptcp_capable":          {"mptcp_capable", "支持 MPTCP"},
	"name.option.off":                  {"off", "关闭"},
	"name.option.none":                 {"none", "无"},

	// Summary metrics (synfin summary).
	"sum.connections":     {"connections", "连接数"},
	"sum.state":           {"state", "状态"},
	"sum.handshake":       {"handshake", "握手"},
	"sum.teardown":        {"teardown", "挥手"},
	"sum.synfin":          {"SYN and FIN seen", "SYN 和 FIN 都看到"},
	"sum.reset":           {"reset", "被复位（RST）的连接"},
	"sum.open":            {"still open at end", "抓包结束时仍未关闭"},
	"sum.unanswered":      {"unanswered SYNs (S0)", "无应答的 SYN（S0）"},
	"sum.begun":           {"begun before capture", "抓包开始前已建立"},
	"sum.nottcp":          {"packets without TCP", "非 TCP 报文"},
	"sum.notdecoded":      {"packets not decoded to IP", "未能解码到 IP 的报文"},
	"sum.scanner":         {"likely scanner", "疑似扫描主机"},
	"sum.scanner.meaning": {"%d of its %d connections were probes (no data; unanswered, refused or reset) to %d ports on %s", "它的 %[2]d 个连接中有 %[1]d 个是探测（无数据；无应答、被拒绝或被复位），目标为 %[4]s上的 %[3]d 个端口"},
	"sum.host":            {"1 host", "1 台主机"},
	"sum.hosts":           {"%d hosts", "%d 台主机"},
	"sum.duration":        {"duration ms", "时长（毫秒）"},
	"sum.hsrtt":           {"handshake RTT ms", "握手往返时延（毫秒）"},
	"sum.datartt":         {"data RTT ms", "数据往返时延（毫秒）"},
	"sum.packets":         {"packets per connection", "每个连接的报文数"},
	"sum.window":          {"advertised window, scaled (max per conn)", "通告窗口，已缩放（每个连接的最大值）"},

	// Option notes (synfin options).
	"note.mss_missing":            {"The SYN offers no MSS: the server must assume 536 bytes (RFC 9293).", "SYN 没有携带 MSS：服务器只能假定为 536 字节（RFC 9293）。"},
	"note.synack_mss_missing":     {"The SYN-ACK offers no MSS: the client must assume 536 bytes.", "SYN-ACK 没有携带 MSS：客户端只能假定为 536 字节。"},
	"note.mss_below_536":          {"An MSS below 536 bytes, the minimum every host must accept.", "MSS 小于 536 字节（每台主机都必须接受的最小值）。"},
	"note.mss_above_9000":         {"An MSS above 9000 bytes, beyond jumbo frames.", "MSS 大于 9000 字节，超过了巨型帧。"},
	"note.wscale_over_14":         {"A window scale shift above 14, which RFC 7323 treats as 14.", "窗口扩大因子大于 14，RFC 7323 规定按 14 处理。"},
	"note.malformed_option":       {"An option with an impossible length; the options after it were not read.", "某个选项的长度不合法；其后的选项无法解析。"},
	"note.syn_option_later":       {"MSS, window scale or SACK permitted after the handshake, where they mean nothing.", "握手之后仍出现 MSS、窗口扩大或 SACK 允许选项，这些选项此时无意义。"},
	"note.ts_echo_mismatch":       {"The SYN-ACK echoes a timestamp the SYN did not send.", "SYN-ACK 回显的时间戳并非 SYN 发送的值。"},
	"note.sack_without_permitted": {"SACK blocks, though SACK was not permitted by both sides.", "出现了 SACK 块，但双方并未都允许 SACK。"},
	"note.tfo_cookie_request":     {"The client asks for a TCP Fast Open cookie.", "客户端请求 TCP 快速打开（TFO）cookie。"},
	"note.tfo_cookie":             {"The client presents a TCP Fast Open cookie.", "客户端出示了 TCP 快速打开（TFO）cookie。"},
	"note.tfo_data_accepted":      {"The server accepted the data carried on the SYN (TCP Fast Open).", "服务器接受了 SYN 携带的数据（TCP 快速打开）。"},
	"note.tfo_data_ignored":       {"The server ignored the data carried on the SYN; the client must send it again.", "服务器忽略了 SYN 携带的数据；客户端必须重发。"},
	"note.ecn_requested":          {"The client asks for ECN (ECE and CWR on the SYN).", "客户端请求 ECN（SYN 上置 ECE 与 CWR）。"},
	"note.ecn_negotiated":         {"ECN was agreed (ECE alone on the SYN-ACK, RFC 3168).", "双方协商启用 ECN（SYN-ACK 只置 ECE，RFC 3168）。"},
	"note.accecn_requested":       {"The client asks for Accurate ECN (AE, CWR and ECE on the SYN).", "客户端请求精确 ECN（SYN 上置 AE、CWR 与 ECE）。"},
	"note.accecn_negotiated":      {"Accurate ECN was agreed (RFC 9768).", "双方协商启用精确 ECN（RFC 9768）。"},
	"note.mptcp_capable":          {"The client offers Multipath TCP (MP_CAPABLE).", "客户端提议使用多路径 TCP（MP_CAPABLE）。"},
	"report.signatures":           {"Handshake signatures", "握手签名"},
	"report.notes":                {"Option notes", "选项提示"},
	"col.notes":                   {"notes", "提示"},
	"col.signature":               {"signature", "签名"},
	"col.side":                    {"side", "方向"},
	"col.note":                    {"note", "提示"},

	// Walkthroughs (synfin explain).
	"explain.syn":               {"The client's connect() sends SYN with its initial sequence number (ISN) %d, shown as relative 0. Its socket is now SYN-SENT.", "客户端调用 connect() 发出 SYN，初始序号（ISN）为 %d（相对值 0）。此时客户端套接字处于 SYN-SENT 状态。"},
	"explain.syn.again":         {"The SYN again, %s ms after the previous one, with the same ISN: no SYN-ACK had come back by then, so the client's kernel retransmitted it.", "距上一个 SYN %s 毫秒，再次发送 SYN，初始序号不变：此前没有收到 SYN-ACK，于是客户端内核重传了 SYN。"},
	"explain.syn.simultaneous":  {"The %s sends a SYN of its own, ISN %d, before any answer to the other's: a simultaneous open. Each side called connect(); nobody listen()s, and each answers the other's SYN.", "%s也发送了自己的 SYN（ISN 为 %d），此时它还没有回应对方的 SYN：这是同时打开。双方都调用了 connect()，没有一方在 listen()，各自确认对方的 SYN。"},
	"explain.synack":            {"The server (listen()ing, its accept() still waiting) answers SYN-ACK: its own ISN %d and ack=%d (relative 1), the client's ISN %d plus one, because a SYN takes up one sequence number. The server side is now SYN-RECEIVED.", "服务器（已调用 listen()，accept() 仍在等待）回复 SYN-ACK：自己的 ISN 为 %d，ack=%d（相对值 1），即客户端 ISN %d 加一，因为 SYN 占用一个序号。服务器一侧进入 SYN-RECEIVED 状态。"},
	"explain.synack.after":      {"It came %s ms after the SYN.", "它在 SYN 之后 %s 毫秒到达。"},
	"explain.synack.again":      {"The SYN-ACK again, %s ms after the previous one, with the same ISN: no ACK of it had come back, so the server retransmits it.", "距上一个 SYN-ACK %s 毫秒，再次发送 SYN-ACK，初始序号不变：此前没有收到对它的确认，于是服务器重传。"},
	"explain.offers":            {"It proposes: %s.", "它通告的选项：%s。"},
	"explain.listsep":           {", ", "，"},
	"explain.opt.mss":           {"MSS %d bytes (the largest segment it accepts)", "MSS %d 字节（可接收的最大报文段）"},
	"explain.opt.ws":            {"window scale %d (windows counted ×%d)", "窗口扩大因子 %d（窗口值乘以 %d）"},
	"explain.opt.sack":          {"selective acknowledgements (SACK)", "选择性确认（SACK）"},
	"explain.opt.ts":            {"timestamps (RFC 7323)", "时间戳（RFC 7323）"},
	"explain.opt.tfo":           {"TCP Fast Open", "TCP 快速打开"},
	"explain.ack":               {"The client acknowledges the SYN-ACK with ack=%d (relative 1), the server's ISN %d plus one.", "客户端确认 SYN-ACK，ack=%d（相对值 1），即服务器 ISN %d 加一。"},
	"explain.ack.simultaneous":  {"The %s acknowledges the %s's FIN. After a simultaneous close, a side goes from CLOSING to TIME-WAIT once its own FIN is acknowledged.", "%s确认%s的 FIN。同时关闭时，一方在自己的 FIN 被确认后由 CLOSING 进入 TIME-WAIT。"},
	"explain.established":       {"The three-way handshake is complete, %s ms after the SYN the server answered. The client became ESTABLISHED, and its connect() returned, when the SYN-ACK arrived: this ACK is its answer. The server becomes ESTABLISHED when the ACK reaches it; only then can its accept() return the new socket.", "三次握手完成，距服务器所应答的那个 SYN 已过 %s 毫秒。客户端在收到 SYN-ACK 时就已进入 ESTABLISHED 状态、connect() 返回：这个 ACK 就是它的回应。服务器在收到这个 ACK 时才进入 ESTABLISHED 状态，此后 accept() 才能返回新套接字。"},
	"explain.established.retx":  {"The three-way handshake is complete. Its last exchange took %s ms, one round trip; from the first SYN, setting up took %s ms, retransmission timeouts included. The client became ESTABLISHED, and its connect() returned, when the SYN-ACK arrived: this ACK is its answer. The server becomes ESTABLISHED when the ACK reaches it; only then can its accept() return the new socket.", "三次握手完成。最后一轮交换用时 %s 毫秒，即一个往返时延；从第一个 SYN 算起，建立连接共用时 %s 毫秒（含重传超时）。客户端在收到 SYN-ACK 时就已进入 ESTABLISHED 状态、connect() 返回：这个 ACK 就是它的回应。服务器在收到这个 ACK 时才进入 ESTABLISHED 状态，此后 accept() 才能返回新套接字。"},
	"explain.point.client":      {"Captured next to the client: the SYN → SYN-ACK time is the whole round trip, and the server's ESTABLISHED comes about half a round trip after this ACK is seen.", "抓包点靠近客户端：SYN 到 SYN-ACK 的时间就是完整的往返时延，服务器大约在看到这个 ACK 之后半个往返时延进入 ESTABLISHED。"},
	"explain.point.server":      {"Captured next to the server: the SYN-ACK → ACK time is the whole round trip, and the client was ESTABLISHED about half a round trip before this ACK is seen.", "抓包点靠近服务器：SYN-ACK 到 ACK 的时间就是完整的往返时延，客户端大约在看到这个 ACK 之前半个往返时延就已进入 ESTABLISHED。"},
	"explain.point.middle":      {"Captured in the middle of the path, each leg is part of the round trip.", "抓包点位于路径中间，两段时间各占往返时延的一部分。"},
	"explain.negotiated":        {"Options that hold only when both sides offered them: %s; SACK %s; timestamps %s.", "须双方都提出才生效的选项：%s；SACK %s；时间戳%s。"},
	"explain.neg.ws":            {"window scale %d (client) and %d (server)", "窗口扩大因子 %d（客户端）和 %d（服务器）"},
	"explain.neg.nows":          {"no window scaling", "不使用窗口扩大"},
	"explain.yes":               {"on", "已启用"},
	"explain.frame":             {"frame %d, %s ms", "第 %d 帧，%s 毫秒"},
	"explain.head":              {"%s, %s → %s, %s", "%s，%s → %s，%s"}, // when, from, to, flags
	"explain.frames":            {"frames %d–%d, %s ms", "第 %d–%d 帧，%s 毫秒"},
	"explain.no":                {"off", "未启用"},
	"explain.refused":           {"The server answers RST with ack=%d: no socket accepted the SYN for port %s (most often nothing listens there; a firewall or the host may also refuse), and %s.", "服务器回复 RST，ack=%d：没有套接字接受发往端口 %s 的 SYN（最常见的是没有程序在监听；也可能是防火墙或主机拒绝），%s。"},
	"explain.refused.listened":  {"The server answers RST with ack=%d: no socket accepted this SYN, though a connection to port %s completed earlier in this capture, so the listener has gone away since, or a firewall or the host refused this one; %s.", "服务器回复 RST，ack=%d：没有套接字接受这个 SYN。但本抓包中更早有连接到端口 %s 成功建立过，因此要么监听程序此后已退出，要么是防火墙或主机拒绝了这一个；%s。"},
	"explain.syn.probe":         {"The client sends SYN with initial sequence number (ISN) %d, shown as relative 0. As its answer to the SYN-ACK below shows, no socket was waiting for the reply: a raw SYN, as a port scanner such as nmap -sS sends, or a connect() given up before the answer came.", "客户端发出 SYN，初始序号（ISN）为 %d（相对值 0）。从它对下面 SYN-ACK 的回应可以看出，没有套接字在等待回复：这是原始 SYN（端口扫描器如 nmap -sS 这样发送），或是在回复到达前已放弃的 connect()。"},
	"explain.reuse":             {"The same 4-tuple carried connection %d until %s ms before this SYN: a port reuse.", "同一个四元组上的连接 %d 在这个 SYN 之前 %s 毫秒才结束：这是端口重用。"},
	"explain.reuse.timewait":    {"The %s, which closed connection %d first, is still in TIME-WAIT on this tuple, if its stack holds TIME-WAIT this long (Linux 60 s; other stacks 30 s to 4 min); it accepts the new SYN because its ISN %d lies beyond the old connection's sequence numbers, which ended near %d (RFC 9293 §3.6.1; with timestamps, a newer timestamp does too, RFC 6191).", "率先关闭连接 %[2]d 的%[1]s仍处于这个四元组的 TIME-WAIT 状态（如果它的协议栈保持这么久：Linux 为 60 秒，其他协议栈为 30 秒到 4 分钟）；它接受新的 SYN，是因为新的 ISN %[3]d 大于旧连接用过的序号（旧连接的序号大约止于 %[4]d）（RFC 9293 §3.6.1；启用时间戳时，更新的时间戳也可以，RFC 6191）。"},
	"explain.reuse.timewait.ts": {"The %s, which closed connection %d first, is still in TIME-WAIT on this tuple, if its stack holds TIME-WAIT this long (Linux 60 s; other stacks 30 s to 4 min); the new ISN %d does not lie beyond the old connection's sequence numbers (near %d), so it can accept the SYN only by its newer timestamp (RFC 6191).", "率先关闭连接 %[2]d 的%[1]s仍处于这个四元组的 TIME-WAIT 状态（如果它的协议栈保持这么久：Linux 为 60 秒，其他协议栈为 30 秒到 4 分钟）；新的 ISN %[3]d 并不大于旧连接用过的序号（大约 %[4]d），因此只能凭更新的时间戳接受这个 SYN（RFC 6191）。"},
	"explain.reuse.clientwait":  {"The client closed connection %d first, so its own side of the tuple is still in TIME-WAIT if its stack holds it this long (Linux 60 s; other stacks 30 s to 4 min): reusing the port at once takes SO_REUSEADDR and, on Linux, net.ipv4.tcp_tw_reuse with timestamps.", "客户端率先关闭了连接 %d，因此它这一侧的四元组仍处于 TIME-WAIT（如果它的协议栈保持这么久：Linux 为 60 秒，其他协议栈为 30 秒到 4 分钟）：立即重用该端口需要 SO_REUSEADDR，在 Linux 上还需开启时间戳时的 net.ipv4.tcp_tw_reuse。"},
	"explain.rst.probe":         {"The client's kernel answers the SYN-ACK with RST: no socket of its own expected it, so the port answered open and no connection is made. The server drops its half-open connection.", "客户端内核用 RST 回应 SYN-ACK：它自己没有套接字在等待这个 SYN-ACK，因此端口显示为开放，但不建立连接。服务器丢弃其半开连接。"},
	"explain.rst":               {"The %s (%s) sends RST: the connection is aborted at once. The packets do not show why: an application's abort (close() with SO_LINGER 0), the stack's own reset, or a middlebox; the capture cannot tell which. Neither side waits in TIME-WAIT.", "%s（%s）发送 RST：连接立即中止。报文没有说明原因：可能是应用中止（SO_LINGER 为 0 的 close()）、协议栈自己的复位或中间设备，抓包无法分辨。双方都不经过 TIME-WAIT。"},
	"explain.rst.closed":        {"The %s (%s) sends RST after both FINs were acknowledged: the connection had closed; the RST answers a segment that arrived after that (a late retransmission, or data for a socket already gone).", "%s（%s）在双方的 FIN 都被确认之后发送 RST：连接已经关闭；这个 RST 回应的是此后到达的报文（迟到的重传，或发往已不存在的套接字的数据）。"},
	"explain.rst.afterfin":      {"The %s (%s) sends RST after its own FIN: data arrived for a socket it had already closed, or its application aborted (close() with SO_LINGER 0). No one waits in TIME-WAIT.", "%s（%s）在自己的 FIN 之后发送 RST：数据到达了它已关闭的套接字，或其应用中止了连接（SO_LINGER 为 0 的 close()）。双方都不经过 TIME-WAIT。"},
	"explain.rst.halfopen":      {"The server gives up on the half-open connection and sends RST: its SYN-ACK was never acknowledged (it sent it %d times). The connection was never established.", "服务器放弃这个半开连接并发送 RST：它的 SYN-ACK 始终没有被确认（共发送了 %d 次）。连接从未建立。"},
	"explain.data.halfclose":    {"A half-close: the %s has closed its direction with FIN, the other still carries data: %d packet(s); the client sent %d bytes and the server %d.", "半关闭：%s已用 FIN 关闭了自己的方向，另一个方向仍在传输数据：共 %d 个报文；客户端发送 %d 字节，服务器发送 %d 字节。"},
	"explain.data":              {"Data transfer: %d segment(s) carried data and %d only acknowledged; the client sent %d bytes and the server %d; the largest segment held %d bytes.", "数据传输：%d 个报文段携带数据，%d 个只是确认；客户端发送 %d 字节，服务器发送 %d 字节；最大的报文段为 %d 字节。"},
	"explain.data.dup":          {"The capture also recorded %d of them twice (copies, not sent again).", "抓包另外把其中 %d 个报文记录了两次（是副本，并非再次发送）。"},
	"explain.dup":               {"The capture recorded an earlier packet of the same side again, %s ms later, with the same IP identification, sequence and acknowledgment numbers, flags and length: a copy made where the capture was taken (a mirror port, or a second interface), not a retransmission. It was sent once.", "抓包在 %s 毫秒后再次记录了同一方此前的一个报文，IP 标识、序号、确认号、标志位和长度都相同：这是抓包处产生的副本（镜像端口或第二个接口），不是重传，该报文只发送了一次。"},
	"explain.data.retx":         {"%d of them were retransmissions.", "其中 %d 个是重传。"},
	"explain.fin1":              {"The %s calls close() (or shutdown()) first and sends FIN: it will send no more data. It is now FIN-WAIT-1, the active closer; the %s will be CLOSE-WAIT once it has seen the FIN.", "%s先调用 close()（或 shutdown()）并发送 FIN：它不再发送数据，进入 FIN-WAIT-1 状态，成为主动关闭方；%s收到 FIN 后进入 CLOSE-WAIT 状态。"},
	"explain.fin1.crossing":     {"The %s calls close() (or shutdown()) and sends FIN: it is now FIN-WAIT-1. The %s's FIN crosses it on the way (a simultaneous close), so neither side passes through CLOSE-WAIT.", "%s调用 close()（或 shutdown()）并发送 FIN，进入 FIN-WAIT-1 状态。%s的 FIN 也已发出，两个 FIN 在途中交错（同时关闭），因此双方都不经过 CLOSE-WAIT。"},
	"explain.ack.fin1":          {"The %s acknowledges the FIN (ack = the FIN's sequence number plus one, since a FIN takes up one): it is CLOSE-WAIT until its application calls close(); the %s, with its FIN acknowledged, is FIN-WAIT-2.", "%s确认该 FIN（ack = FIN 的序号加一，因为 FIN 占用一个序号）：在其应用调用 close() 之前处于 CLOSE-WAIT 状态；%s的 FIN 已被确认，进入 FIN-WAIT-2 状态。"},
	"explain.ack.fin1.data":     {"The same segment carries %d bytes of data: the %s still sends after the other side's FIN, which a FIN allows; whether the other side still reads them, the packets after show.", "同一报文还携带 %d 字节数据：%s在对方发送 FIN 之后仍在发送，FIN 允许这样做；对方是否还会读取，要看后面的报文。"},
	"explain.fin2":              {"The %s's application calls close() too and sends its own FIN: it is now LAST-ACK, waiting for that FIN to be acknowledged.", "%s的应用也调用了 close()，发送自己的 FIN：进入 LAST-ACK 状态，等待这个 FIN 被确认。"},
	"explain.fin2.threeway":     {"The %s sends its own FIN and in the same segment acknowledges the %s's FIN: a three-way close. It is now LAST-ACK.", "%s发送自己的 FIN，并在同一报文中确认了%s的 FIN：这是三次挥手（四次挥手中间的 ACK 与 FIN 合并为一个报文）。它进入 LAST-ACK 状态。"},
	"explain.fin.simultaneous":  {"The %s sends its own FIN without acknowledging the other's: it had not yet received (or processed) that FIN, so the two FINs cross, as in a simultaneous close. It is FIN-WAIT-1; a side that then sees the other's FIN before its own is acknowledged goes to CLOSING, and to TIME-WAIT once its own FIN is acknowledged.", "%s发送自己的 FIN 时没有确认对方的 FIN：它尚未收到（或尚未处理）那个 FIN，两个 FIN 在途中交错，如同同时关闭。它处于 FIN-WAIT-1；一方若在自己的 FIN 被确认之前收到对方的 FIN，就进入 CLOSING，待自己的 FIN 被确认后进入 TIME-WAIT。"},
	"explain.fin.again":         {"The FIN again, %s ms after the first, with the same sequence number: it had not been acknowledged, so it is retransmitted.", "距第一个 FIN %s 毫秒，再次发送 FIN，序号相同：它还没有被确认，于是重传。"},
	"explain.ack.last":          {"The %s acknowledges the last FIN and enters TIME-WAIT for twice the maximum segment lifetime (how long depends on its stack: Linux 60 s, others 30 s to 4 min), so that it can send this ACK again if it is lost and old duplicates die out; the %s, its FIN acknowledged, is CLOSED.", "%s确认最后一个 FIN，进入 TIME-WAIT 状态并等待两倍的最大报文段寿命（时长取决于协议栈：Linux 为 60 秒，其他为 30 秒到 4 分钟），以便在这个 ACK 丢失时重发，并让旧的重复报文消失；%s的 FIN 已被确认，它进入 CLOSED 状态。"},
	"explain.teardown.data":     {"The %s sends %d bytes after the other side's FIN. A FIN closes only its sender's direction, so this is allowed (a half-close); whether the other side still reads them depends on whether it called shutdown() or close(): later packets from it, if any, show which.", "%s在对方的 FIN 之后发送了 %d 字节。FIN 只关闭发送方自己的方向，所以这是允许的（半关闭）；对方能否读到这些数据取决于它调用的是 shutdown() 还是 close()，后面的报文会说明。"},
	"explain.plain.ack":         {"An acknowledgement.", "一个确认报文。"},

	// synfin lab.
	"lab.calls":         {"Socket calls made by synfin's own client and server on 127.0.0.1:", "synfin 自带的客户端与服务器在 127.0.0.1 上进行的套接字调用："},
	"lab.by.listen":     {"kernel, for listen()", "内核代 listen() 回应"},
	"lab.by.nolistener": {"kernel: no listener", "内核：无监听"},
	"lab.by.kernel":     {"kernel", "内核"},
	"lab.written":       {"The capture is in %s: open it in Wireshark to see the same packets.", "抓包已写入 %s：可用 Wireshark 打开查看同样的报文。"},

	// Closer values.
	"closer.client": {"client", "客户端"},
	"closer.server": {"server", "服务器"},
	"closer.both":   {"both", "双方"},
	"closer.none":   {"none", "无"},

	// Fitting a table to the terminal (table.fitNote).
	"fit.note":                 {"synfin: note: to fit the terminal, %s; --wide shows everything", "synfin: 提示：为适应终端宽度，%s；--wide 显示全部"},
	"fit.and":                  {"; ", "；"},
	"fit.dropped":              {"left out %s", "省略了列：%s"},
	"fit.titled":               {"moved %s (but its port) and %s to a title line above the rows of each host pair", "把%s（端口除外）和%s移到每对主机各行上方的标题行"},
	"fit.cut":                  {"shortened long cells in their middle (…)", "从中间缩短了过长的单元格（…）"},
	"fit.note.records":         {"synfin: note: the table does not fit the terminal, so each connection is printed as a block of lines, every column whole; --wide shows the table", "synfin: 提示：表格超出终端宽度，因此每个连接分块逐行显示，各列完整；--wide 显示表格"},
	"fit.note.records.dropped": {"synfin: note: the table does not fit the terminal even without %s, so each connection is printed as a block of lines, every column whole; --wide shows the table", "synfin: 提示：即使省略列（%s），表格仍超出终端宽度，因此每个连接分块逐行显示，各列完整；--wide 显示表格"},

	// Meanings of the summary's counts of connections.
	"sum.synfin.meaning":     {"Both the SYN and a FIN were captured: seen from opening to close.", "SYN 和 FIN 都被抓到：从建立到关闭都看到了。"},
	"sum.reset.meaning":      {"An RST came at some point: refused, aborted, or reset after closing.", "出现过 RST：被拒绝、被中止，或关闭后被复位。"},
	"sum.open.meaning":       {"No RST, and not a FIN each way, by the end of the capture (unanswered SYNs aside).", "到抓包结束时没有 RST，也没有双向 FIN（无应答的 SYN 除外）。"},
	"sum.unanswered.meaning": {"The SYN got no answer at all (Zeek's S0): a host down, a filtered port, or a scan.", "SYN 完全没有得到回应（S0）：主机不在线、端口被过滤，或是扫描。"},
	"sum.begun.meaning":      {"No SYN in the capture: the connection began before it.", "抓包中没有 SYN：连接在抓包开始前就已建立。"},
	"sum.nottcp.meaning":     {"Packets of the inputs that carry no TCP (UDP, ICMP, ARP …): not counted above.", "输入中不含 TCP 的报文（UDP、ICMP、ARP 等）：不计入以上各项。"},
}
