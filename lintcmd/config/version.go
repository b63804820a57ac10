package config

import (
	"fmt"
	"strconv"
	"strings"
)

// semVersion is a release number major.minor.patch with an optional pre-release
// ("1.0.0-rc.1"); build metadata is ignored.
type semVersion struct {
	num [3]int
	pre string
}

func parseVersion(s string) (semVersion, int, error) {
	var v semVersion
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexByte(s, '+'); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, '-'); i >= 0 {
		s, v.pre = s[:i], s[i+1:]
		if v.pre == "" {
			return v, 0, fmt.Errorf("empty pre-release in version %q", s+"-")
		}
	}
	parts := strings.Split(s, ".")
	if len(parts) > 3 || s == "" {
		return v, 0, fmt.Errorf("version %q is not MAJOR[.MINOR[.PATCH]]", s)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p != strconv.Itoa(n) {
			return v, 0, fmt.Errorf("version %q is not MAJOR[.MINOR[.PATCH]]", s)
		}
		v.num[i] = n
	}
	return v, len(parts), nil
}

func mustParseVersion(s string) semVersion {
	v, _, err := parseVersion(s)
	if err != nil {
		panic(err) // only for the Version constant, checked by a test
	}
	return v
}

// compare orders versions as semver does: a pre-release sorts before its release.
func (v semVersion) compare(w semVersion) int {
	for i := range v.num {
		if v.num[i] != w.num[i] {
			if v.num[i] < w.num[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case v.pre == w.pre:
		return 0
	case v.pre == "":
		return 1
	case w.pre == "":
		return -1
	case v.pre < w.pre:
		return -1
	}
	return 1
}

type versionConstraint struct {
	op    string
	v     semVersion
	parts int // how many parts were written: for ~>
}

type versionConstraints []versionConstraint

// parseConstraints reads HashiCorp's version-constraint syntax: a
// comma-separated list of `OP VERSION` with OP one of = != > >= < <= ~>
// (none means =).
func parseConstraints(s string) (versionConstraints, error) {
	var cs versionConstraints
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, fmt.Errorf("empty constraint in %q", s)
		}
		op := "="
		for _, o := range []string{">=", "<=", "!=", "~>", ">", "<", "="} {
			if strings.HasPrefix(part, o) {
				op, part = o, strings.TrimSpace(part[len(o):])
				break
			}
		}
		v, n, err := parseVersion(part)
		if err != nil {
			return nil, err
		}
		cs = append(cs, versionConstraint{op: op, v: v, parts: n})
	}
	return cs, nil
}

func (cs versionConstraints) allow(v semVersion) bool {
	for _, c := range cs {
		if !c.allow(v) {
			return false
		}
	}
	return true
}

func (c versionConstraint) allow(v semVersion) bool {
	cmp := v.compare(c.v)
	switch c.op {
	case "=":
		return cmp == 0
	case "!=":
		return cmp != 0
	case ">":
		return cmp > 0
	case ">=":
		return cmp >= 0
	case "<":
		return cmp < 0
	case "<=":
		return cmp <= 0
	}
	// ~> X.Y allows >= X.Y and < (X+1).0; ~> X.Y.Z allows >= X.Y.Z and < X.(Y+1).0.
	if cmp < 0 {
		return false
	}
	var upper semVersion
	switch c.parts {
	case 1, 2:
		upper.num = [3]int{c.v.num[0] + 1, 0, 0}
	default:
		upper.num = [3]int{c.v.num[0], c.v.num[1] + 1, 0}
	}
	return v.compare(upper) < 0
}
