// Command grunnlag keeps a county's competence knowledge base (kunnskapsgrunnlag)
// up to date: it pulls statistics from Statistics Norway's StatBank and other
// sources, stores every response as a raw snapshot, and publishes versioned,
// provenance-carrying Parquet datasets that any Parquet reader can open.
//
// Usage:
//
//	grunnlag <kommando> [flagg]
//
// Commands (kommandoer): run, serve, refresh, status, build, charts, book,
// export, indicators, tables, regions, survey, convert, import and version;
// `grunnlag -h` lists them with one line each.
//
// Every command reads its flags wherever they stand among its other
// arguments (`grunnlag run build --dry-run`), and "--" ends the flags
// (parseArgs).
//
// Exit codes:
//
//	0  success
//	1  the command ran but failed (a source or dataset failed, validation found problems)
//	2  usage error: unknown command or flag, bad arguments
//	3  configuration error: the config file is missing or invalid
//	4  the knowledge base is locked or unreadable
package main

import (
	_ "time/tzdata" // schedules and dates use Europe/Oslo even without system zoneinfo

	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// Exit codes, documented in the package comment and the README.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
	exitConfig = 3
	exitKB     = 4
)

// command is one subcommand, shaped like cmd/go's base.Command.
type command struct {
	name  string
	short string // one line of help, bokmål
	run   func(ctx context.Context, env *env, args []string) int
}

// env is what main hands every command: the standard streams and the
// process environment. Nothing global.
type env struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	getenv         func(string) string
	isTerminal     bool
}

func main() {
	if setMemoryLimit(os.Getenv) {
		go followLiveHeap(defaultMemoryLimit, 100*time.Millisecond)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{
		stdout:     os.Stdout,
		stderr:     os.Stderr,
		stdin:      os.Stdin,
		getenv:     os.Getenv,
		isTerminal: isTerminal(os.Stderr),
	}, os.Args[1:])
	stop()
	os.Exit(code)
}

// commands is the explicit list of subcommands; adding one is one line here.
func commands() []*command {
	return []*command{
		refreshCommand(),
		runCommand(),
		serveCommand(),
		statusCommand(),
		convertCommand(),
		importCommand(),
		regionsCommand(),
		surveyCommand(),
		offersCommand(),
		buildCommand(),
		chartsCommand(),
		bookCommand(),
		exportCommand(),
		indicatorsCommand(),
		tablesCommand(),
		versionCommand(),
	}
}

func run(ctx context.Context, e *env, args []string) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr, cmds)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range cmds {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(e.stderr, "grunnlag: ukjent kommando %q\n\n", args[0])
	usage(e.stderr, cmds)
	return exitUsage
}

func usage(w io.Writer, cmds []*command) {
	fmt.Fprintln(w, "grunnlag holder kunnskapsgrunnlaget for regional kompetansepolitikk oppdatert.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Bruk: grunnlag <kommando> [flagg]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Kommandoer:")
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.short)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Skriv «grunnlag <kommando> -h» for flagg til en kommando. Flagg kan stå før, mellom eller")
	fmt.Fprintln(w, "etter de andre argumentene; «--» avslutter flaggene.")
	fmt.Fprintln(w, "Avslutningskoder: 0 ok, 1 feilet, 2 feil bruk, 3 feil i konfigurasjon, 4 kunnskapsbasen er låst eller uleselig.")
}

// parseArgs is how every command reads its arguments: flags may stand
// before, between or after the positional arguments (`run build
// --dry-run`, `convert --out x.csv in.json`), and "--" ends the flags, so
// what follows it is positional even when it starts with "-". A flag that
// takes a value takes the next argument unless written --flag=value. It
// returns the positional arguments in order; done is true when the command
// should return code at once: 0 after -h (the flag set printed its usage),
// 2 after a bad flag (the flag set printed the problem and the usage).
func parseArgs(fs *flag.FlagSet, args []string) (pos []string, done bool, code int) {
	var flags []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue // the flag set reports it
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if err := fs.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, true, exitOK
		}
		return nil, true, exitUsage
	}
	// Every token handed to Parse was a flag or a flag's value, so
	// nothing is left over; keep any leftover rather than lose it.
	return append(pos, fs.Args()...), false, exitOK
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
