// Package credential recognises credentials in configuration values: a
// password in a URL's user information (of any shape, parseable or not),
// key=value connection strings (libpq, ADO.NET, ODBC, JDBC query strings),
// command-line flags (--db-password x, --password=x, -Dx.password=y,
// redis-server --requirepass x), tokens known by their prefix (ghp_,
// glpat-, xoxb-, AKIA, private keys, ...), variables named like credentials
// (MYSQL_ROOT_PASSWORD, PASSPHRASE, MYSQLPASS) and interpolated variables
// whose names are (${DB_PASS}).
//
// It is the one detector import, emit and lint share: import never copies a
// value it matches into a design, emit never writes one where the engine
// takes a secret reference, and lint reports a design that holds one.
package credential

import (
	"net/url"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
)

// Kind says how a credential was recognised.
type Kind string

// The kinds of match.
const (
	// Name: the key is named like a credential (DB_PASSWORD, API_KEY).
	Name Kind = "name"
	// URL: a URL carries a password in its user information
	// (mysql://root:pw@db/x), JDBC and unparseable URLs included.
	URL Kind = "url"
	// Param: a key=value pair inside the value names a credential: a
	// connection string (host=db password=x, Server=s;Password=x;), a URL's
	// query (?password=x) or a flag (--password=x, -Dx.password=x).
	Param Kind = "param"
	// Flag: a command-line flag named like a credential takes the next
	// argument (--db-password x, --requirepass x).
	Flag Kind = "flag"
	// Token: a token or key recognised by its form (ghp_..., AKIA...,
	// -----BEGIN PRIVATE KEY-----, a JWT).
	Token Kind = "token"
	// Interpolated: the value reads a variable named like a credential
	// (${DB_PASS}, $MYSQL_PASSWORD).
	Interpolated Kind = "interpolated"
)

// Match is a credential found in a value.
type Match struct {
	Kind Kind
	// What says what was found, for messages ("a password in the URL's
	// user information", "a GitHub token (ghp_)").
	What string
	// Start and End are the byte offsets of the secret inside the value:
	// value[Start:End] is what must not be copied (the whole value for a
	// Name match).
	Start, End int
}

// Find reports whether the value of key (an environment variable, a
// configuration key, a label; key may be empty) holds a credential, and
// the first one it holds. An empty value holds none.
func Find(key, value string) (Match, bool) {
	if ms := FindAll(key, value); len(ms) > 0 {
		return ms[0], true
	}
	return Match{}, false
}

// FindAll returns every credential in the value of key, in the order they
// appear, without overlaps. A Name match covers the whole value and is
// the only one returned.
func FindAll(key, value string) []Match {
	if strings.TrimSpace(value) == "" {
		return nil
	}
	if key != "" && Named(key) && !settingValue(value) {
		if m, ok := interpolated(value); ok && m.Start == 0 && m.End == len(value) {
			return []Match{m}
		}
		return []Match{{Kind: Name, What: "the value of " + key + ", named like a credential", Start: 0, End: len(value)}}
	}
	var ms []Match
	add := func(m Match) {
		if m.End <= m.Start {
			return
		}
		for _, o := range ms {
			if m.Start < o.End && o.Start < m.End {
				return
			}
		}
		ms = append(ms, m)
	}
	for _, m := range privateKeys(value) {
		add(m)
	}
	for _, m := range urls(value) {
		add(m)
	}
	for _, m := range tokens(value) {
		add(m)
	}
	for _, m := range params(value) {
		add(m)
	}
	for _, m := range oracle(value) {
		add(m)
	}
	fields := fieldsOf(value)
	for _, m := range flags(value, fields) {
		add(m)
	}
	for _, f := range fields {
		if m, ok := interpolated(value[f.start:f.end]); ok {
			m.Start += f.start
			m.End += f.start
			add(m)
		}
	}
	sortMatches(ms)
	return ms
}

