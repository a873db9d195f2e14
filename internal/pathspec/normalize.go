package pathspec

// normalize resolves "." and ".." components and repeated slashes in the
// relative path src, as git's normalize_path_copy_len() does. A trailing
// slash is kept ("d/" stays "d/", "d/." becomes "d/"). prefixLen is the
// length of the current directory's part of src; normalize returns it
// shortened by any ".." that climbed into it. ok is false when ".." climbs
// above the top.
func normalize(src string, prefixLen int) (dst string, newPrefixLen int, ok bool) {
	out := make([]byte, 0, len(src))
	i := skipSlashes(src, 0)
	for i < len(src) {
		if src[i] == '.' {
			switch {
			case i+1 == len(src):
				// "." at the end.
				return string(out), prefixLen, true
			case src[i+1] == '/':
				i = skipSlashes(src, i+2)
				continue
			case src[i+1] == '.' && (i+2 == len(src) || src[i+2] == '/'):
				// "..": drop the last component written.
				i = skipSlashes(src, i+2)
				if len(out) == 0 {
					return "", 0, false
				}
				n := len(out) - 1 // out ends with '/'
				for n > 0 && out[n-1] != '/' {
					n--
				}
				out = out[:n]
				prefixLen = min(prefixLen, n)
				continue
			}
		}
		for i < len(src) && src[i] != '/' {
			out = append(out, src[i])
			i++
		}
		if i < len(src) {
			out = append(out, '/')
			i = skipSlashes(src, i)
		}
	}
	return string(out), prefixLen, true
}

func skipSlashes(s string, i int) int {
	for i < len(s) && s[i] == '/' {
		i++
	}
	return i
}
