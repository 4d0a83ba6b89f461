//go:build !linux

package publish

import "errors"

// syncsFS is false where no call syncs a whole file system: syncAll
// fsyncs file by file.
const syncsFS = false

func syncFS(string) error { return errors.ErrUnsupported }
