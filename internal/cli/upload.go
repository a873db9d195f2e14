package cli

import (
	"context"
	"fmt"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/buildkite"
	"github.com/git-backfill/git-backfill/exporters/s3"
	"github.com/git-backfill/git-backfill/internal/pipeline"
	"github.com/git-backfill/git-backfill/internal/progress"
)

// uploaders send an archive that a failed export kept, by exporter type.
var uploaders = map[string]func(context.Context, map[string]string, string) (exporters.Result, error){
	"s3":        s3.Upload,
	"buildkite": buildkite.Upload,
}

// upload sends an archive kept by a failed export with an uploading
// exporter's settings (the exporter named by --exporter, else the first
// configured one of type s3 or buildkite, else "buildkite" for an archive
// in Buildkite's format and "s3" for another), without any git work.
func (c *command) upload(ctx context.Context, s *session, p *parsedArgs, archive string) error {
	name := "s3"
	if buildkite.IsArchive(pipeline.AbsPath(c.dir, archive)) {
		name = "buildkite"
	}
	if names := p.lists["exporter"]; len(names) > 0 {
		name = names[0]
	} else {
		for _, n := range s.settings.Exporters {
			if cfg, _ := s.settings.Exporter(n); uploaders[cfg.Type] != nil {
				name = n
				break
			}
		}
	}
	cfg, _ := s.settings.Exporter(name)
	send := uploaders[cfg.Type]
	if send == nil {
		return usagef("--upload needs an exporter of type s3 or buildkite; %s is of type %s", name, cfg.Type)
	}
	res, err := send(ctx, cfg.Options, pipeline.AbsPath(c.dir, archive))
	if err != nil {
		return fmt.Errorf("uploading %s: %w", archive, err)
	}
	fmt.Fprintf(c.stderr, "export: uploaded %s to %s (%s, %d records)\n", archive, res.Location, progress.HumanBytes(res.Bytes), res.Records)
	return nil
}
