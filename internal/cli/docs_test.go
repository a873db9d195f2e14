package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/config"
)

// roffFonts strips font changes so the man page reads as plain text.
var roffFonts = regexp.MustCompile(`\\f[BIRP]`)

// TestDocsCoverEveryOptionAndKey keeps README.md with its docs/ pages, and
// the man page, in step with the option table and the configuration keys.
func TestDocsCoverEveryOptionAndKey(t *testing.T) {
	var readme []byte
	for _, f := range []string{"../../README.md", "../../docs/configuration.md", "../../docs/exit-codes.md"} {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		readme = append(readme, text...)
	}
	manRaw, err := os.ReadFile("../../docs/git-backfill.1")
	if err != nil {
		t.Fatal(err)
	}
	man := strings.ReplaceAll(roffFonts.ReplaceAllString(string(manRaw), ""), `\-`, "-")
	docs := map[string]string{"README.md and docs/*.md": string(readme), "docs/git-backfill.1": man}
	for file, text := range docs {
		for _, o := range append(append([]option{}, backfillOptions...), exportOptions...) {
			if !strings.Contains(text, optionSynopsis(o)) && !strings.Contains(text, "--"+o.long) {
				t.Errorf("%s does not document --%s", file, o.long)
			}
		}
		for _, k := range config.Keys {
			if k.IsExporterOption() {
				continue
			}
			if !strings.Contains(text, k.GitKey()) {
				t.Errorf("%s does not mention %s", file, k.GitKey())
			}
		}
		for _, code := range []string{"129", "128", "130"} {
			if !strings.Contains(text, code) {
				t.Errorf("%s does not document exit code %s", file, code)
			}
		}
	}
	if !strings.Contains(string(readme), "GIT_BACKFILL_MIN_BATCH_SIZE") {
		t.Error("README.md does not show the environment variable form of the keys")
	}
}
