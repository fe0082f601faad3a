package msg

import "strings"

// webCatalogue is the browser page's own words (cmd/synfin-web); the
// page also shows the column headers (col.*) and the meanings of states,
// handshakes and teardowns of the main catalogue.
var webCatalogue = map[string]text{
	"web.title":         {"synfin: TCP handshakes and teardowns in your browser", "synfin：在浏览器中分析 TCP 握手与挥手"},
	"web.tagline":       {"Open a capture (pcap or pcapng, plain or compressed with gzip, zstd, xz or lz4) to see how every TCP connection in it was opened and closed.", "打开一个抓包文件（pcap 或 pcapng，未压缩或用 gzip、zstd、xz、lz4 压缩的），查看其中每个 TCP 连接如何建立、如何关闭。"},
	"web.privacy":       {"Nothing leaves this page: the capture is read here, in your browser, and the page makes no network request of any kind.", "数据不会离开本页面：抓包文件就在你的浏览器里读取，页面不发出任何网络请求。"},
	"web.choose":        {"Choose captures", "选择抓包文件"},
	"web.drop":          {"or drop them here", "或拖放到这里"},
	"web.reading":       {"Reading %s: %s of %s MB", "正在读取 %s：%s / %s MB"},
	"web.working":       {"Working…", "处理中……"},
	"web.read":          {"Read %d TCP packets (%d connections) in %s s.", "读取了 %d 个 TCP 报文（%d 个连接），用时 %s 秒。"},
	"web.read.rate":     {"Read %d TCP packets (%d connections) in %s s: %s million packets a second.", "读取了 %d 个 TCP 报文（%d 个连接），用时 %s 秒，每秒 %s 百万个报文。"},
	"web.messages":      {"Messages", "提示信息"},
	"web.summary":       {"Summary", "概要"},
	"web.conns":         {"Connections", "连接"},
	"web.shown":         {"%d of %d connections shown", "显示 %d 个连接（共 %d 个）"},
	"web.more":          {"Show more", "显示更多"},
	"web.filter.host":   {"host", "主机"},
	"web.filter.port":   {"port", "端口"},
	"web.filter.state":  {"state", "状态"},
	"web.filter.any":    {"any", "全部"},
	"web.sort":          {"Click a column header to sort; click a connection to see its ladder.", "点击列标题排序；点击某个连接查看其时序图。"},
	"web.download":      {"Download", "下载"},
	"web.dl.csv":        {"CSV", "CSV"},
	"web.dl.jsonl":      {"JSON Lines", "JSON Lines"},
	"web.dl.reporthtml": {"Report (HTML)", "报告（HTML）"},
	"web.dl.reportmd":   {"Report (Markdown)", "报告（Markdown）"},
	"web.dl.svg":        {"Ladder (SVG)", "时序图（SVG）"},
	"web.detail":        {"Connection %d of %s", "连接 %d（%s）"},
	"web.ladder":        {"Ladder diagram", "时序图"},
	"web.explain":       {"Walkthrough", "逐包讲解"},
	"web.graphs":        {"Data phase: time-sequence and RTT (synfin graph)", "数据阶段：时间-序号图与 RTT（synfin graph）"},
	"web.fields":        {"Handshake, options and teardown", "握手、选项与挥手"},
	"web.file":          {"capture", "抓包文件"},
	"web.none":          {"No TCP connection was found in these captures.", "这些抓包中没有 TCP 连接。"},
	"web.lang":          {"中文", "English"},
	"web.failed":        {"synfin could not read %s.", "synfin 无法读取 %s。"},
}

func init() {
	for k, v := range webCatalogue {
		catalogue[k] = v
	}
}

// Page returns what the browser page shows in l: its own words, the
// column headers, the report's table words, and the meanings and names
// of states, handshakes and teardowns, by key.
func Page(l Lang) map[string]string {
	out := map[string]string{}
	for k := range catalogue {
		for _, p := range []string{"web.", "col.", "state.", "handshake.", "teardown.", "name.", "report."} {
			if strings.HasPrefix(k, p) {
				out[k] = l.T(k)
			}
		}
	}
	return out
}
