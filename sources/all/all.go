// Package all is the list of source kinds this build knows: one line per
// kind. Adding a source is a new package under sources/ with a
// NewFactory, plus one line here.
package all

import (
	"github.com/grunnlag/grunnlag/sources"
	"github.com/grunnlag/grunnlag/sources/dbh"
	"github.com/grunnlag/grunnlag/sources/nav"
	"github.com/grunnlag/grunnlag/sources/pxweb"
	"github.com/grunnlag/grunnlag/sources/udir"
)

// New returns a registry of every source kind. It builds a new registry
// on every call (there is no global one); main and the pipelines pass it
// down.
func New() *sources.Registry {
	r, err := sources.NewRegistry(
		pxweb.NewFactory(),
		nav.NewFactory(),
		udir.NewFactory(),
		dbh.NewFactory(),
	)
	if err != nil {
		panic(err) // a kind listed twice: a programming error, caught by the package's test
	}
	return r
}
