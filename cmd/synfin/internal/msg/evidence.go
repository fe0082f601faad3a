package msg

// The walkthrough's sentences built from a connection's evidence
// timeline (package evidence): the data phase, RST causes by what the
// packets single out, partial captures, simultaneous opens and TCP Fast
// Open.
var evidenceMessages = map[string]text{
	"explain.absent":              {"The capture holds only the %s's packets: nothing the %s sent is in it, so what follows tells only what the %s's packets prove.", "抓包中只有%s的报文：%s发送的报文都不在其中，因此下面只讲%s的报文能证明的内容。"},
	"explain.unseen":              {"The %s acknowledges %d bytes that the capture never shows the %s sending: the capture point missed them (one direction of an asymmetric path, or packets it dropped), and cannot tell what they were.", "%s确认了 %d 字节，而抓包中从未看到%s发送它们：抓包点漏掉了这些报文（非对称路径的一个方向，或抓包时丢包），无法知道其内容。"},
	"explain.afterreset.data":     {"%d packet(s) after the RST: they were on their way when it was sent, or their sender had not yet received it (the client's %d bytes, the server's %d). A side that sent or received the RST has deleted the connection, so they change no state; each may be answered with another RST.", "RST 之后还有 %d 个报文：它们在 RST 发出时已在途中，或发送方尚未收到 RST（客户端 %d 字节，服务器 %d 字节）。发出或收到 RST 的一方已删除该连接，这些报文不改变任何状态；每个都可能再换来一个 RST。"},
	"explain.refused.fails":       {"the client's connect() fails (ECONNREFUSED)", "客户端的 connect() 失败（ECONNREFUSED）"},
	"explain.refused.retries":     {"the client tries again below, so its connect() has not failed yet", "客户端随后再次尝试，因此它的 connect() 此时还没有失败"},
	"explain.ack.data":            {"The same segment carries the client's first %d bytes of data.", "同一报文段还携带了客户端的前 %d 字节数据。"},
	"ladder.partial":              {"%s: Zeek's label for the packets it saw; this capture misses packets of the %s (see above), so the label may claim more than the packets show.", "%s：Zeek 对它所见报文的标注；本抓包缺少%s的部分报文（见上），因此这个标注可能超出报文所能证明的内容。"},
	"handshake.no_reply.oneway":   {"Only the SYN of the handshake is in the capture, but the client's later packets acknowledge what the server sent: the capture saw only one direction.", "抓包中只有握手的 SYN，但客户端后来的报文确认了服务器发送的内容：抓包只看到了一个方向。"},
	"explain.syn.again.soon":      {"The same SYN again, only %s ms after the previous one: sooner than any retransmission timer (RFC 6298 starts at 1 s, and no stack waits much less than 200 ms), so something other than TCP's timer sent it again (a tool, or a copy over a second path); the capture cannot tell which.", "仅 %s 毫秒后又出现同一个 SYN：这比任何重传定时器都早（RFC 6298 的初始值为 1 秒，没有哪个协议栈会等得远少于 200 毫秒），所以它不是 TCP 定时器重传的（可能是某个工具发送的，或经另一条路径得到的副本）；抓包无法分辨。"},
	"explain.afterreset.one":      {"A packet from the %s after the RST: it was on its way, or its sender had not yet received the RST; it finds the connection deleted, changes no state, and may be answered with another RST.", "RST 之后%s发来的一个报文：它已在途中，或发送方尚未收到 RST；它遇到的是已删除的连接，不改变任何状态，可能再换来一个 RST。"},
	"explain.afterreset":          {"%d packet(s) after the RST. A side that sent or received the RST has deleted the connection, so they change no state; each may be answered with another RST.", "RST 之后还有 %d 个报文。发出或收到 RST 的一方已删除该连接，这些报文不改变任何状态；每个都可能再换来一个 RST。"},
	"explain.data.delayed":        {"The %s acknowledged new data %d times for the %d segments it received: about one ACK for every second segment, as delayed ACKs do (RFC 9293 §3.8.6.3).", "%s对收到的 %[3]d 个报文段共确认了 %[2]d 次新数据：大约每两个报文段确认一次，这是延迟确认的做法（RFC 9293 §3.8.6.3）。"},
	"explain.acks":                {"%d acknowledgement(s): %d from the client, %d from the server.", "%d 个确认报文：客户端 %d 个，服务器 %d 个。"},
	"explain.acks.upto":           {"The last, from the %s, acknowledges up to relative %d.", "最后一个由%s发出，确认到相对序号 %d。"},
	"explain.data.dupacks":        {"%d of the acknowledgements were duplicate ACKs (the same ack number again, as segments arrive past a hole).", "其中 %d 个确认是重复确认（确认号相同，因为后面的报文段越过了空缺先到达）。"},
	"explain.data.afterownfin":    {"The %s sends %d bytes after its own FIN: they cannot be new data (a FIN ends its sending), so they repeat bytes sent before.", "%s在自己的 FIN 之后发送了 %d 字节：FIN 之后不能再有新数据，所以这是此前已发送字节的重复。"},
	"explain.segment":             {"The %s sends %d bytes.", "%s发送 %d 字节。"},
	"explain.ooo":                 {"%d bytes from the %s arrive out of order: they fill a gap that later bytes had left shortly before.", "%[2]s的 %[1]d 字节乱序到达：它们填补了稍早由后面的字节留下的空缺。"},
	"explain.keepalive":           {"A keep-alive from the %s (%s ms after its previous packet): one byte, or none, just below the next sequence number, so that the other side answers with an ACK if it is still there.", "%s发出保活报文（距它上一个报文 %s 毫秒）：在下一个序号之前的一个字节或不带数据，对方若仍在就会回复 ACK。"},
	"explain.zerowindow":          {"The %s advertises a zero window: its receive buffer is full (its application is not reading), so the %s must stop sending until the window opens (RFC 9293 §3.8.6.1).", "%s通告零窗口：它的接收缓冲区已满（应用没有读取），%s必须停止发送，直到窗口重新打开（RFC 9293 §3.8.6.1）。"},
	"explain.zwprobe":             {"The %s sends one byte into the zero window (%s ms after it closed): a zero-window probe, asking whether the window has opened; its ACK carries the current window.", "%s向零窗口发送一个字节（零窗口出现 %s 毫秒后）：这是零窗口探测，询问窗口是否已打开；对方的 ACK 会带回当前窗口。"},
	"explain.window.open":         {"The %s's window opens again to %d (before scaling), %s ms after it closed: its application read data, and the %s may send again.", "%s的窗口重新打开为 %d（缩放前），距关闭 %s 毫秒：它的应用读取了数据，%s可以继续发送。"},
	"explain.window.update":       {"A window update from the %s: only its window changes, to %d (before scaling).", "%s的窗口更新：只有窗口改变，变为 %d（缩放前）。"},
	"explain.dup.noid":            {"The capture holds the previous packet again, %s ms later, the same in every field; with no IPv4 identification to tell them apart (IPv6, or an ID of 0), the capture cannot tell a copy made where it was taken from a second packet just like it (one RST for each arriving segment, say).", "抓包在 %s 毫秒后又记录了与上一个报文各字段都相同的报文；由于没有可用于区分的 IPv4 标识（IPv6，或标识为 0），抓包无法分辨这是抓包处产生的副本，还是又发送了一个相同的报文（例如对每个到达的报文段各回一个 RST）。"},
	"explain.syn.fromserver":      {"The server's side sends a SYN with ISN %d, shown as relative 0.", "服务器一侧发出 SYN，初始序号（ISN）为 %d（相对值 0）。"},
	"explain.syn.afterrst":        {"The client sends the same SYN again %s ms after the RST refused the previous one (%s ms after that SYN): the RST did come back, so this is a new attempt by the application or its stack, not a retransmission for want of an answer.", "客户端在 RST 拒绝上一个 SYN 之后 %s 毫秒（距那个 SYN %s 毫秒）再次发送同一个 SYN：RST 确实回来了，所以这是应用或其协议栈的新一次尝试，而不是因为没有回应而重传。"},
	"explain.syn.afterrst.new":    {"The client sends a new SYN, ISN %d, %s ms after the RST refused the previous one: a new attempt.", "客户端在 RST 拒绝上一个 SYN 之后 %[2]s 毫秒发出新的 SYN（ISN 为 %[1]d）：这是新的一次尝试。"},
	"explain.syn.again.total":     {"The first SYN was sent %s ms before this one.", "第一个 SYN 在这一个之前 %s 毫秒发出。"},
	"explain.syn.new":             {"A SYN with another ISN, %d, %s ms after the previous one: a new connection attempt on the same ports.", "%[2]s 毫秒后又发出一个 ISN 不同（%[1]d）的 SYN：这是在相同端口上的新的连接尝试。"},
	"explain.syn.data":            {"It carries %d bytes of data (TCP Fast Open).", "它携带 %d 字节数据（TCP 快速打开）。"},
	"explain.synack.answer":       {"The SYN-ACK again, %s ms after the previous one: it answers the client's SYN sent again.", "%s 毫秒后再次发送 SYN-ACK：它回应客户端重传的 SYN。"},
	"explain.synack.simultaneous": {"The %s answers the other's SYN with SYN-ACK: its own ISN %d again (as in its SYN) and ack=%d, the %s's ISN plus one. It is now %s; a side becomes ESTABLISHED when its own SYN is acknowledged.", "%s用 SYN-ACK 回应对方的 SYN：仍是自己的 ISN %d（与它的 SYN 相同），ack=%d，即%s的 ISN 加一。它现在处于 %s 状态；一方在自己的 SYN 被确认时进入 ESTABLISHED。"},
	"explain.synack.tfo":          {"The server (listen()ing, its accept() still waiting) answers SYN-ACK: its own ISN %d and ack=%d (relative %d): the client's ISN %d plus one for the SYN and %d for the data it carried, so the server took the data with the SYN (TCP Fast Open). The server side is now SYN-RECEIVED.", "服务器（已调用 listen()，accept() 仍在等待）回复 SYN-ACK：自己的 ISN 为 %d，ack=%d（相对值 %d），即客户端 ISN %d 加上 SYN 占用的一个序号，再加上它携带的 %d 字节数据：服务器随 SYN 接收了这些数据（TCP 快速打开）。服务器一侧进入 SYN-RECEIVED 状态。"},
	"explain.synack.tfo.refused":  {"The SYN carried %d bytes of data, but this ack covers only the SYN: the server did not take the data (no valid Fast Open cookie, or Fast Open off), and the client sends it again after the handshake.", "SYN 携带了 %d 字节数据，但这个 ack 只确认了 SYN：服务器没有接收这些数据（没有有效的快速打开 cookie，或未开启快速打开），客户端会在握手之后重新发送。"},
	"explain.rst.giveup":          {"The %s sends RST after %d SYN(s) over %s ms with no SYN-ACK: its stack gives up the attempt, and connect() fails.", "%s在 %d 个 SYN、历时 %s 毫秒都没有收到 SYN-ACK 之后发送 RST：它的协议栈放弃了这次尝试，connect() 失败。"},
	"explain.rst.dataafterclose":  {"The %s (%s) sends RST: it had closed the connection (its FIN, %s ms earlier) and the %s's data arrived after that. A socket closed with close() cannot take data, so its kernel aborts the connection (RFC 9293 §3.10.7.4, RFC 1122 §4.2.2.13). Neither side waits in TIME-WAIT.", "%s（%s）发送 RST：它已经关闭了连接（它的 FIN 在 %s 毫秒前），而%s的数据在那之后才到达。用 close() 关闭的套接字不能再接收数据，因此它的内核中止连接（RFC 9293 §3.10.7.4，RFC 1122 §4.2.2.13）。双方都不经过 TIME-WAIT。"},
	"explain.rst.unread":          {"The %s (%s) sends RST %s ms after the %s's latest data, which it had not acknowledged. The capture cannot tell which: its application closed the socket with data still unread (RFC 1122 §4.2.2.13), it closed with SO_LINGER 0, or the stack aborted. Neither side waits in TIME-WAIT.", "%s（%s）在%[4]s最近的数据到达 %[3]s 毫秒后发送 RST，而它还没有确认这些数据。抓包无法分辨是哪种情况：应用在数据未读完时关闭了套接字（RFC 1122 §4.2.2.13）、以 SO_LINGER 为 0 关闭，或协议栈中止了连接。双方都不经过 TIME-WAIT。"},
	"explain.rst.again":           {"Another RST from the %s: after an RST, each segment that still arrives is answered with one (RFC 9293 §3.10.7.1), so several are normal.", "%s又发送了一个 RST：RST 之后每个仍然到达的报文段都会换来一个 RST（RFC 9293 §3.10.7.1），因此出现多个是正常的。"},
	"explain.ack.synack":          {"The %s acknowledges the other's SYN-ACK with ack=%d, the other's ISN %d plus one.", "%s确认对方的 SYN-ACK，ack=%d，即对方 ISN %d 加一。"},
	"explain.mss.none":            {"536 (it offered no MSS, so the default applies, RFC 9293 §3.7.1)", "536（它没有提出 MSS，因此使用默认值，RFC 9293 §3.7.1）"},
	"explain.mss":                 {"MSS is not negotiated: each side tells the largest segment it accepts, so the client may send segments of up to %s bytes and the server of up to %s bytes (RFC 9293 §3.7.1).", "MSS 不是协商出来的：每一方告知自己能接收的最大报文段，因此客户端发送的报文段最多 %s 字节，服务器最多 %s 字节（RFC 9293 §3.7.1）。"},
	"explain.window.scaled":       {"The window of a SYN is never scaled (RFC 7323 §2.2): the client's %d was in bytes, while this ACK's %d is multiplied by %d, %d bytes.", "SYN 中的窗口从不缩放（RFC 7323 §2.2）：客户端的 %d 就是字节数，而这个 ACK 中的 %d 要乘以 %d，即 %d 字节。"},
	"explain.fin.afterreset":      {"A FIN from the %s after the RST: sent before the RST reached it, or by a side that had already deleted the connection; it changes no state.", "%s在 RST 之后发送的 FIN：它在收到 RST 之前就已发出，或来自已删除该连接的一方；它不改变任何状态。"},
	"explain.fin.again.acks":      {"The %s acknowledges the %s's FIN; its own FIN is still unacknowledged, so the FIN flag is set again, with the same sequence number. It is now %s.", "%s确认%s的 FIN；它自己的 FIN 还没有被确认，所以再次置上 FIN 标志，序号不变。它现在处于 %s 状态。"},
	"explain.fin.other":           {"Another FIN from the %s, at another sequence number than its first: not a retransmission of it.", "%s又发送了一个 FIN，序号与它的第一个 FIN 不同：不是那个 FIN 的重传。"},
	"explain.fin.data":            {"The same segment carries %d bytes of data, the last it sends.", "同一报文段还携带 %d 字节数据，这是它发送的最后数据。"},
	"explain.retx.dupacks":        {"A fast retransmission: the %s sends %d bytes again after the %s's duplicate ACKs named them missing (%s ms after their first transmission).", "快速重传：%[3]s的重复确认表明这些字节丢失，%[1]s重新发送 %[2]d 字节（距第一次发送 %[4]s 毫秒）。"},
	"explain.retx.sack":           {"The %s sends %d bytes again after the %s's SACK blocks showed them missing (%s ms after their first transmission).", "%[3]s的 SACK 块表明这些字节丢失，%[1]s重新发送 %[2]d 字节（距第一次发送 %[4]s 毫秒）。"},
	"explain.retx.timer":          {"The %s sends %d bytes again, %s ms after their first transmission, with no duplicate ACK or SACK before it: a timer fired (a retransmission timeout, or a tail-loss probe; the capture cannot tell which).", "%s在第一次发送 %[3]s 毫秒后重新发送 %[2]d 字节，此前没有重复确认或 SACK：是定时器触发的（重传超时，或尾部丢失探测；抓包无法分辨）。"},
	"explain.retx":                {"The %s sends %d bytes it had sent before: a retransmission.", "%s重新发送了此前发过的 %d 字节：这是重传。"},
	"state.SF.rstbetween":         {"Both sides sent FIN (Zeek counts that as a normal close), though an RST came between the two FINs.", "双方都发送了 FIN（Zeek 将其计为正常关闭），不过两个 FIN 之间出现了 RST。"},
	"teardown.reset.beforefin2":   {"The %s sent FIN; then an RST from the %s ended the connection before the other side's FIN (which came after the RST, or not at all).", "%s发送了 FIN；随后%s的 RST 在另一方的 FIN 之前终止了连接（另一方的 FIN 在 RST 之后才出现，或根本没有）。"},
}

func init() {
	for k, v := range evidenceMessages {
		catalogue[k] = v
	}
}
