package rules_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
)

// A finding's message is read as a sentence: a list of components in it is
// cut after the first few ("a, b, c, d, e and 7 more"), so that a message
// stays a line on a design of any size, and a list of two or more ends with
// "and" before its last item ("a, b and c"), not with a comma.

// maxListed is how many components a list in a message may name before it
// counts the rest (formula.Names and formula.List cut at five).
const maxListed = 5

// addrRE matches a component address, possibly followed by a
// parenthesised note ("service.web (dmz)"); addrListRE a run of them
// separated by ", ".
var addrRE, addrListRE = func() (*regexp.Regexp, *regexp.Regexp) {
	var kinds []string
	for _, k := range lang.Kinds {
		kinds = append(kinds, string(k))
	}
	addr := `\b(?:` + strings.Join(kinds, "|") + `)\.[A-Za-z0-9_-]+(?: \([^()]*\))?`
	return regexp.MustCompile(addr), regexp.MustCompile(addr + `(?:, ` + addr + `)*`)
}()

// listEndRE is what must follow a list of two or more addresses joined by
// commas in a sentence: its last item after "and" ("..., b and c"), or the
// count of the rest ("and 7 more"). A list that a colon or a parenthesis
// opens is a label's ("(flows: a, b)", "components: a, b") and needs no
// "and".
var listEndRE = regexp.MustCompile(`^,? and (?:\d+ more\b|[a-z_]+\.)`)

// checkLists returns what in msg is a list that is not cut or not joined.
func checkLists(msg string) []string {
	var bad []string
	for _, loc := range addrListRE.FindAllStringIndex(msg, -1) {
		run := msg[loc[0]:loc[1]]
		n := len(addrRE.FindAllString(run, -1))
		if n < 2 {
			continue
		}
		if n > maxListed {
			bad = append(bad, fmt.Sprintf("%q names %d components: cut it after %d (\"and N more\")", run, n, maxListed))
		}
		label := strings.HasSuffix(msg[:loc[0]], ": ") || strings.HasSuffix(msg[:loc[0]], "(")
		if !label && !listEndRE.MatchString(msg[loc[1]:]) {
			bad = append(bad, fmt.Sprintf("%q: a list of %d ends with a comma, not with \"and\" before its last item", run, n))
		}
	}
	return bad
}

// TestCheckLists: the checker itself finds what it must.
func TestCheckLists(t *testing.T) {
	for _, tc := range []struct {
		msg string
		bad bool
	}{
		{"queue.q is written to by service.a and service.b, but no component consumes it", false},
		{"queue.q is written to by service.a, service.b, but no component consumes it", true},
		{"written to by service.a, service.b and service.c, but", false},
		{"called by service.a (dmz), service.b (dmz) and states no auth", true},
		{"called by service.a (dmz) and service.b (dmz), and states no auth", false},
		{"carries 0 rps (flows: a, b) from client.a and client.b", false},
		{"(web: service.a, service.b, service.c, service.d, service.e, service.f)", true},
		{"(web: service.a, service.b, service.c, service.d, service.e and 1 more)", false},
		{"2 components (service.a, service.b); 1 more", false},
		{"repeats its writes to external.twilio, queue.status", true},
		{"the tiers: service.a, service.b", false},
	} {
		if got := checkLists(tc.msg); (len(got) > 0) != tc.bad {
			t.Errorf("checkLists(%q) = %q, want bad = %v", tc.msg, got, tc.bad)
		}
	}
}

// TestListsInMessages walks every finding of every example design and of
// every imported corpus system and checks the lists its message prints.
func TestListsInMessages(t *testing.T) {
	check := func(t *testing.T, designs map[string]*lang.Design) {
		for name, f := range eachFinding(t, designs) {
			for _, b := range checkLists(f.Message) {
				t.Errorf("%s: %s (%s): %s", name, f.Rule, f.Subject, b)
			}
		}
	}
	check(t, exampleDesigns(t))
	t.Run("corpus", func(t *testing.T) { check(t, corpusDesigns(t)) })
}
