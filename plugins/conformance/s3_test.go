//go:build versitygw

package conformance_test

import (
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
	"github.com/git-backfill/git-backfill/exporters/s3/s3test"
)

// TestS3 uploads to a versitygw server. The plugin inherits the AWS_*
// credentials from this process's environment, which AWSEnv sets before
// any plugin starts.
func TestS3(t *testing.T) {
	exportertest.Run(t, s3test.Conformance(t, func(t *testing.T) exporters.Exporter {
		_, e := start(t, "s3", nil)
		return e
	}))
}
