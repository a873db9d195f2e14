package plugins

import (
	"context"
	"errors"
	"io"
	"sync"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/git-backfill/git-backfill/exporters"
	pb "github.com/git-backfill/git-backfill/plugins/proto"
)

// Describer is an optional interface of an exporter: a one-line
// description for "git backfill exporters".
type Describer interface {
	Description() string
}

// server is the plugin side of the protocol: it serves the Exporter gRPC
// service by calling impl. gRPC may run handlers concurrently (an Abort
// arriving while a batch is being written); mu keeps the exporter's calls
// one at a time, as exporters.Exporter promises.
type server struct {
	pb.UnimplementedExporterServer
	name string
	impl exporters.Exporter
	mu   sync.Mutex
}

// Describe reports the exporter's name, description and protocol version.
func (s *server) Describe(context.Context, *pb.DescribeRequest) (*pb.DescribeResponse, error) {
	r := &pb.DescribeResponse{Name: s.name, ProtocolVersion: ProtocolVersion}
	if d, ok := s.impl.(Describer); ok {
		r.Description = d.Description()
	}
	return r, nil
}

// Configure passes the options on.
func (s *server) Configure(ctx context.Context, req *pb.ConfigureRequest) (*pb.ConfigureResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	options := req.GetOptions()
	if options == nil {
		options = map[string]string{}
	}
	if err := s.impl.Configure(ctx, options); err != nil {
		return nil, toStatus(err)
	}
	return &pb.ConfigureResponse{}, nil
}

// Manifest asks an exporter that keeps a manifest for it; others answer
// UNIMPLEMENTED, which the host reports as exporters.ErrNoManifest.
func (s *server) Manifest(ctx context.Context, _ *pb.ManifestRequest) (*pb.ManifestResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inc, ok := s.impl.(exporters.Incremental)
	if !ok {
		return nil, status.Error(codes.Unimplemented, exporters.ErrNoManifest.Error())
	}
	m, err := inc.Manifest(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.ManifestResponse{Commits: m.Commits, Found: m.Found, Warning: m.Warning}, nil
}

// Begin passes the metadata on.
func (s *server) Begin(ctx context.Context, req *pb.BeginRequest) (*pb.BeginResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.impl.Begin(ctx, metadataFromPB(req.GetMetadata())); err != nil {
		return nil, toStatus(err)
	}
	return &pb.BeginResponse{}, nil
}

// Write passes each batch on, in order, and answers with the number of
// records once the host closes the stream. The first error ends the
// stream.
func (s *server) Write(stream pb.Exporter_WriteServer) error {
	ctx := stream.Context()
	var n int64
	for {
		req, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(&pb.WriteResponse{Records: n})
		}
		if err != nil {
			return err
		}
		s.mu.Lock()
		err = s.impl.Write(ctx, req.GetRecords())
		s.mu.Unlock()
		if err != nil {
			return toStatus(err)
		}
		n += int64(len(req.GetRecords()))
	}
}

// End reports the result, or the kept output of a failed delivery.
func (s *server) End(ctx context.Context, req *pb.EndRequest) (*pb.EndResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sum := summaryFromPB(req.GetSummary())
	sum.Commits = req.GetCommits()
	res, err := s.impl.End(ctx, sum)
	var kept *exporters.KeptError
	switch {
	case errors.As(err, &kept):
		msg := "delivery failed"
		if kept.Err != nil {
			msg = kept.Err.Error()
		}
		return &pb.EndResponse{Kept: &pb.Kept{Path: kept.Path, Message: msg}}, nil
	case err != nil:
		return nil, toStatus(err)
	}
	return &pb.EndResponse{Result: resultToPB(res)}, nil
}

// Abort passes the reason on.
func (s *server) Abort(ctx context.Context, req *pb.AbortRequest) (*pb.AbortResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.impl.Abort(ctx, req.GetReason()); err != nil {
		return nil, toStatus(err)
	}
	return &pb.AbortResponse{}, nil
}

// toStatus carries an exporter's error message to the host; the host adds
// the exporter's name.
func toStatus(err error) error {
	return status.Error(codes.Unknown, err.Error())
}
