package importer

import (
	"bufio"
	"bytes"
	"errors"
	"github.com/archform/archform/lang"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// setting is one value a configuration file sets: its key (a dotted path
// in YAML and JSON, the directive in nginx and HAProxy files), its value
// and its line.
type setting struct {
	key, value string
	line       int
	address    bool // the key says the value is an address
}

// maxConfigSize is the largest file read for addresses: configuration, not
// data or dashboards.
const maxConfigSize = 256 << 10

// configExts are the file endings read as configuration.
var configExts = map[string]bool{".yml": true, ".yaml": true, ".json": true, ".toml": true,
	".properties": true, ".env": true, ".conf": true, ".cfg": true, ".ini": true, ".config": true, ".template": true, ".tmpl": true}

// configNames are configuration files known by name whatever their ending.
var configNames = map[string]bool{"nginx.conf": true, "haproxy.cfg": true, "caddyfile": true, ".env": true,
	"envoy.yaml": true, "traefik.toml": true, "traefik.yml": true}

// notConfig are files with a configuration ending that are not a running
// program's configuration: package manifests, lock files, other Compose
// files, dashboards.
var notConfig = regexp.MustCompile(`(?i)^(package(-lock)?\.json|tsconfig.*\.json|composer\.(json|lock)|.*\.lock|(docker-)?compose[\w.-]*\.ya?ml|.*dashboard.*\.json|renovate\.json|\.eslintrc.*|\.prettierrc.*|\.travis\.yml|\.gitlab-ci\.yml|appveyor\.yml|codecov\.yml|mkdocs\.yml|chart\.yaml|values.*\.yaml|kustomization\.ya?ml)$`)

// skipDirs are directories of a source tree that hold no configuration the
// program reads at run time.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, "test": true, "tests": true,
	"spec": true, "target": true, "build": true, "dist": true, "docs": true, "doc": true, "examples": true,
	"dashboards": true, ".github": true, "helm": true, "k8s": true, "kubernetes": true, "charts": true, "__pycache__": true}

// isConfigFile reports whether a file's name says it is configuration.
func isConfigFile(name string) bool {
	base := strings.ToLower(filepath.Base(name))
	if notConfig.MatchString(base) {
		return false
	}
	return configNames[base] || configExts[filepath.Ext(base)]
}

// configFiles lists the configuration files of a mounted or source path:
// the file itself, or the files of a directory (to depth 4, in lexical
// order), leaving out the directories in skip.
func configFiles(path string, skip map[string]bool) []string {
	fi, err := os.Stat(path)
	if err != nil {
		return nil
	}
	if !fi.IsDir() {
		if fi.Size() <= maxConfigSize {
			return []string{path}
		}
		return nil
	}
	var out []string
	_ = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			rel, _ := filepath.Rel(path, p)
			if p != path && (skipDirs[strings.ToLower(d.Name())] || skip[p] || strings.Count(rel, string(filepath.Separator)) >= 4) {
				return filepath.SkipDir
			}
			return nil
		}
		if isConfigFile(p) {
			if info, err := d.Info(); err == nil && info.Size() <= maxConfigSize {
				out = append(out, p)
			}
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// readSettings reads the settings of a configuration file by its format:
// YAML and JSON as documents, nginx, HAProxy and Caddy files by directive,
// the rest (.env, .properties, TOML, INI) as key = value lines.
func readSettings(path string) ([]setting, error) {
	data, err := lang.ReadInput(path, lang.MaxFileSize)
	if err != nil {
		return nil, err
	}
	return settingsOf(path, data)
}

// settingsOf reads the settings of a file's content, by its name.
func settingsOf(path string, data []byte) ([]setting, error) {
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, errors.New("binary file")
	}
	base := strings.ToLower(filepath.Base(path))
	ext := filepath.Ext(strings.TrimSuffix(strings.TrimSuffix(base, ".template"), ".tmpl"))
	switch {
	case ext == ".yml" || ext == ".yaml" || ext == ".json":
		if s, err := yamlSettings(data); err == nil {
			return s, nil
		}
		return lineSettings(data), nil // a template that is not YAML yet
	case ext == ".conf" && (!bytes.Contains(data, []byte("=")) || nginxRE.Match(data)) || base == "haproxy.cfg" || base == "caddyfile" || strings.Contains(base, "nginx"):
		return directiveSettings(data), nil
	}
	return lineSettings(data), nil
}

