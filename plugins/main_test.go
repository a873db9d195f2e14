package plugins_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-plugin"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/plugins"
	"github.com/git-backfill/git-backfill/plugins/internal/fake"
	"github.com/git-backfill/git-backfill/plugins/plugintest"
)

// modeEnv makes the test binary something other than a test run or a
// built-in plugin: "host" (a host process for the parent-death test) or
// "v2" (a plugin of another protocol version).
const modeEnv = "PLUGINS_TEST_MODE"

var builtins = map[string]exporters.Factory{"fake": fake.New, "discard": fake.NewDiscard}

func TestMain(m *testing.M) {
	switch os.Getenv(modeEnv) {
	case "host":
		runHost()
		return
	case "v2":
		v2 := plugins.Handshake
		v2.ProtocolVersion = 2
		plugin.Serve(&plugin.ServeConfig{
			HandshakeConfig: v2,
			Plugins:         plugin.PluginSet{"exporter": &plugins.GRPCPlugin{Name: "v2", Factory: fake.New}},
			GRPCServer:      plugin.DefaultGRPCServer,
		})
		return
	}
	plugintest.Main(m, builtins)
}

// files are the fake exporter's output files in a test's directory.
type files struct{ out, meta, abort string }

func newFiles(t *testing.T) files {
	dir := t.TempDir()
	return files{filepath.Join(dir, "out"), filepath.Join(dir, "meta"), filepath.Join(dir, "abort")}
}

func (f files) options() map[string]string {
	return map[string]string{"out": f.out, "meta": f.meta, "abort": f.abort}
}

// batches reads the out file: the records of each Write the fake received.
func (f files) batches(t *testing.T) [][][]byte {
	b, err := os.ReadFile(f.out)
	if err != nil {
		t.Fatal(err)
	}
	var batches [][][]byte
	for len(b) > 0 {
		n := binary.BigEndian.Uint32(b)
		b = b[4:]
		batch := make([][]byte, n)
		for i := range batch {
			l := binary.BigEndian.Uint32(b)
			batch[i], b = b[4:4+l], b[4+l:]
		}
		batches = append(batches, batch)
	}
	return batches
}

// notes reads the meta file's JSON lines.
func (f files) notes(t *testing.T) []string {
	b, err := os.ReadFile(f.meta)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

func jsonOf(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// record returns record i: a JSON object of size bytes (at least 16).
func record(i, size int) []byte {
	r := fmt.Appendf(nil, `{"i":%d,"p":"`, i)
	r = append(r, bytes.Repeat([]byte("x"), max(0, size-len(r)-2))...)
	return append(r, `"}`...)
}

// runHost is a host process for the parent-death test: it starts the fake
// plugin, prints the plugin's pid and waits to be killed.
func runHost() {
	cmd, err := plugins.BuiltinCommand("fake")
	if err != nil {
		panic(err)
	}
	cmd.Env = append(os.Environ(), modeEnv+"=")
	p, err := plugins.Start(context.Background(), "fake", cmd)
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Pid())
	time.Sleep(time.Minute)
}
