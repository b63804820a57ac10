package analyze

import (
	"encoding/hex"
	"hash/fnv"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MessageKey is what identifies a finding within its rule and subject: its
// Key, or else its message with every number replaced by "#", so that a
// changed figure or line number does not make it a new finding.
func MessageKey(f *Finding) string {
	if f.Key != "" {
		return f.Key
	}
	return blankNumbers(f.Message)
}

// blankNumbers replaces each number that stands on its own ("0.833", "12",
// "1e-3"), not digits inside a name ("r1", "us-east-1"), with "#".
func blankNumbers(s string) string {
	var b strings.Builder
	prev, prev2 := ' ', ' '
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		inName := partOfName(prev) && !((prev == '-' || prev == '.') && !partOfName(prev2))
		if unicode.IsDigit(r) && !inName {
			j := i
			for j < len(s) && (isASCIIDigit(s[j]) || (s[j] == '.' && j+1 < len(s) && isASCIIDigit(s[j+1]))) {
				j++
			}
			if j+1 < len(s) && (s[j] == 'e' || s[j] == 'E') {
				k := j + 1
				if s[k] == '-' || s[k] == '+' {
					k++
				}
				if k < len(s) && isASCIIDigit(s[k]) {
					for j = k; j < len(s) && isASCIIDigit(s[j]); j++ {
					}
				}
			}
			b.WriteByte('#')
			prev, prev2 = '0', '0'
			i = j
			continue
		}
		b.WriteRune(r)
		prev, prev2 = r, prev
		i += n
	}
	return b.String()
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

func partOfName(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.'
}

// Fingerprint is a finding's identity across runs: a hash (FNV-1a, 128
// bits) of its rule, subject and message key (no line numbers), for SARIF
// partialFingerprints. It needs no cryptographic strength, and
// crypto/sha256 would link the FIPS 140 module, whose package
// initialisation costs every archform start.
func Fingerprint(f *Finding) string {
	h := fnv.New128a()
	io.WriteString(h, f.Rule+"\x00"+f.Subject+"\x00"+MessageKey(f))
	return hex.EncodeToString(h.Sum(nil))
}
