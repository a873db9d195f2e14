package conformance_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pythonDoc is the guide whose Python section the Python exporter is built
// from, and pythonSection that section's heading.
const (
	pythonDoc     = "../../docs/writing-an-exporter.md"
	pythonSection = "## In another language (Python)"
)

// pythonDebianPackages are what the Python exporter needs on Debian:
// python3-grpcio for the grpc module, python3-grpc-tools for the protoc
// that makes the stubs.
const pythonDebianPackages = "python3 python3-grpcio python3-grpc-tools"

// pythonProgram is the doc's exporter, written out as a plugin program.
type pythonProgram struct {
	path string // git-backfill-exporter-<name>, beside its stubs
	bin  string // holds the python3 that the program's "env python3" must find
}

// buildPythonProgram writes the program named git-backfill-exporter-<name>
// into a temporary directory, with stubs generated from exporter.proto as
// the doc says. It fails t if no python3 with grpcio and grpc_tools is
// found: a skip would hide a machine that cannot run the doc's example.
func buildPythonProgram(t *testing.T, name string) pythonProgram {
	t.Helper()
	python, err := findPython()
	if err != nil {
		t.Fatalf("the Python exporter test needs python3 with the grpc and grpc_tools modules "+
			"(on Debian: apt-get install %s): %v", pythonDebianPackages, err)
	}
	doc, err := os.ReadFile(pythonDoc)
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := fencedBlocks(string(doc), pythonSection, "python")
	if err != nil {
		t.Fatalf("%s: %v", pythonDoc, err)
	}
	src, err := assemble(blocks)
	if err != nil {
		t.Fatalf("%s: %v", pythonDoc, err)
	}

	dir := t.TempDir()
	proto, err := filepath.Abs("../proto")
	if err != nil {
		t.Fatal(err)
	}
	gen := exec.Command(python, "-m", "grpc_tools.protoc", "-I", proto,
		"--python_out="+dir, "--grpc_python_out="+dir, filepath.Join(proto, "exporter.proto"))
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("generating the stubs: %v\n%s", err, out)
	}
	prog := pythonProgram{path: filepath.Join(dir, "git-backfill-exporter-"+name), bin: filepath.Join(dir, "bin")}
	if err := os.WriteFile(prog.path, []byte(src), 0o755); err != nil {
		t.Fatal(err)
	}
	// The doc's "#!/usr/bin/env python3" must find the interpreter that has
	// the modules, which is not always the first python3 on PATH.
	if err := os.Mkdir(prog.bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(python, filepath.Join(prog.bin, "python3")); err != nil {
		t.Fatal(err)
	}
	return prog
}

// command returns the command that starts the program.
func (p pythonProgram) command() *exec.Cmd {
	cmd := exec.Command(p.path)
	cmd.Env = append(os.Environ(), "PATH="+p.bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"PYTHONDONTWRITEBYTECODE=1")
	return cmd
}

// findPython returns the first python3 that imports grpc and grpc_tools:
// the one on PATH, else Debian's, where python3-grpcio installs them even
// when PATH puts another python3 (pyenv, a virtualenv) first.
func findPython() (string, error) {
	var tried []string
	candidates := []string{"/usr/bin/python3"}
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append([]string{p}, candidates...)
	}
	for _, p := range candidates {
		out, err := exec.Command(p, "-c", "import grpc, grpc_tools.protoc").CombinedOutput()
		if err == nil {
			return p, nil
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		why := lines[len(lines)-1] // the exception, after a traceback
		if why == "" {
			why = err.Error()
		}
		tried = append(tried, fmt.Sprintf("%s: %s", p, why))
	}
	return "", fmt.Errorf("%s", strings.Join(tried, "; "))
}

// assemble makes the program from the section's Python blocks in the doc's
// order, which the doc says is the program's, with the "#!" line the doc
// asks for.
//
// The health-service block is left out: it needs grpcio-health-checking,
// which Debian does not package (python3-grpcio lacks grpc_health), and it
// is optional, since go-plugin calls Health only in Ping, which
// git-backfill never uses. It must still be there, as one block.
func assemble(blocks []string) (string, error) {
	var b strings.Builder
	b.WriteString("#!/usr/bin/env python3\n")
	health := 0
	for _, block := range blocks {
		if strings.Contains(block, "grpc_health") {
			health++
			continue
		}
		b.WriteString("\n" + block)
	}
	if health != 1 {
		return "", fmt.Errorf("%d Python blocks use grpc_health, want the one optional health-service block", health)
	}
	return b.String(), nil
}

// fencedBlocks returns the bodies of the blocks fenced as "```lang" in the
// doc's section under heading (up to the next "## "), in order, each
// without the indentation of its fence, which list items add.
func fencedBlocks(doc, heading, lang string) ([]string, error) {
	_, section, ok := strings.Cut(doc, "\n"+heading+"\n")
	if !ok {
		return nil, fmt.Errorf("no section %q", heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var blocks []string
	var body *strings.Builder
	indent := ""
	for i, line := range strings.Split(section, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case body == nil && trimmed == "```"+lang:
			body, indent = new(strings.Builder), line[:len(line)-len(trimmed)]
		case body == nil:
		case trimmed == "```":
			blocks = append(blocks, body.String())
			body = nil
		case strings.TrimSpace(line) == "":
			body.WriteString("\n")
		case !strings.HasPrefix(line, indent):
			return nil, fmt.Errorf("section %q, line %d: less indented than its block's fence", heading, i+1)
		default:
			body.WriteString(strings.TrimPrefix(line, indent) + "\n")
		}
	}
	if body != nil {
		return nil, fmt.Errorf("section %q: a %s block is not closed", heading, lang)
	}
	if len(blocks) == 0 {
		return nil, fmt.Errorf("section %q has no %s block", heading, lang)
	}
	return blocks, nil
}