// yamlSettings walks every document of a YAML (or JSON) file.
func yamlSettings(data []byte) ([]setting, error) {
	var out []setting
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		walkYAML(&n, "", "", &out)
	}
	return out, nil
}

// walkYAML collects the scalars under n with their dotted key paths; a
// sequence's items take the key of the sequence. last is the nearest
// mapping key.
func walkYAML(n *yaml.Node, path, last string, out *[]setting) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			walkYAML(c, path, last, out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			p := k
			if path != "" {
				p = path + "." + k
			}
			walkYAML(n.Content[i+1], p, k, out)
		}
	case yaml.ScalarNode:
		if n.Value != "" {
			*out = append(*out, setting{key: path, value: n.Value, line: n.Line, address: addressWord(last)})
		}
	}
}

var nginxRE = regexp.MustCompile(`(?m)^\s*(proxy_pass|upstream|location|server\s*\{|listen)\b`)

var lineKVRE = regexp.MustCompile(`^\s*(?:export\s+)?([A-Za-z0-9_.\-\[\]"]+)\s*[=:]\s*(.*)$`)

// lineSettings reads key = value and key: value lines (.env, .properties,
// TOML, INI); lines without a key are read as values without one.
func lineSettings(data []byte) []setting {
	var out []setting
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), maxConfigSize)
	for line := 1; sc.Scan(); line++ {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";") || strings.HasPrefix(l, "//") || strings.HasPrefix(l, "[") {
			continue
		}
		if m := lineKVRE.FindStringSubmatch(l); m != nil {
			k := strings.Trim(m[1], `"`)
			v := strings.Trim(strings.TrimSpace(m[2]), `"'`)
			out = append(out, setting{key: k, value: v, line: line, address: addressWord(k)})
			continue
		}
		out = append(out, setting{value: l, line: line})
	}
	return out
}

// proxyDirectives are the directives of nginx, HAProxy and Caddy whose
// arguments are upstream addresses.
var proxyDirectives = map[string]bool{"proxy_pass": true, "grpc_pass": true, "fastcgi_pass": true, "uwsgi_pass": true,
	"scgi_pass": true, "memcached_pass": true, "server": true, "reverse_proxy": true, "upstream": false}

// directiveSettings reads nginx-like files: each statement's directive is
// its key; `server` inside an upstream block and HAProxy's
// `server NAME HOST:PORT` name upstreams.
func directiveSettings(data []byte) []setting {
	var out []setting
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), maxConfigSize)
	for line := 1; sc.Scan(); line++ {
		l := sc.Text()
		if i := strings.Index(l, "#"); i >= 0 {
			l = l[:i]
		}
		for _, stmt := range strings.Split(l, ";") {
			f := strings.Fields(strings.Trim(strings.TrimSpace(stmt), "{}"))
			if len(f) < 2 {
				continue
			}
			dir := strings.ToLower(f[0])
			args := f[1:]
			if dir == "server" && len(args) >= 2 && !strings.Contains(args[0], ":") {
				args = args[1:] // HAProxy: server NAME ADDRESS
			}
			if dir == "server" && len(args) > 0 && args[0] == "{" {
				continue // nginx server block
			}
			out = append(out, setting{key: dir, value: strings.Join(args, " "), line: line, address: proxyDirectives[dir]})
		}
	}
	return out
}

// relPath writes path relative to dir for evidence, with slashes.
func relPath(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(path)
}

// within reports whether path lies inside dir: the importer reads no file
// outside the project (a bind mount of / or of the Docker socket).
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func lineRef(file string, line int) string {
	if line <= 0 {
		return file
	}
	return file + ":" + strconv.Itoa(line)
}
