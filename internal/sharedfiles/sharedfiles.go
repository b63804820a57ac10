// Package sharedfiles finds, for tests, the files that may not be committed
// to the repository (their licences or sizes keep them out): the corpus of
// real Compose files, Kubernetes manifests and microservice systems, and the
// SARIF schema. The CI machine keeps them in a directory named shared in an
// ancestor of the working directory, or beside one. A fresh clone has none:
// tests that need them skip with one message, and fail instead when CI is
// set (or ARCHFORM_REQUIRE_TOOLS=1), where they must run.
package sharedfiles

import (
	"os"
	"path/filepath"
	"testing"
)

// Find returns the path of shared/REL (REL joined from rel) in the working
// directory or an ancestor of it, or in a sibling directory of one, or ""
// when there is none.
func Find(rel ...string) string {
	dir, err := filepath.Abs(".")
	if err != nil {
		return ""
	}
	sub := filepath.Join(rel...)
	for {
		for _, c := range []string{filepath.Join(dir, "shared", sub), filepath.Join(dir, "..", "shared", sub)} {
			if _, err := os.Stat(c); err == nil {
				return c
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Required reports whether the shared files must be there: CI is set, or
// ARCHFORM_REQUIRE_TOOLS=1 (set by .ci/run).
func Required() bool {
	return os.Getenv("CI") != "" || os.Getenv("ARCHFORM_REQUIRE_TOOLS") == "1"
}

// Path returns Find(rel...), or skips the test (fails it when Required)
// with one message saying what is missing. Call it in the subtest that
// needs the file, so that a skip never drops an assertion that does not.
func Path(t testing.TB, rel ...string) string {
	t.Helper()
	if p := Find(rel...); p != "" {
		return p
	}
	what := filepath.ToSlash(filepath.Join(append([]string{"shared"}, rel...)...))
	if Required() {
		t.Fatalf("%s not found beside the repository (CI is set: the test must run)", what)
	}
	t.Skipf("%s not found beside the repository (a fresh clone has no shared files): skipping", what)
	return ""
}
