package credential

import (
	"strings"
	"testing"
)

// TestFind is the table of spellings: each case names the secret text
// Find must find in the value (its exact range), or "" for a value that
// holds no credential.
func TestFind(t *testing.T) {
	for _, c := range []struct {
		key, value, secret string
		kind               Kind
	}{
		// Variables named like credentials.
		{"POSTGRES_PASSWORD", "hunter4", "hunter4", Name},
		{"MYSQL_ROOT_PASSWORD", "s3cr3t", "s3cr3t", Name},
		{"PASSPHRASE", "correct horse", "correct horse", Name},
		{"MYSQLPASS", "pw", "pw", Name},
		{"WEBPASSWORD", "pihole", "pihole", Name},
		{"DB_PASS", "x", "x", Name},
		{"DB_PASSWD", "x", "x", Name},
		{"PGADMIN_PW", "x", "x", Name},
		{"PGADMIN_DEFAULT_PWD", "x", "x", Name},
		{"API_KEY", "abc123", "abc123", Name},
		{"aws_secret_access_key", "wJalrXUtnFEMI", "wJalrXUtnFEMI", Name},
		{"GITHUB_TOKEN", "abc", "abc", Name},
		{"GITHUB_PAT", "abc", "abc", Name},
		{"NEO4J_AUTH", "neo4j/secret", "neo4j/secret", Name},
		{"SECRET_KEY_BASE", "deadbeef", "deadbeef", Name},
		{"JWT_SECRET", "x", "x", Name},
		{"OAUTH_CLIENT_SECRET", "x", "x", Name},
		{"dbPassword", "x", "x", Name},
		{"spring.datasource.password", "x", "x", Name},
		{"ENCRYPTION_KEY", "k", "k", Name},
		{"SENTRY_DSN", "https://abc@o1.ingest.sentry.io/1", "https://abc@o1.ingest.sentry.io/1", Name},
		{"REDIS_REQUIREPASS", "pw", "pw", Name},
		{"AUTHORIZATION", "Bearer abc", "Bearer abc", Name},
		{"ADMIN_CREDENTIALS", "a:b", "a:b", Name},
		// Interpolated variables named like credentials.
		{"DB", "${DB_PASS}", "${DB_PASS}", Interpolated},
		{"DB_PASSWORD", "${DB_PASSWORD}", "${DB_PASSWORD}", Interpolated},
		{"X", "$MYSQL_PASSWORD", "$MYSQL_PASSWORD", Interpolated},
		{"X", "${API_TOKEN:-dev}", "${API_TOKEN:-dev}", Interpolated},
		{"", "pass=$(DB_PASSWORD) more", "$(DB_PASSWORD)", Param},
		// URLs with user information of any shape.
		{"DATABASE_URL", "mysql://root:pa/ss@db/x", "pa/ss", URL},
		{"CACHE_URL", "redis://:p#ss@cache", "p#ss", URL},
		{"MONGO_URL", "mongodb://u:p%ZZ@db", "p%ZZ", URL},
		{"PG_URL", "postgres://u:p ss@db/x", "p ss", URL},
		{"DATABASE_URL", "postgres://app:hunter2@db:5432/app?sslmode=disable", "hunter2", URL},
		{"AMQP_URL", "amqp://guest:guest@rabbit:5672/", "guest", URL},
		{"X", "redis://:p@ss@cache:6379/0", "p@ss", URL},
		{"X", "mongodb+srv://u:pw@cluster0.example.net/db", "pw", URL},
		{"X", "jdbc:mysql://u:pw@db:3306/x", "pw", URL},
		{"", "serve --db mysql://u:pw@db/x --verbose", "pw", URL},
		{"X", "http://u:123/ss@host/x", "", ""}, // net/url reads host u, port 123: no user information
		// JDBC and connection strings.
		{"JDBC", "jdbc:postgresql://db:5432/x?user=u&password=p4ss", "p4ss", Param},
		{"JDBC", "jdbc:sqlserver://db:1433;databaseName=x;user=u;password=p4ss;", "p4ss", Param},
		{"JDBC", "jdbc:oracle:thin:scott/tiger@db:1521/orcl", "tiger", URL},
		{"CONN", "host=db port=5432 user=u password=p4ss dbname=x", "p4ss", Param},
		{"CONN", "host=db password='p 4ss' dbname=x", "p 4ss", Param},
		{"ConnectionStrings__Default", "Server=db;Database=x;User Id=u;Password=p4ss;", "p4ss", Param},
		{"ODBC", "Driver={ODBC};Server=db;UID=u;PWD=p4ss;", "p4ss", Param},
		{"X", "https://api.example.com/v1?api_key=abc123&x=1", "abc123", Param},
		// Command-line flags.
		{"", "--password=p4ss", "p4ss", Param},
		{"", "--db-password=p4ss", "p4ss", Param},
		{"", "-Dspring.datasource.password=p4ss", "p4ss", Param},
		{"", "-Dx.password=p4ss", "p4ss", Param},
		{"", "redis-server --requirepass p4ss", "p4ss", Flag},
		{"", "redis-server --requirepass ${DB_PASS}", "${DB_PASS}", Flag},
		{"", "serve --db-password p4ss --port 80", "p4ss", Flag},
		{"", "redis-server --masterauth p4ss", "p4ss", Flag},
		{"", "app --api-token abc", "abc", Flag},
		{"", "env PGPASSWORD=p4ss psql", "p4ss", Param},
		// Tokens by their form, whatever the key.
		{"X", "ghp_0123456789abcdefghijABCDEFGHIJ0123", "ghp_0123456789abcdefghijABCDEFGHIJ0123", Token},
		{"X", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop", Token},
		{"X", "glpat-abcdefghij0123456789", "glpat-abcdefghij0123456789", Token},
		{"X", "xoxb-1234567890-abcdefghij", "xoxb-1234567890-abcdefghij", Token},
		{"X", "sk_live_0123456789abcdefghij", "sk_live_0123456789abcdefghij", Token},
		{"X", "AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE", Token},
		{"X", "AIzaSyA0123456789abcdefghijklmnopqrstuv", "AIzaSyA0123456789abcdefghijklmnopqrstuv", Token},
		{"X", "sk-proj-abcdefghijklmnopqrstuvwx", "sk-proj-abcdefghijklmnopqrstuvwx", Token},
		{"X", "npm_abcdefghijklmnopqrstuvwxyz0123456789", "npm_abcdefghijklmnopqrstuvwxyz0123456789", Token},
		{"X", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijklmnop", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijklmnop", Token},
		{"TLS_KEY", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", Token},
		{"", "curl -H 'Authorization: token ghp_0123456789abcdefghijABCDEFGHIJ0123' x", "ghp_0123456789abcdefghijABCDEFGHIJ0123", Token},

		// Not credentials.
		{"POSTGRES_USER", "app", "", ""},
		{"POSTGRES_PASSWORD_FILE", "/run/secrets/db", "", ""},
		{"PASSWORD_FILE", "./secrets/pw", "", ""},
		{"POSTGRES_HOST_AUTH_METHOD", "trust", "", ""},
		{"TOKEN_URL", "https://auth.example.com/token", "", ""},
		{"AWS_ACCESS_KEY_ID", "AKIA-not-a-key", "", ""},
		{"KEYSPACE", "shop", "", ""},
		{"SORT_KEY", "id", "", ""},
		{"CACHE_KEY_PREFIX", "app", "", ""},
		{"PASSTHROUGH", "1", "", ""},
		{"PASSWORD_MIN_LENGTH", "8", "", ""},
		{"ENABLE_AUTH", "true", "", ""},
		{"DB_PASSWORD", "", "", ""},
		{"PORT", "8080", "", ""},
		{"DATABASE_URL", "postgres://db:5432/x", "", ""},
		{"DATABASE_URL", "mysql://root@db/x", "", ""},
		{"X", "https://host:443/users/@me", "", ""},
		{"X", "redis://cache:6379", "", ""},
		{"", "--password-file /run/secrets/db", "", ""},
		{"", "--auth-method md5", "", ""},
		{"", "serve --port 80 -v", "", ""},
		{"", "$HOME/bin", "", ""},
		{"", "$${DB_PASS}", "", ""},
		{"X", "ghp_short", "", ""},
		{"X", "scikit sk-learn", "", ""},
		{"HISTORY_TOKENIZER", "simple", "", ""},
		{"OAUTH_CLIENT_ID", "abc", "", ""},
		{"", "host=db port=5432 dbname=x", "", ""},
		{"", "user@example.com", "", ""},
	} {
		m, ok := Find(c.key, c.value)
		if c.secret == "" {
			if ok {
				t.Errorf("Find(%q, %q) = %+v (%q), want no credential", c.key, c.value, m, c.value[m.Start:m.End])
			}
			continue
		}
		if !ok {
			t.Errorf("Find(%q, %q): no credential, want %q", c.key, c.value, c.secret)
			continue
		}
		if got := c.value[m.Start:m.End]; got != c.secret || m.Kind != c.kind {
			t.Errorf("Find(%q, %q) = %s %q, want %s %q", c.key, c.value, m.Kind, got, c.kind, c.secret)
		}
		if m.What == "" {
			t.Errorf("Find(%q, %q): no What", c.key, c.value)
		}
	}
}

func TestFindArgs(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string // "index:secret"
	}{
		{[]string{"serve", "--db-password", "${DB_PASS}"}, []string{"2:${DB_PASS}"}},
		{[]string{"serve", "--db-password", "p4ss"}, []string{"2:p4ss"}},
		{[]string{"redis-server", "--requirepass", "p4ss", "--port", "6379"}, []string{"2:p4ss"}},
		{[]string{"--password=p4ss"}, []string{"0:p4ss"}},
		{[]string{"java", "-Dx.password=p4ss", "-jar", "app.jar"}, []string{"1:p4ss"}},
		{[]string{"sh", "-c", "redis-server --requirepass p4ss"}, []string{"2:p4ss"}},
		{[]string{"app", "--db", "postgres://u:pw@db/x", "--token", "t0k"}, []string{"2:pw", "4:t0k"}},
		{[]string{"app", "--password", "--verbose"}, nil},
		{[]string{"app", "-p", "8080"}, nil},
		{[]string{"app", "--password-file", "/run/secrets/x"}, nil},
	} {
		var got []string
		for _, m := range FindArgs(c.args) {
			got = append(got, strings.Join([]string{itoa(m.Index), c.args[m.Index][m.Start:m.End]}, ":"))
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("FindArgs(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

func TestReplace(t *testing.T) {
	v := "host=db password=p4ss url=postgres://u:pw@db/x"
	ms := FindAll("", v)
	got := Replace(v, ms, func(i int) string { return "<" + itoa(i) + ">" })
	if want := "host=db password=<0> url=postgres://u:<1>@db/x"; got != want {
		t.Errorf("Replace = %q, want %q", got, want)
	}
}

func TestReference(t *testing.T) {
	for s, want := range map[string]bool{"${DB_PASS}": true, "$(X)": true, "$HOME": true, "${A:-b}": true, "x${A}": false, "pw": false, "$(X) y": false} {
		if got := Reference(s); got != want {
			t.Errorf("Reference(%q) = %v, want %v", s, got, want)
		}
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

// FuzzFind checks that matches are in range, sorted and do not overlap.
func FuzzFind(f *testing.F) {
	f.Add("K", "redis://:p@ss@cache --requirepass x password=y")
	f.Add("", "\x00://:@")
	f.Fuzz(func(t *testing.T, key, value string) {
		last := 0
		for _, m := range FindAll(key, value) {
			if m.Start < last || m.End <= m.Start || m.End > len(value) {
				t.Fatalf("FindAll(%q, %q): bad match %+v", key, value, m)
			}
			last = m.End
		}
	})
}

// TestRequiredLiteral: the literal a value must hold for an expression to
// match it, and the expressions' prefilters find what the expressions find.
func TestRequiredLiteral(t *testing.T) {
	for expr, want := range map[string]string{
		`\bglpat-[A-Za-z0-9_-]{20,}`:             "glpat-",
		`\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]+`: "gh",
		`\b(?:sk|rk|pk)_live_[A-Za-z0-9]{16,}`:   "_live_",
		`\bSG\.[A-Za-z0-9_-]{16,}\.[A-Z]{16,}`:   "SG.",
		`(?i)(?:jdbc:)?[a-z][a-z0-9+.-]*://`:     "://",
		`(?i)jdbc:oracle:[a-z]+:`:                "JDBC:ORACLE:",
		`(?i)[a-z]+é:`:                           "",
		`ab|cd`:                                  "",
		`\$\{([A-Z_]+)\}|\$([A-Z_]+)`:            "$",
	} {
		if got, _ := requiredLiteral(expr); got != want {
			t.Errorf("requiredLiteral(%q) = %q, want %q", expr, got, want)
		}
	}
	patterns := []pattern{interpRE, schemeRE, oracleRE, privateKeyRE}
	for _, f := range tokenForms {
		patterns = append(patterns, f.re)
	}
	values := []string{"ghp_" + strings.Repeat("a", 30), "x=sk_live_" + strings.Repeat("b", 20), "AKIAABCDEFGHIJKLMNOP",
		"postgres://u:pw@db/x", "JDBC:ORACLE:thin:scott/tiger@db", "-----BEGIN RSA PRIVATE KEY-----", "${DB_PASS}", "plain"}
	for _, p := range patterns {
		for _, v := range values {
			if got, want := p.FindAllStringSubmatchIndex(v, -1), p.Regexp.FindAllStringSubmatchIndex(v, -1); len(got) != len(want) {
				t.Errorf("%s on %q: %d matches with the literal %q first, %d without", p.Regexp, v, len(got), p.lit, len(want))
			}
		}
	}
}
