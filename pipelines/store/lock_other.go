//go:build !unix

package store

// processAlive cannot tell on this system and assumes the holder is alive.
func processAlive(int) bool { return true }

func acquireFlock(string, []byte, string) (func(), LockInfo, error) {
	return nil, LockInfo{}, errNoFlock
}

func probeFlock(string) (bool, error) { return false, errNoFlock }
