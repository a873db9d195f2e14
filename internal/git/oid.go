package git

// OID is an object id as git prints it: 40 (SHA-1) or 64 (SHA-256)
// lower-case hex digits. Commit, tree and blob ids travel as OIDs, so
// that a signature tells ids from revisions, refs and paths.
type OID string

// ParseOID returns s as an OID if it is a full object id.
func ParseOID(s string) (OID, bool) {
	if !IsHexID(s) {
		return "", false
	}
	return OID(s), true
}

// IsHexID reports whether s looks like a full SHA-1 or SHA-256 object id.
func IsHexID(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Strings returns ids as plain strings, for interfaces outside git's
// (JSON records, messages).
func Strings(ids []OID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}
