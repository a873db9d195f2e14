package s3

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"
)

// Test credentials of the versitygw root user.
const (
	testAccessKey = "backfilltestaccess"
	testSecretKey = "backfill-test-secret-0123456789"
)

// server is a versitygw process serving a directory on loopback, the real
// S3-compatible server of these tests. "make tools" installs it.
type server struct {
	t    *testing.T
	bin  string
	dir  string
	addr string
	cmd  *exec.Cmd
	log  syncBuffer
}

// startServer starts versitygw and stops it when the test ends.
func startServer(t *testing.T) *server {
	t.Helper()
	root, err := filepath.Abs("../..")
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
	s := &server{t: t, bin: bin, dir: t.TempDir(), addr: l.Addr().String()}
	l.Close()
	s.start()
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			t.Logf("versitygw output:\n%s", s.log.String())
		}
	})
	return s
}

// start starts the server (again) on its address and waits for /health.
func (s *server) start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, "--port", s.addr, "--health", "/health", "--quiet", "posix", s.dir)
	s.cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+testAccessKey, "ROOT_SECRET_KEY="+testSecretKey)
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
	s.stop()
	s.t.Fatalf("versitygw did not become healthy on %s:\n%s", s.addr, s.log.String())
}

// stop terminates the server and waits for it.
func (s *server) stop() {
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
func (s *server) URL() string { return "http://" + s.addr }

// client returns an S3 client with the root user's credentials.
func (s *server) client() *s3api.Client {
	return s3api.New(s3api.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(s.URL()),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(testAccessKey, testSecretKey, ""),
	})
}

// bucket creates a bucket.
func (s *server) bucket(name string) {
	s.t.Helper()
	if _, err := s.client().CreateBucket(context.Background(), &s3api.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		s.t.Fatalf("creating bucket %s: %v", name, err)
	}
}

// awsEnv sets the AWS environment of the exporter under test: the given
// credentials, and nothing from the machine's files or instance metadata.
func awsEnv(t *testing.T, access, secret string) {
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