// ArgMatch is a credential in a list of command-line arguments: Match is
// inside args[Index].
type ArgMatch struct {
	Index int
	Match
}

// FindArgs returns the credentials in a command's arguments (exec form, one
// argument per element): flags that take the next argument
// (["--db-password", "x"]) and every form Find recognises inside one
// argument ("--password=x", "-Dx.password=y", "redis://:pw@cache").
func FindArgs(args []string) []ArgMatch {
	var out []ArgMatch
	for i, a := range args {
		if i > 0 && secretFlag(args[i-1]) && a != "" && !strings.HasPrefix(a, "-") {
			out = append(out, ArgMatch{Index: i, Match: Match{Kind: Flag, What: "the value of the flag " + args[i-1], Start: 0, End: len(a)}})
			continue
		}
		for _, m := range FindAll("", a) {
			out = append(out, ArgMatch{Index: i, Match: m})
		}
	}
	return out
}

// Replace returns value with each match's secret replaced by repl(i), i
// being the match's index in ms (ms as FindAll returns them: sorted, not
// overlapping).
func Replace(value string, ms []Match, repl func(i int) string) string {
	var b strings.Builder
	last := 0
	for i, m := range ms {
		if m.Start < last || m.End > len(value) {
			continue
		}
		b.WriteString(value[last:m.Start])
		b.WriteString(repl(i))
		last = m.End
	}
	b.WriteString(value[last:])
	return b.String()
}

// Named reports whether a key (an environment variable, a configuration
// key, a flag without its dashes, a connection-string parameter) is named
// like a credential: MYSQL_ROOT_PASSWORD, API_KEY, github.token, dbPassword,
// PASSPHRASE, MYSQLPASS, requirepass. A name whose last word says the value
// is about the credential rather than the credential itself is not:
// PASSWORD_FILE, TOKEN_URL, AUTH_METHOD, AWS_ACCESS_KEY_ID, KEYSPACE.
func Named(key string) bool {
	key = strings.TrimLeft(key, "-")
	if strings.HasPrefix(key, "D") && strings.Contains(key, ".") {
		key = key[1:] // -Dx.password
	}
	words := Words(key)
	if len(words) == 0 {
		return false
	}
	found := -1
	for i, w := range words {
		if credentialWord(w, words, i) {
			found = i
		}
	}
	if found < 0 {
		return false
	}
	for _, w := range words[found+1:] {
		if aboutWords[w] {
			return false
		}
	}
	return true
}

// credentialWords are whole words of a name that make it a credential's.
var credentialWords = map[string]bool{
	"password": true, "passwd": true, "pass": true, "pwd": true, "pw": true, "passphrase": true,
	"secret": true, "secrets": true, "token": true, "tokens": true, "apikey": true, "credential": true,
	"credentials": true, "creds": true, "auth": true, "pat": true, "dsn": true, "requirepass": true,
	"masterauth": true, "privatekey": true, "accesskey": true, "secretkey": true, "pin": true,
	"passcode": true, "authorization": true,
}

// keyPrefixes are the words before "key" that make it a credential
// (API_KEY, SECRET_KEY); other keys (SORT_KEY, CACHE_KEY) are not.
var keyPrefixes = map[string]bool{
	"api": true, "secret": true, "private": true, "encryption": true, "signing": true, "access": true,
	"master": true, "license": true, "session": true, "client": true, "app": true, "auth": true,
	"jwt": true, "hmac": true, "crypto": true, "enc": true, "ssh": true, "gpg": true, "account": true,
	"service": true, "storage": true, "subscription": true, "webhook": true, "admin": true,
	"write": true, "read": true, "ingest": true, "license_": true, "sendgrid": true, "stripe": true,
	"mailgun": true, "openai": true, "x": true, "user": true, "shared": true, "root": true,
}

