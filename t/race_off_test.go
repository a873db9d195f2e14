//go:build !race

package t

// raceBuild: the tests run without -race; so does the binary they build.
const raceBuild = false
