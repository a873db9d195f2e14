package git

import (
	"slices"
	"strings"
)

// inheritedEnv lists the variables a git process may take from the user's
// environment. They locate the repository and its configuration, reach the
// remote (ssh, credentials, proxies) or were set for debugging (GIT_TRACE*).
// Everything else is dropped: GIT_EXTERNAL_DIFF, GIT_PAGER, GIT_DIFF_OPTS,
// GIT_NO_LAZY_FETCH and the like would change what we parse or do.
var inheritedEnv = map[string]bool{
	"PATH": true, "HOME": true, "USER": true, "LOGNAME": true, "TMPDIR": true,
	"XDG_CONFIG_HOME": true, "SSH_AUTH_SOCK": true, "SSH_ASKPASS": true,
	"DISPLAY": true, "TERM": true,
	"http_proxy": true, "https_proxy": true, "no_proxy": true, "all_proxy": true,
	"HTTP_PROXY": true, "HTTPS_PROXY": true, "NO_PROXY": true, "ALL_PROXY": true,
	"GIT_DIR": true, "GIT_WORK_TREE": true, "GIT_COMMON_DIR": true,
	"GIT_INDEX_FILE": true, "GIT_OBJECT_DIRECTORY": true,
	"GIT_ALTERNATE_OBJECT_DIRECTORIES": true, "GIT_NAMESPACE": true,
	"GIT_CEILING_DIRECTORIES": true, "GIT_DISCOVERY_ACROSS_FILESYSTEM": true,
	"GIT_CONFIG_NOSYSTEM": true, "GIT_CONFIG_GLOBAL": true, "GIT_CONFIG_SYSTEM": true,
	"GIT_CONFIG_PARAMETERS": true, "GIT_CONFIG_COUNT": true,
	"GIT_SSH": true, "GIT_SSH_COMMAND": true, "GIT_SSH_VARIANT": true,
	"GIT_ASKPASS": true, "GIT_TERMINAL_PROMPT": true, "GIT_PROTOCOL_FROM_USER": true,
	"GIT_ALLOW_PROTOCOL": true, "GIT_SSL_NO_VERIFY": true, "GIT_SSL_CAINFO": true,
	"GIT_HTTP_USER_AGENT": true, "GIT_CURL_VERBOSE": true,
	"GIT_EXEC_PATH": true, "GIT_TEMPLATE_DIR": true,
}

// CleanEnv returns the environment for git processes: the inherited
// variables above, GIT_TRACE* and GIT_CONFIG_KEY_n/GIT_CONFIG_VALUE_n (set by
// "git -c" and needed by the git we start), and a fixed locale so messages
// we match are git's English ones.
func CleanEnv(environ []string) []string {
	env := make([]string, 0, len(environ)+2)
	for _, kv := range environ {
		name, _, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		if inheritedEnv[name] || strings.HasPrefix(name, "GIT_TRACE") ||
			strings.HasPrefix(name, "GIT_CONFIG_KEY_") || strings.HasPrefix(name, "GIT_CONFIG_VALUE_") {
			env = append(env, kv)
		}
	}
	return append(env, "LC_ALL=C", "LANGUAGE=C")
}

// locationEnv are the inherited variables that say where a repository is;
// a Runner for another repository must not pass them on.
var locationEnv = []string{
	"GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE",
	"GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE",
	"GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM",
}

// Outside returns a Runner working in dir with r's environment minus the
// variables that located r's repository: for commands such as "git clone"
// that must not act on it.
func (r *Runner) Outside(dir string) *Runner {
	env := make([]string, 0, len(r.env)+1)
	for _, kv := range r.env {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(locationEnv, name) {
			env = append(env, kv)
		}
	}
	return &Runner{Dir: dir, env: env, remoteOptions: r.remoteOptions, userWait: r.userWait, routes: newRoutes()}
}

// ForGitDir returns a Runner for the bare repository at gitDir (such as a
// snapshot), whatever repository r was for.
func (r *Runner) ForGitDir(gitDir string) *Runner {
	o := r.Outside(gitDir)
	o.env = append(o.env, "GIT_DIR="+gitDir)
	return o
}