// compoundSuffixes and compoundParts find credential words run together
// without separators (MYSQLPASS, WEBPASSWORD, DBPASSWD).
var (
	compoundParts    = []string{"password", "passwd", "passphrase", "secret", "token", "apikey", "accesskey", "privatekey", "credential"}
	compoundSuffixes = []string{"pass", "pwd", "pw", "auth"}
	notCompound      = map[string]bool{"bypass": true, "compass": true, "passthrough": true, "oauth": false, "tokenizer": true, "tokenize": true}
)

// aboutWords, after a credential word, make a name about the credential
// (where it is, how it is used), not the credential itself.
var aboutWords = map[string]bool{
	"file": true, "path": true, "dir": true, "url": true, "uri": true, "endpoint": true, "host": true,
	"port": true, "method": true, "type": true, "mode": true, "enabled": true, "enable": true,
	"disabled": true, "required": true, "length": true, "min": true, "max": true, "ttl": true,
	"expiry": true, "expires": true, "expiration": true, "timeout": true, "lifetime": true, "age": true,
	"id": true, "name": true, "names": true, "header": true, "issuer": true, "audience": true,
	"algorithm": true, "alg": true, "policy": true, "prefix": true, "suffix": true, "ref": true,
	"count": true, "size": true, "hash": true, "cost": true, "rounds": true, "server": true,
	"provider": true, "backend": true, "source": true, "version": true, "user": true, "username": true,
	"realm": true, "scheme": true, "strategy": true, "plugin": true, "mechanism": true, "store": true,
	"location": true, "key": false, "space": true, "through": true, "level": true, "format": true,
}

func credentialWord(w string, all []string, i int) bool {
	if w == "key" || w == "keys" {
		// API_KEY, SECRET_KEY, KEY alone; not SORT_KEY or KEYSPACE.
		return len(all) == 1 || i > 0 && keyPrefixes[all[i-1]]
	}
	if v, ok := credentialWords[w]; ok {
		return v
	}
	if notCompound[w] {
		return false
	}
	for _, p := range compoundParts {
		if strings.Contains(w, p) {
			return true
		}
	}
	for _, s := range compoundSuffixes {
		if strings.HasSuffix(w, s) && len(w) > len(s)+1 {
			return true
		}
	}
	return false
}

// Words splits a key into lower-case words at punctuation and at case
// changes (dbPassword → db, password; MYSQL_ROOT_PASSWORD → mysql, root,
// password; APIKey → api, key), as Named reads it.
func Words(key string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(key)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case unicode.IsUpper(r) && i > 0 && unicode.IsLower(rs[i-1]):
			flush()
		case unicode.IsUpper(r) && i > 0 && i+1 < len(rs) && unicode.IsUpper(rs[i-1]) && unicode.IsLower(rs[i+1]):
			flush() // APIKey → api, key
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// settingValue reports whether a value is a setting rather than a
// credential (ENABLE_AUTH=true, AUTH=none).
func settingValue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "false", "yes", "no", "on", "off", "none", "null", "nil", "disabled", "enabled", "required", "optional", "0", "1":
		return true
	}
	return false
}

// A field is a whitespace-separated part of a value.
type field struct{ start, end int }

