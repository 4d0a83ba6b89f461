//go:build !race

package publish

// raceEnabled is false in a test binary built without -race.
const raceEnabled = false
