// Package s3test is test support for the s3 exporter: a real
// S3-compatible server (versitygw, which "make tools" installs in
// .cache/bin) on loopback, the AWS environment an exporter under test
// reads its credentials from, and readers of what was uploaded. It is
// shared by the s3 package's tests and the plugin conformance tests.
package s3test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/git-backfill/git-backfill/exporters/archive"
)

// Credentials of the versitygw root user.
const (
	AccessKey = "backfilltestaccess"
	SecretKey = "backfill-test-secret-0123456789"
)

// Server is a versitygw process serving a directory on loopback, the real
// S3-compatible server of the tests.
type Server struct {
	t    testing.TB
	bin  string
	dir  string
	addr string
	cmd  *exec.Cmd
	log  syncBuffer
}

// StartServer starts versitygw from the module's .cache/bin on a free
// port of 127.0.0.1 and stops it when the test ends. The test fails if
// versitygw is not installed.
func StartServer(t testing.TB) *Server {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, ".cache", "bin", "versitygw")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("versitygw not found at %s: run make tools", bin)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{t: t, bin: bin, dir: t.TempDir(), addr: l.Addr().String()}
	l.Close()
	s.Start()
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("versitygw output:\n%s", s.log.String())
		}
	})
	return s
}

// moduleRoot is the directory of the go.mod above the working directory
// (a test's package directory).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Start starts the server (again) on its address and waits for /health.
func (s *Server) Start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, "--port", s.addr, "--health", "/health", "--quiet", "posix", s.dir)
	s.cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+AccessKey, "ROOT_SECRET_KEY="+SecretKey)
	s.cmd.Stdout, s.cmd.Stderr = &s.log, &s.log
	dieWithTest(s.cmd)
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.URL() + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.Stop()
	s.t.Fatalf("versitygw did not become healthy on %s:\n%s", s.addr, s.log.String())
}

// Stop terminates the server and waits for it.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	s.cmd = nil
}

// URL is the server's endpoint.
func (s *Server) URL() string { return "http://" + s.addr }

// Client returns an S3 client with the root user's credentials.
func (s *Server) Client() *s3api.Client {
	return s3api.New(s3api.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(s.URL()),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
	})
}

// Bucket creates a bucket.
func (s *Server) Bucket(name string) {
	s.t.Helper()
	if _, err := s.Client().CreateBucket(context.Background(), &s3api.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		s.t.Fatalf("creating bucket %s: %v", name, err)
	}
}

// Get downloads the object at an s3:// location.
func (s *Server) Get(t testing.TB, location string) []byte {
	t.Helper()
	bucket, key, ok := strings.Cut(strings.TrimPrefix(location, "s3://"), "/")
	if !ok || !strings.HasPrefix(location, "s3://") {
		t.Fatalf("location %q is not s3://bucket/key", location)
	}
	out, err := s.Client().GetObject(context.Background(), &s3api.GetObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		t.Fatalf("getting %s: %v", location, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Left lists the objects and unfinished multipart uploads under prefix,
// apart from the one at location.
func (s *Server) Left(t testing.TB, bucket, prefix, location string) []string {
	t.Helper()
	ctx, c := context.Background(), s.Client()
	objs, err := c.ListObjectsV2(ctx, &s3api.ListObjectsV2Input{Bucket: &bucket, Prefix: &prefix})
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, o := range objs.Contents {
		if loc := "s3://" + bucket + "/" + *o.Key; loc != location {
			left = append(left, loc)
		}
	}
	ups, err := c.ListMultipartUploads(ctx, &s3api.ListMultipartUploadsInput{Bucket: &bucket, Prefix: &prefix})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range ups.Uploads {
		left = append(left, "unfinished upload of "+*u.Key)
	}
	return left
}

// AWSEnv sets the AWS environment of the exporter under test, in this
// process and in plugins started after it: the given credentials, and
// nothing from the machine's files or instance metadata.
func AWSEnv(t testing.TB, access, secret string) {
	t.Setenv("AWS_ACCESS_KEY_ID", access)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_MAX_ATTEMPTS", "2")
}

// Records returns the records of an archive's bytes.
func Records(t testing.TB, data []byte) [][]byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "a.tar.gz")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	records, err := archive.ReadRecords(path)
	if err != nil {
		t.Fatal(err)
	}
	return records
}

// syncBuffer is a bytes.Buffer safe for the process's output copiers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