func fieldsOf(v string) []field {
	var out []field
	start := -1
	for i, r := range v {
		if unicode.IsSpace(r) {
			if start >= 0 {
				out = append(out, field{start, i})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, field{start, len(v)})
	}
	return out
}

// secretFlag reports whether a command-line argument is a flag named like a
// credential that takes the next argument as its value (--db-password,
// --requirepass, -Dx.password is not: it carries its own value).
func secretFlag(arg string) bool {
	if !strings.HasPrefix(arg, "-") || strings.Contains(arg, "=") {
		return false
	}
	name := strings.TrimLeft(arg, "-")
	if len(name) < 3 { // -p is a port as often as a password
		return false
	}
	return Named(name)
}

// flags finds --flag VALUE pairs inside one value ("redis-server
// --requirepass pw").
func flags(v string, fs []field) []Match {
	var out []Match
	for i := 1; i < len(fs); i++ {
		flag, arg := v[fs[i-1].start:fs[i-1].end], v[fs[i].start:fs[i].end]
		if secretFlag(flag) && !strings.HasPrefix(arg, "-") {
			out = append(out, Match{Kind: Flag, What: "the value of the flag " + flag, Start: fs[i].start, End: fs[i].end})
		}
	}
	return out
}

var interpRE = mustPattern(`\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// Reference reports whether s is wholly a reference to a variable (${VAR},
// $VAR, $(VAR)): a credential's name, not its value.
func Reference(s string) bool {
	loc := interpRE.FindStringIndex(s)
	return loc != nil && loc[0] == 0 && loc[1] == len(s)
}

// interpolated finds the first ${VAR}, $VAR or $(VAR) in v whose variable is
// named like a credential.
func interpolated(v string) (Match, bool) {
	for _, loc := range interpRE.FindAllStringSubmatchIndex(v, -1) {
		if loc[0] > 0 && v[loc[0]-1] == '$' {
			continue // $${ is an escaped dollar
		}
		var name string
		for g := 1; g <= 3; g++ {
			if loc[2*g] >= 0 {
				name = v[loc[2*g]:loc[2*g+1]]
			}
		}
		if Named(name) {
			return Match{Kind: Interpolated, What: "the variable " + name + ", named like a credential", Start: loc[0], End: loc[1]}, true
		}
	}
	return Match{}, false
}

var schemeRE = mustPattern(`(?i)(?:jdbc:)?[a-z][a-z0-9+.-]*://`)

// urls finds passwords in the user information of URLs: parseable ones
// (postgres://u:pw@db/x) and the ones net/url refuses (a password holding
// '/', '#', '%ZZ' or a space).
func urls(v string) []Match {
	var out []Match
	locs := schemeRE.FindAllStringIndex(v, -1)
	for n, loc := range locs {
		if loc[0] > 0 && isSchemeChar(v[loc[0]-1]) {
			continue
		}
		end := len(v)
		if n+1 < len(locs) {
			end = locs[n+1][0]
		}
		// A URL alone in the value may hold spaces in its password; one
		// among other words ends at the first space.
		if loc[0] > 0 || end < len(v) {
			if i := strings.IndexAny(v[loc[1]:end], " \t\n"); i >= 0 {
				end = loc[1] + i
			}
		}
		rest := v[loc[1]:end]
		at := lastAt(rest)
		if at < 0 {
			continue
		}
		userinfo := rest[:at]
		// What net/url parses, it parses right: no user information, or
		// none with a password, is no credential.
		if u, err := url.Parse(strings.TrimPrefix(strings.ToLower(v[loc[0]:loc[1]]), "jdbc:") + rest); err == nil {
			if _, ok := u.User.Password(); !ok {
				continue
			}
		}
		colon := strings.IndexByte(userinfo, ':')
		if colon < 0 {
			continue // a user name alone
		}
		if strings.ContainsAny(userinfo[:colon], "/?#") {
			continue // host:port/path@x: the '@' is in the path
		}
		pw := userinfo[colon+1:]
		if pw == "" {
			continue
		}
		start := loc[1] + colon + 1
		out = append(out, Match{Kind: URL, What: "a password in a URL's user information", Start: start, End: start + len(pw)})
	}
	return out
}

func isSchemeChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-'
}

// lastAt is the index of the '@' that ends a URL's user information in
// rest (what follows "scheme://"): the last '@' before the host, which is
// the last '@' of the first space-free run that holds one, or of the whole
// rest when the password holds spaces.
func lastAt(rest string) int {
	// The authority ends at the first '/' after the last '@'; the '@' is
	// the last one before a host that has no '@' itself.
	at := strings.LastIndexByte(rest, '@')
	if at < 0 {
		return -1
	}
	// The host after '@' ends at '/', '?', '#', ';', or a space; keep the
	// last '@' in the first "word" that runs up to that host.
	for {
		prev := strings.LastIndexByte(rest[:at], '@')
		if prev < 0 {
			return at
		}
		// The text between two '@'s belongs to the password when it has no
		// '/': mysql://u:p@ss@db. Otherwise the later '@' is in the path.
		between := rest[prev+1 : at]
		if strings.ContainsAny(between, "/ ") {
			at = prev
			continue
		}
		return at
	}
}

// params finds key=value pairs whose key is named like a credential:
// connection strings (host=db password=x; Server=s;Password=x;), URL
// queries (?password=x&...), flags (--password=x, -Dx.password=y) and
// KEY=VALUE words (env PASSWORD=x cmd).
func params(v string) []Match {
	var out []Match
	i := 0
	for i < len(v) {
		eq := strings.IndexByte(v[i:], '=')
		if eq < 0 {
			break
		}
		eq += i
		// The key runs back from '=' to a separator.
		ks := eq
		for ks > 0 && !paramSep(v[ks-1]) {
			ks--
		}
		key := strings.TrimSpace(v[ks:eq])
		// The value runs to the next separator (a quoted value to its
		// closing quote).
		vs := eq + 1
		ve := vs
		if vs < len(v) && (v[vs] == '\'' || v[vs] == '"') {
			q := v[vs]
			if j := strings.IndexByte(v[vs+1:], q); j >= 0 {
				vs++
				ve = vs + j
			} else {
				ve = len(v)
			}
		} else {
			for ve < len(v) && !valueSep(v[ve]) {
				ve++
			}
		}
		if key != "" && Named(key) && ve > vs && !settingValue(v[vs:ve]) {
			out = append(out, Match{Kind: Param, What: "the value of " + strings.TrimLeft(key, "-") + "=", Start: vs, End: ve})
		}
		i = max(ve, eq+1)
	}
	return out
}

func paramSep(c byte) bool {
	return c == ';' || c == '&' || c == '?' || c == ' ' || c == '\t' || c == '\n' || c == ',' || c == '=' || c == '\'' || c == '"'
}

func valueSep(c byte) bool {
	return c == ';' || c == '&' || c == ' ' || c == '\t' || c == '\n' || c == ','
}

var oracleRE = mustPattern(`(?i)jdbc:oracle:[a-z]+:([^/@\s:]+)/([^@\s]+)@`)

// oracle finds the user/password@ of Oracle's JDBC URLs
// (jdbc:oracle:thin:scott/tiger@db:1521/x).
func oracle(v string) []Match {
	var out []Match
	for _, loc := range oracleRE.FindAllStringSubmatchIndex(v, -1) {
		out = append(out, Match{Kind: URL, What: "a password in an Oracle JDBC URL", Start: loc[4], End: loc[5]})
	}
	return out
}

// A tokenForm is a credential recognised by its shape.
type tokenForm struct {
	re   pattern
	what string
}

var tokenForms = []tokenForm{
	{mustPattern(`\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}`), "a GitHub token"},
	{mustPattern(`\bgithub_pat_[A-Za-z0-9_]{20,}`), "a GitHub fine-grained token"},
	{mustPattern(`\bglpat-[A-Za-z0-9_-]{20,}`), "a GitLab token"},
	{mustPattern(`\bxox[abposr]-[A-Za-z0-9-]{10,}`), "a Slack token"},
	{mustPattern(`\bxapp-[A-Za-z0-9-]{10,}`), "a Slack app token"},
	{mustPattern(`\b(?:sk|rk|pk)_live_[A-Za-z0-9]{16,}`), "a Stripe live key"},
	{mustPattern(`\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}`), "an API secret key (sk-)"},
	{mustPattern(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`), "an AWS access key"},
	{mustPattern(`\bAIza[0-9A-Za-z_-]{35}`), "a Google API key"},
	{mustPattern(`\bnpm_[A-Za-z0-9]{30,}`), "an npm token"},
	{mustPattern(`\bpypi-[A-Za-z0-9_-]{30,}`), "a PyPI token"},
	{mustPattern(`\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}`), "a SendGrid key"},
	{mustPattern(`\bhf_[A-Za-z0-9]{30,}`), "a Hugging Face token"},
	{mustPattern(`\bdop_v1_[a-f0-9]{40,}`), "a DigitalOcean token"},
	{mustPattern(`\bshp(?:at|ss|ca|pa)_[a-fA-F0-9]{20,}`), "a Shopify token"},
	{mustPattern(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`), "a JSON Web Token"},
}

