package plugins

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/git-backfill/git-backfill/exporters"
	pb "github.com/git-backfill/git-backfill/plugins/proto"
)

// Conversions between the exporters types and their protocol messages.
// Times cross as instants: the zero time as an unset field, any other in
// UTC (the location is not carried).

func timeToPB(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func timeFromPB(ts *timestamppb.Timestamp) time.Time {
	if ts == nil {
		return time.Time{}
	}
	return ts.AsTime()
}

func metadataToPB(m exporters.Metadata) *pb.Metadata {
	return &pb.Metadata{
		Tool:        m.Tool,
		Version:     m.Version,
		GeneratedAt: timeToPB(m.GeneratedAt),
		Repository:  m.Repository,
		Remote:      m.Remote,
		Selection: &pb.Selection{
			Days:        int32(m.Selection.Days),
			Range:       m.Selection.Range,
			CommitsFrom: m.Selection.CommitsFrom,
			Pathspecs:   m.Selection.Pathspecs,
		},
		DiffBase:      m.DiffBase,
		SkipDiffs:     m.SkipDiffs,
		SchemaVersion: int32(m.SchemaVersion),
	}
}

func metadataFromPB(m *pb.Metadata) exporters.Metadata {
	s := m.GetSelection()
	return exporters.Metadata{
		Tool:        m.GetTool(),
		Version:     m.GetVersion(),
		GeneratedAt: timeFromPB(m.GetGeneratedAt()),
		Repository:  m.GetRepository(),
		Remote:      m.GetRemote(),
		Selection: exporters.Selection{
			Days:        int(s.GetDays()),
			Range:       s.GetRange(),
			CommitsFrom: s.GetCommitsFrom(),
			Pathspecs:   s.GetPathspecs(),
		},
		DiffBase:      m.GetDiffBase(),
		SkipDiffs:     m.GetSkipDiffs(),
		SchemaVersion: int(m.GetSchemaVersion()),
	}
}

func summaryToPB(s exporters.Summary) *pb.Summary {
	return &pb.Summary{
		CommitCount:    s.CommitCount,
		SkippedCommits: s.SkippedCommits,
		MinCommitDate:  timeToPB(s.MinCommitDate),
		MaxCommitDate:  timeToPB(s.MaxCommitDate),
	}
}

func summaryFromPB(s *pb.Summary) exporters.Summary {
	return exporters.Summary{
		CommitCount:    s.GetCommitCount(),
		SkippedCommits: s.GetSkippedCommits(),
		MinCommitDate:  timeFromPB(s.GetMinCommitDate()),
		MaxCommitDate:  timeFromPB(s.GetMaxCommitDate()),
	}
}

func resultToPB(r exporters.Result) *pb.Result {
	return &pb.Result{Location: r.Location, Records: r.Records, Bytes: r.Bytes}
}

func resultFromPB(r *pb.Result) exporters.Result {
	return exporters.Result{Location: r.GetLocation(), Records: r.GetRecords(), Bytes: r.GetBytes()}
}
