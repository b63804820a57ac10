package safewrite

import (
	"os"
	"path/filepath"
)

// swapByRenames renames root aside (next to it, under a staging name the
// next run removes) and stage into its place. Between the two renames root
// does not exist: a run killed there leaves the old content aside.
func swapByRenames(stage, root string) (string, error) {
	aside, err := os.MkdirTemp(filepath.Dir(root), "."+filepath.Base(root)+stageInfix)
	if err != nil {
		return "", err
	}
	os.Remove(aside)
	if err := os.Rename(root, aside); err != nil {
		return "", err
	}
	if err := os.Rename(stage, root); err != nil {
		os.Rename(aside, root)
		return "", err
	}
	return aside, nil
}
