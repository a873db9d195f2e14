package credential

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// HelperCommand is the hidden subcommand git runs as the fetches'
// credential helper: "git-backfill credential-relay <socket> <op>".
const HelperCommand = "credential-relay"

// dialTimeout bounds the connection to the Relay, which is a local
// socket: it either answers at once or is gone.
const dialTimeout = 5 * time.Second

// errNoRelay is what a helper says when the Relay does not answer.
var errNoRelay = errors.New("git-backfill's credential relay is gone (the run that started this fetch has ended)")

// RunHelper is the credential helper's side: it passes git's request (op
// and the description on stdin) to the Relay at socket and prints the
// answer for git. A Relay that is gone gets git told to stop asking, so
// that a fetch left behind never prompts by itself.
func RunHelper(socket, op string, stdin io.Reader, stdout, stderr io.Writer) error {
	input, err := io.ReadAll(io.LimitReader(stdin, maxMessage))
	if err != nil {
		return err
	}
	rep, err := ask(socket, request{Op: op, Input: string(input)})
	if err != nil {
		if op == "get" {
			io.WriteString(stdout, "quit=1\n")
		}
		fmt.Fprintf(stderr, "fatal: %v\n", errNoRelay)
		return nil
	}
	io.WriteString(stderr, rep.Stderr)
	_, err = io.WriteString(stdout, rep.Output)
	return err
}

func ask(socket string, req request) (reply, error) {
	var rep reply
	c, err := net.DialTimeout("unix", socket, dialTimeout)
	if err != nil {
		return rep, err
	}
	defer c.Close()
	c.SetWriteDeadline(time.Now().Add(dialTimeout))
	if err := json.NewEncoder(c).Encode(req); err != nil {
		return rep, err
	}
	// The answer may wait for the user to type a password: no deadline,
	// but the Relay's end (its process exiting) ends the wait.
	err = json.NewDecoder(io.LimitReader(c, maxMessage)).Decode(&rep)
	return rep, err
}