// tokens finds tokens and keys by their form.
func tokens(v string) []Match {
	var out []Match
	for _, f := range tokenForms {
		for _, loc := range f.re.FindAllStringIndex(v, -1) {
			out = append(out, Match{Kind: Token, What: f.what, Start: loc[0], End: loc[1]})
		}
	}
	return out
}

var privateKeyRE = mustPattern(`-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----`)

// privateKeys finds PEM private keys: from the BEGIN line to the END line
// (or the end of the value).
func privateKeys(v string) []Match {
	var out []Match
	for _, loc := range privateKeyRE.FindAllStringIndex(v, -1) {
		end := len(v)
		if i := strings.Index(v[loc[1]:], "-----END"); i >= 0 {
			end = loc[1] + i
			if j := strings.Index(v[end+8:], "-----"); j >= 0 {
				end += 8 + j + 5
			}
		}
		out = append(out, Match{Kind: Token, What: "a private key", Start: loc[0], End: end})
	}
	return out
}

func sortMatches(ms []Match) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].Start < ms[j-1].Start; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// pattern is a regular expression and a literal that every match of it
// holds (requiredLiteral): a value without the literal is not scanned. Most
// values (images, descriptions) hold none of the tokens' prefixes, and
// scanning a value with each of the tokens' expressions was most of a
// lint's plain-secret rule.
type pattern struct {
	*regexp.Regexp
	lit  string
	fold bool // lit matches without regard to case
}

