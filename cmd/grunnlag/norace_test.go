//go:build !race

package main

// raceEnabled is false in a test binary built without -race.
const raceEnabled = false
