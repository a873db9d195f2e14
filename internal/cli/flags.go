package cli

// flags are the values of the options that no configuration key backs,
// typed, so that the commands read fields rather than looking options up
// by name (a misspelt name would compile and silently read as unset).
// Options with a configuration key reach the commands through
// config.Settings instead, merged with every other source.
type flags struct {
	DryRun      bool
	Quiet       bool
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
	setQuiet       = setBool(func(f *flags) *bool { return &f.Quiet })
	setIncremental = setBool(func(f *flags) *bool { return &f.Incremental })
	setProgress    = setTristate(func(f *flags) **bool { return &f.Progress })
	setStats       = setOptional(func(f *flags) **string { return &f.Stats })
	setConfig      = setString(func(f *flags) *string { return &f.Config })
	setOutput      = setOptional(func(f *flags) **string { return &f.Output })
	setUpload      = setString(func(f *flags) *string { return &f.Upload })
	setCommitsFrom = setOptional(func(f *flags) **string { return &f.CommitsFrom })
)
