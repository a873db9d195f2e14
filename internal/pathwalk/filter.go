package pathwalk

// All returns a filter admitting what every one of filters admits (the
// sparse-checkout and the pathspecs, say), or nil when there are none.
func All(filters ...Filter) Filter {
	switch len(filters) {
	case 0:
		return nil
	case 1:
		return filters[0]
	}
	return allOf(filters)
}

type allOf []Filter

// Dir keeps the most restrictive verdict: Excluded over Partial over
// Included.
func (fs allOf) Dir(path string) Match {
	result := Included
	for _, f := range fs {
		switch f.Dir(path) {
		case Excluded:
			return Excluded
		case Partial:
			result = Partial
		}
	}
	return result
}

func (fs allOf) File(path string) bool {
	for _, f := range fs {
		if !f.File(path) {
			return false
		}
	}
	return true
}
