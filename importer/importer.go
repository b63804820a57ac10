// Package importer reads what a team already runs — Docker Compose files and
// Kubernetes manifests — and writes it as an archform design: the reverse of
// package emit. Each container becomes the component its image says (postgres
// a database, redis a cache, nginx a load balancer, ...), with its replicas,
// ports, environment (secret-looking values become secret references, never
// copies), health check and volume; dependencies become calls.
//
// What the input cannot tell (capacity, latency, flows, zones in Compose, the
// traffic a client sends) is listed in a header comment for the user to fill
// in, along with everything the importer guessed. The design is formatted with
// lang.Format and proven to load with lang before it is returned.
package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/format"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Result is an imported design.
type Result struct {
	// System is the name of the design's system block.
	System string
	// FileName is the design's file name: SYSTEM.arch.hcl.
	FileName string
	// Source is the formatted design.
	Source []byte
	// Components counts the components written (the client included).
	Components int
}

// InputError is input that is not valid Compose or Kubernetes YAML: the
// file, the line when the parser gives one (0 otherwise), and why.
type InputError struct {
	File string
	Line int
	Err  error
}

func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *InputError) Unwrap() error { return e.Err }

// fileError is a file that cannot be read: the reason without the path,
// which the InputError names.
func fileError(file string, err error) *InputError {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &InputError{File: file, Err: err}
}

var lineRE = regexp.MustCompile(`\bline (\d+)\b`)

// inputError wraps a parser's error, taking the line out of its message when
// it has one ("yaml: line 4: ..."); offset is added to it (the line a YAML
// document starts on in its file, less one).
func inputError(file string, offset int, err error) *InputError {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie
	}
	e := &InputError{File: file, Err: err}
	// The last "line N" is where the parser stopped ("while parsing a flow
	// sequence at line 2, column 12: line 3: did not find ..."). Lines of a
	// document are rewritten as lines of the file.
	msg := strings.TrimPrefix(err.Error(), "error converting YAML to JSON: ")
	msg = lineRE.ReplaceAllStringFunc(msg, func(m string) string {
		n, convErr := strconv.Atoi(strings.TrimPrefix(m, "line "))
		if convErr != nil {
			return m
		}
		e.Line = n + offset
		return "line " + strconv.Itoa(e.Line)
	})
	if msg != err.Error() {
		e.Err = errors.New(msg)
	}
	return e
}

// fieldLine finds the line of a document where a field (given as its path,
// "spec.selectorr" or "services[api].deploy.replicas") is written: the
// first line that sets its last element; 0 when none does.
func fieldLine(doc document, path string) int {
	field := path[strings.LastIndex(path, ".")+1:]
	if i := strings.Index(field, "["); i >= 0 {
		field = field[:i]
	}
	field = strings.Trim(field, "'\"")
	if field == "" {
		return 0
	}
	key := `["']?` + regexp.QuoteMeta(field) + `["']?\s*:`
	lines := strings.Split(string(doc.data), "\n")
	// A key starting its line (block style), else one inside a flow
	// mapping ({replicas: many}).
	for _, re := range []*regexp.Regexp{regexp.MustCompile(`^\s*(?:-\s+)?` + key), regexp.MustCompile(`[{,]\s*` + key)} {
		for i, l := range lines {
			if re.MatchString(l) {
				return doc.line + i
			}
		}
	}
	return 0
}

// design is the importer's model of what it read, written out by render.
type design struct {
	system  string
	source  string // the command and files, for the header
	comps   []*component
	flows   []flow
	region  *region
	guessed []string // what the importer guessed, one line each
	fill    []string // what the user should fill in
	skipped []string // what was read but not imported
}

// flow is a flow block to write: one per entry, from its own client.
type flow struct {
	name  string
	entry *component // the client
}

type region struct {
	name  string
	zones []string
}

// component is one component block to write.
type component struct {
	kind lang.Kind
	name string // an HCL identifier, unique within its kind

	description string
	image       string
	engine      string
	replicas    int // 0: not written (1)
	repl        int // database replicas beyond the primary (replication block)
	zones       []string
	ports       []int
	env         map[string]string
	secrets     map[string]string // env var -> "secret/key"
	command     []string
	entrypoint  []string // nil: the image's
	// portSpecs are ports the design describes in port blocks: UDP ones
	// and those published on the host.
	portSpecs   []portSpec
	passthrough []string // environment taken from where compose runs
	mounts      []mount
	cpu, memory string
	health      *health
	autoscale   *autoscale
	volume      *volume
	public      bool
	stateful    bool // a service run as a StatefulSet
	calls       []*component
	// evidence is where each call was found: callee → "file:line key".
	evidence found
	// noCalls: the import looked for this component's calls and found
	// none (the header names it).
	noCalls bool
	// service is the name the input gives it (a Compose service, a
	// Kubernetes workload).
	service string
	// notes are header lines about it, written with its address.
	notes []string
	// role is what it is for: "" (an application), telemetry, discovery,
	// config or admin (off user flows).
	role string
}

type health struct {
	path               string
	port               int
	interval, timeout  string
	unhealthyThreshold int
}

type autoscale struct {
	min, max int
	target   float64 // 0: not written
}

type volume struct{ path, size, name string }

// portSpec is a port block: a UDP port, or one published on the host.
type portSpec struct {
	number   int
	protocol string // "tcp" or "udp"
	hostPort int    // 0: not published
	hostIP   string
}

// mount is a mount block: a bind mount or a named volume beyond the first.
type mount struct {
	typ, source, target string
	readOnly            bool
}

func (c *component) addr() string { return string(c.kind) + "." + c.name }

// call adds a call to to, once.
func (c *component) call(to *component) {
	if to == nil || to == c {
		return
	}
	for _, x := range c.calls {
		if x == to {
			return
		}
	}
	c.calls = append(c.calls, to)
}

func (d *design) guess(format string, args ...any) {
	d.guessed = append(d.guessed, fmt.Sprintf(format, args...))
}

func (d *design) skip(format string, args ...any) {
	d.skipped = append(d.skipped, fmt.Sprintf(format, args...))
}

// identifier turns a name from the input into an HCL identifier: letters,
// digits, underscores and dashes, starting with a letter or underscore.
func identifier(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out == "" || !hclsyntax.ValidIdentifier(out) {
		out = "_" + out
	}
	return out
}

// names hands out unique identifiers per kind, distinct also once
// deployed: Compose services "api" and "API" (or "a_b" and "a-b") would
// both be deployed as "api", so the second is named API_2.
type names map[string]bool

func (n names) take(kind lang.Kind, s string) string {
	base := identifier(s)
	name := base
	deployed := func(name string) string { return string(kind) + " deployed as " + lang.DNSLabel(name, 40) }
	for i := 2; n[string(kind)+"."+name] || n[deployed(name)]; i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	n[string(kind)+"."+name] = true
	n[deployed(name)] = true
	return name
}

// finish renders the design, formats it and proves that it loads.
func finish(d *design) (*Result, error) {
	src := render(d)
	name := d.system + lang.SuffixHCL
	formatted, diags := format.Source(src, name)
	if diags.HasErrors() {
		return nil, fmt.Errorf("internal error: the imported design does not parse: %s", diags.Error())
	}
	if _, diags := lang.LoadFiles(map[string][]byte{name: formatted}, lang.Options{}); diags.HasErrors() {
		return nil, fmt.Errorf("internal error: the imported design is invalid: %s", diags.Error())
	}
	return &Result{System: d.system, FileName: name, Source: formatted, Components: len(d.comps)}, nil
}
