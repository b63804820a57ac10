//go:build !linux

package safewrite

// swap renames root aside and stage into its place, and returns where root's
// old content now is.
func swap(stage, root string) (string, error) { return swapByRenames(stage, root) }
