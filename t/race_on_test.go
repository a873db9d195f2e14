//go:build race

package t

// raceBuild: the tests run with -race, and so does the binary they build.
const raceBuild = true
