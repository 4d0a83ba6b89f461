//go:build race

package book_test

// raceEnabled is true in a test binary built with -race: the demo test
// skips there (it runs in the plain pass).
const raceEnabled = true
