package msg

// The command line's own messages: notes, warnings and errors a person
// reads on standard error. Kept apart from the views' words so that the
// two grow without treading on each other; TestEveryKeyInEveryLanguage
// holds them to both languages as it does the rest.
var cliMessages = map[string]text{
	"cli.nomatch.one":  {"note: no connection matches %s (%d in the capture)", "注意：没有连接符合 %s（抓包中共 %d 个连接）"},
	"cli.nomatch.many": {"note: no connection matches %s (%d in the %d captures)", "注意：没有连接符合 %s（%[3]d 个抓包中共 %[2]d 个连接）"},

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
