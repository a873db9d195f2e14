package manifest

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/git-backfill/git-backfill/exporters/safefile"
)

// ReadFile reads the manifest in dir. It returns nil, nil when there is
// none, a *CorruptError when it is corrupt, and another error when it
// cannot be read.
//
// The destination may be shared: the manifest is read only if it is a
// regular file, never through a symbolic link (planted, it could have us
// read any file), and up to MaxFileSize.
func ReadFile(dir string) (*Manifest, error) { return readFile(dir, MaxFileSize) }

// readFile is ReadFile with limit for MaxFileSize. A file over the limit is
// an error, not a *CorruptError: it is not set aside (a manifest that grew
// past the limit still lists real archives).
func readFile(dir string, limit int64) (*Manifest, error) {
	path := filepath.Join(dir, File)
	data, err := safefile.ReadRegular(path, limit)
	if safefile.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return Parse(data)
}

// MaxFileSize bounds a manifest: a million commits take 45 MB.
const MaxFileSize = 256 << 20

// WriteFile replaces the manifest in dir atomically: readers see the old
// manifest or the new one, never a part, also if the process dies
// half-way. The caller serialises writers (a lock on the directory).
func WriteFile(dir string, m *Manifest) error {
	f, err := os.CreateTemp(dir, "."+File+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", File, err)
	}
	tmp := f.Name()
	err = errors.Join(write(f, m.Marshal()), f.Close())
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, File))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s in %s: %w", File, dir, err)
	}
	// Make the rename durable; best effort, as some file systems refuse to
	// sync directories.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func write(f *os.File, data []byte) error {
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Sync()
}

// AsideName is the name a corrupt manifest is kept under when replaced:
// backfill-manifest.json.corrupt-<UTC time>-<random>, never an existing
// one's.
func AsideName() string {
	return File + ".corrupt-" + time.Now().UTC().Format("20060102T150405Z") + "-" + strings.ToLower(rand.Text()[:6])
}

// SetAside renames a corrupt manifest in dir to AsideName(), so that
// replacing it loses nothing a person may want to look at. It returns the
// new name.
func SetAside(dir string) (string, error) {
	name := AsideName()
	if err := os.Rename(filepath.Join(dir, File), filepath.Join(dir, name)); err != nil {
		return "", fmt.Errorf("setting the corrupt %s aside: %w", File, err)
	}
	return name, nil
}
