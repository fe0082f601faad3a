# Three TCP connections on loopback whose packets interleave, with UDP
# datagrams between them, so frame numbers differ from per-connection packet
# numbers. Bounded: three clients, three messages each.
import socket, threading, time
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 9901)); srv.listen(8)
def serve():
    for _ in range(3):
        c, _ = srv.accept()
        threading.Thread(target=echo, args=(c,)).start()
def echo(c):
    while True:
        b = c.recv(100)
        if not b: break
        c.sendall(b.upper())
    c.close()
threading.Thread(target=serve, daemon=True).start()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
def client(i):
    s = socket.create_connection(("127.0.0.1", 9901))
    for k in range(3):
        s.sendall(b"hello %d.%d\n" % (i, k)); s.recv(100)
        time.sleep(0.03)
    s.close()
ts = []
for i in range(3):
    t = threading.Thread(target=client, args=(i,)); t.start(); ts.append(t)
    u.sendto(b"noise %d" % i, ("127.0.0.1", 9903))
    time.sleep(0.01)
for t in ts: t.join()
time.sleep(0.1)
