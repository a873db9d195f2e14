package plugins

import (
	"context"
	"os"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/git-backfill/git-backfill/exporters"
	pb "github.com/git-backfill/git-backfill/plugins/proto"
)

// GRPCPlugin is the go-plugin glue of an exporter: in a plugin process it
// registers the Exporter gRPC service for the exporter that Factory makes;
// in the host it wraps the connection in an exporters.Exporter. Start and
// Serve build it; it is exported for hosts that drive go-plugin
// themselves.
type GRPCPlugin struct {
	plugin.NetRPCUnsupportedPlugin

	// Name is the exporter's name as Describe reports it (plugin side).
	Name string
	// Factory makes the exporter that the plugin process serves (plugin
	// side). It is called once, before the plugin answers the handshake,
	// with os.Stdout set to Stdout(): an exporter that keeps the os.Stdout
	// it sees then writes straight to the user's standard output.
	Factory exporters.Factory
}

var _ plugin.GRPCPlugin = (*GRPCPlugin)(nil)

// GRPCServer registers the exporter's service with s.
func (p *GRPCPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	// go-plugin calls this before printing the handshake line and before
	// replacing os.Stdout with its relay, so the swap is undone in time.
	saved := os.Stdout
	os.Stdout = Stdout()
	e := p.Factory()
	os.Stdout = saved
	pb.RegisterExporterServer(s, &server{name: p.Name, impl: e})
	return nil
}

// GRPCClient returns the host's side of the connection, a *client. ctx is
// cancelled by go-plugin once the plugin process has exited.
func (p *GRPCPlugin) GRPCClient(ctx context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return newClient(pb.NewExporterClient(c), ctx.Done()), nil
}

// newGRPCServer is the plugin's gRPC server, accepting messages up to
// maxMessage.
func newGRPCServer(opts []grpc.ServerOption) *grpc.Server {
	opts = append(opts, grpc.MaxRecvMsgSize(maxMessage), grpc.MaxSendMsgSize(maxMessage))
	return grpc.NewServer(opts...)
}

// dialOptions are the host's gRPC options, accepting messages up to
// maxMessage.
func dialOptions() []grpc.DialOption {
	return []grpc.DialOption{grpc.WithDefaultCallOptions(
		grpc.MaxCallRecvMsgSize(maxMessage), grpc.MaxCallSendMsgSize(maxMessage))}
}
