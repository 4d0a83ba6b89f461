//go:build !race

package charts

// raceEnabled is false in a test binary built without -race.
const raceEnabled = false
