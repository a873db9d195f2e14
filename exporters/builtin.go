package exporters

import "sort"

// builtins maps the name of each built-in exporter type to its factory.
// Built-ins register themselves from their packages' Register functions,
// called from one place (the plugins package), so the list is explicit.
var builtins = map[string]Factory{}

// Register adds a built-in exporter type. It is meant for init-time wiring
// and is not safe for concurrent use.
func Register(name string, f Factory) { builtins[name] = f }

// Builtin returns the factory of a built-in exporter type.
func Builtin(name string) (Factory, bool) {
	f, ok := builtins[name]
	return f, ok
}

// BuiltinNames lists the built-in exporter types in order.
func BuiltinNames() []string {
	names := make([]string, 0, len(builtins))
	for n := range builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
