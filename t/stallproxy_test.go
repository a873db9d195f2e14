package t

import (
	"io"
	"net"
	"strconv"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"
)

// stallproxy <upstream-port> <bytes>: listens on 127.0.0.1:$STALL_PORT and
// forwards each connection to 127.0.0.1:<upstream-port>, but passes only the
// first <bytes> of what the server sends; after that it reads no more from
// the server and sends nothing, keeping the connection open: a server that
// stalls half-way through a pack while it still answers new requests whose
// answers are small (ls-remote). toxiproxy's toxics stall from the start or
// close the connection, not this. Everything closes at the end of the script.
func cmdStallproxy(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "stallproxy")
	if len(args) != 2 {
		ts.Fatalf("usage: stallproxy <upstream-port> <bytes>")
	}
	limit, err := strconv.ParseInt(args[1], 10, 64)
	if err != nil || limit < 0 {
		ts.Fatalf("stallproxy: %q is not a byte count", args[1])
	}
	upstream := net.JoinHostPort("127.0.0.1", args[0])
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ts.Fatalf("stallproxy: %v", err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	keep := func(c ...net.Conn) {
		mu.Lock()
		conns = append(conns, c...)
		mu.Unlock()
	}
	ts.Defer(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			client, err := l.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", upstream)
			if err != nil {
				client.Close()
				continue
			}
			keep(client, server)
			go io.Copy(server, client)
			go io.CopyN(client, server, limit) // then silence
		}
	}()
	ts.Setenv("STALL_PORT", strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
}
