//go:build !race

package steps

// raceEnabled is false in a test binary built without -race.
const raceEnabled = false