func mustPattern(expr string) pattern {
	lit, fold := requiredLiteral(expr)
	return pattern{regexp.MustCompile(expr), lit, fold}
}

// may reports whether s holds the pattern's literal.
func (p pattern) may(s string) bool {
	if !p.fold {
		return strings.Contains(s, p.lit)
	}
	for i := 0; i+len(p.lit) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(p.lit)], p.lit) {
			return true
		}
	}
	return false
}

func (p pattern) FindStringIndex(s string) []int {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindStringIndex(s)
}

func (p pattern) FindAllStringIndex(s string, n int) [][]int {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindAllStringIndex(s, n)
}

func (p pattern) FindAllStringSubmatchIndex(s string, n int) [][]int {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindAllStringSubmatchIndex(s, n)
}

// requiredLiteral is the longest literal among the parts of expr's
// top-level concatenation (`\bglpat-[A-Za-z0-9_-]{20,}`: "glpat-"), which
// every match holds, and whether it matches without regard to case ("" when
// there is none). A literal of ASCII letters matched without regard to case
// is found with strings.EqualFold; one of other letters is not used.
func requiredLiteral(expr string) (lit string, fold bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "", false
	}
	parts := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		parts = re.Sub
	}
	for _, p := range parts {
		if p.Op != syntax.OpLiteral || len(string(p.Rune)) <= len(lit) {
			continue
		}
		caseless, ascii := true, true
		for _, r := range p.Rune {
			caseless = caseless && unicode.SimpleFold(r) == r
			ascii = ascii && r < unicode.MaxASCII
		}
		switch {
		case p.Flags&syntax.FoldCase == 0 || caseless:
			lit, fold = string(p.Rune), false
		case ascii:
			lit, fold = string(p.Rune), true
		}
	}
	return lit, fold
}
