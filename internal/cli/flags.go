package cli

// flags are the values of the options that no configuration key backs,
// typed, so that the commands read fields rather than looking options up
// by name (a misspelt name would compile and silently read as unset).
// Options with a configuration key reach the commands through
// config.Settings instead, merged with every other source.
type flags struct {
	DryRun      bool
	Quiet       bool // -q: no progress, no summary; the later of -q and -v wins
	Verbose     bool // -v: the summary even when stderr is not a terminal
	Incremental bool
	Progress    *bool   // nil: neither --progress nor --no-progress
	Stats       *string // --stats=<format>; nil when not given
	Config      string  // --config=<file>
	Output      *string // --output=<path>
	Upload      string  // --upload=<archive>
	CommitsFrom *string // --commits-from=<file|->
}

// setter stores one option's value ("true"/"false" for a boolean) in flags.
type setter func(f *flags, value string)

func setBool(field func(*flags) *bool) setter {
	return func(f *flags, v string) { *field(f) = v == "true" }
}

// setVerbosity sets one of -q and -v and, when it turns one on, turns the
// other off: as with git's -v and -q, the later one on the command line
// wins.
func setVerbosity(fields func(*flags) (this, other *bool)) setter {
	return func(f *flags, v string) {
		this, other := fields(f)
		*this = v == "true"
		if *this {
			*other = false
		}
	}
}

func setTristate(field func(*flags) **bool) setter {
	return func(f *flags, v string) {
		b := v == "true"
		*field(f) = &b
	}
}

func setString(field func(*flags) *string) setter {
	return func(f *flags, v string) { *field(f) = v }
}

func setOptional(field func(*flags) **string) setter {
	return func(f *flags, v string) { *field(f) = &v }
}

// The setters of the options both commands share.
var (
	setDryRun      = setBool(func(f *flags) *bool { return &f.DryRun })
	setQuiet       = setVerbosity(func(f *flags) (*bool, *bool) { return &f.Quiet, &f.Verbose })
	setVerbose     = setVerbosity(func(f *flags) (*bool, *bool) { return &f.Verbose, &f.Quiet })
	setIncremental = setBool(func(f *flags) *bool { return &f.Incremental })
	setProgress    = setTristate(func(f *flags) **bool { return &f.Progress })
	setStats       = setOptional(func(f *flags) **string { return &f.Stats })
	setConfig      = setString(func(f *flags) *string { return &f.Config })
	setOutput      = setOptional(func(f *flags) **string { return &f.Output })
	setUpload      = setString(func(f *flags) *string { return &f.Upload })
	setCommitsFrom = setOptional(func(f *flags) **string { return &f.CommitsFrom })
)
