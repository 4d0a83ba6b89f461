//go:build !unix

package store

// syncUnsupported is true on systems where directories cannot be synced.
func syncUnsupported(error) bool { return true }
