//go:build !unix

package pack

// syncUnsupported is true on systems where folders cannot be synced.
func syncUnsupported(error) bool { return true }
