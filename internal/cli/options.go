package cli

import (
	"errors"
	"fmt"
	"strings"
)

// option describes one of our own command-line options. The same table
// drives parsing, -h usage and the documentation check in the tests.
type option struct {
	long   string // without dashes
	short  byte   // 0 if none
	arg    string // placeholder such as "<n>"; "" for a boolean, which also takes --no-<long>
	key    string // configuration key it overrides, if any
	set    setter // an option without a key: where its value goes in flags
	repeat bool   // may be given several times; every value is kept
	help   string
}

// parsedArgs is a command line split into our options, rev-list's options
// and arguments, and pathspecs.
type parsedArgs struct {
	flags     flags               // the options without a configuration key, typed
	values    map[string]string   // long name -> value ("true"/"false" for booleans); the last one
	lists     map[string][]string // long name -> every value, for repeatable options
	order     []string            // long names in the order given, for provenance
	revs      []string            // passed to git rev-list
	rangeRevs []string            // revs without limiting options: the range whose edges count
	pathspecs []string            // after "--"
	dashdash  bool                // "--" was given, so no revision is a path
	help      bool                // -h or --help
	stdin     bool                // --stdin among revs
	objects   bool                // --objects: accepted and ignored (see objectOption)
	filters   []string            // --filter=<spec> values, refused by checkFilters
}

// usageError is a command line we cannot accept: exit code 129, as git.
type usageError struct {
	msg   string
	usage string // the command's usage line; "" for git backfill's
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{msg: fmt.Sprintf(format, a...)} }

// withUsage names the command whose usage a usage error should show.
func withUsage(err error, usage string) error {
	var uerr *usageError
	if errors.As(err, &uerr) && uerr.usage == "" {
		uerr.usage = usage
	}
	return err
}

// parseArgs splits args using opts for our options and the rev-list
// allowlist for everything else, as git's parse-options does: "--opt=v"
// and "--opt v", "-j4" and "-j 4", bundled short options ("-qj4"),
// "--no-opt" for every boolean, "--end-of-options" after which every
// argument is a revision even if it starts with "-", and "--" before
// pathspecs.
func parseArgs(opts []option, args []string) (*parsedArgs, error) {
	p := &parsedArgs{values: map[string]string{}, lists: map[string][]string{}}
	endOfOptions := false
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			p.pathspecs = append(p.pathspecs, args[i+1:]...)
			p.dashdash = true
			return p.done()
		case endOfOptions || arg == "-" || !strings.HasPrefix(arg, "-"):
			p.revs = append(p.revs, arg)
			p.rangeRevs = append(p.rangeRevs, arg)
			continue
		case arg == "--end-of-options":
			// rev-list gets it too, so that a revision named "-x"
			// after it is not taken for an option there either.
			endOfOptions = true
			p.revs = append(p.revs, arg)
			p.rangeRevs = append(p.rangeRevs, arg)
			continue
		case arg == "-h" || arg == "--help":
			p.help = true
			return p, nil
		}
		next := func() (string, bool) {
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			return "", false
		}
		arg, err := p.unbundle(opts, arg)
		if err != nil || p.help {
			return p, err
		}
		if arg == "" {
			continue // a bundle of our boolean short options
		}
		if arg == "-h" { // the end of a bundle such as "-qh"
			p.help = true
			return p, nil
		}
		used, err := p.ours(opts, arg, next)
		if err != nil {
			return nil, err
		}
		if used || p.objectOption(arg) {
			continue
		}
		revArgs, err := revListOption(arg, next)
		if err != nil {
			return nil, err
		}
		if arg == "--stdin" {
			p.stdin = true
		}
		p.revs = append(p.revs, revArgs...)
		if !isLimiting(revArgs[0]) {
			p.rangeRevs = append(p.rangeRevs, revArgs...)
		}
	}
	return p.done()
}

// done ends parsing with the checks that need the whole command line.
func (p *parsedArgs) done() (*parsedArgs, error) {
	if err := p.checkFilters(); err != nil {
		return nil, err
	}
	return p, nil
}

// unbundle takes our boolean short options off the front of a bundle
// such as "-qj4" and returns what is left as one option ("-j4"), or "" when
// nothing is. A bundle that starts with an option not ours ("-n5") is left
// whole for rev-list.
func (p *parsedArgs) unbundle(opts []option, arg string) (string, error) {
	for len(arg) > 2 && arg[0] == '-' && arg[1] != '-' {
		if arg[1] == 'h' {
			p.help = true
			return "", nil
		}
		o := shortOption(opts, arg[1])
		if o == nil || o.arg != "" {
			return arg, nil
		}
		if _, err := p.ours(opts, arg[:2], nil); err != nil {
			return "", err
		}
		arg = "-" + arg[2:]
	}
	return arg, nil
}

func shortOption(opts []option, c byte) *option {
	for i := range opts {
		if opts[i].short == c {
			return &opts[i]
		}
	}
	return nil
}

// ours consumes arg if it is one of opts.
func (p *parsedArgs) ours(opts []option, arg string, next func() (string, bool)) (bool, error) {
	name, value, hasValue := strings.Cut(strings.TrimPrefix(arg, "--"), "=")
	isLong := strings.HasPrefix(arg, "--")
	for _, o := range opts {
		var matched, negated bool
		switch {
		case isLong && name == o.long:
			matched = true
		case isLong && o.arg == "" && name == "no-"+o.long:
			matched, negated = true, true
		case !isLong && o.short != 0 && len(arg) >= 2 && arg[1] == o.short:
			matched = true
			if len(arg) > 2 {
				if o.arg == "" {
					return false, usagef("option -%c takes no value", o.short)
				}
				value, hasValue = arg[2:], true
			}
		}
		if !matched {
			continue
		}
		switch {
		case o.arg == "" || negated:
			if hasValue {
				return false, usagef("option --%s takes no value", name)
			}
			value = "true"
			if negated {
				value = "false"
			}
		case !hasValue:
			v, ok := next()
			if !ok {
				return false, usagef("option --%s requires a value", o.long)
			}
			value = v
		}
		p.values[o.long] = value
		if o.set != nil {
			o.set(&p.flags, value)
		}
		if o.repeat {
			p.lists[o.long] = append(p.lists[o.long], value)
		}
		p.order = append(p.order, o.long)
		return true, nil
	}
	return false, nil
}
