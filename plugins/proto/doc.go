// Package proto is the Go code generated from exporter.proto, the versioned
// gRPC protocol between git-backfill and its exporter plugins
// (gitbackfill.exporter.v1). exporter.proto is the contract, with its
// stages, errors and limits described at its top; a plugin in another
// language generates its own code from it.
//
// The generated files are committed: building and testing need no protoc.
// After editing exporter.proto, "make proto" regenerates them with the
// pinned protoc-gen-go and protoc-gen-go-grpc (it needs protoc itself, from
// Debian's protobuf-compiler package).
package proto
