//go:build !race

package book_test

// raceEnabled is false in a test binary built without -race.
const raceEnabled = false
