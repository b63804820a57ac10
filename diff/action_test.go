package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fakeGitHub records the comment API calls the action's script makes and
// keeps the comments of one pull request.
type fakeGitHub struct {
	mu       sync.Mutex
	calls    []string
	comments []map[string]any
	nextID   int
}

func (g *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls = append(g.calls, r.Method+" "+r.URL.Path)
	if r.Header.Get("Authorization") != "Bearer test-token" {
		http.Error(w, "bad token", http.StatusUnauthorized)
		return
	}
	body, _ := io.ReadAll(r.Body)
	switch {
	case r.Method == "GET" && r.URL.Path == "/repos/example/shop/issues/42/comments":
		json.NewEncoder(w).Encode(g.comments)
	case r.Method == "POST" && r.URL.Path == "/repos/example/shop/issues/42/comments":
		var c map[string]any
		json.Unmarshal(body, &c)
		g.nextID++
		c["id"] = 1000 + g.nextID
		g.comments = append(g.comments, c)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(c)
	case r.Method == "PATCH" && strings.HasPrefix(r.URL.Path, "/repos/example/shop/issues/comments/"):
		var c map[string]any
		json.Unmarshal(body, &c)
		for _, old := range g.comments {
			if fmt.Sprint(old["id"]) == strings.TrimPrefix(r.URL.Path, "/repos/example/shop/issues/comments/") {
				old["body"] = c["body"]
			}
		}
		json.NewEncoder(w).Encode(c)
	default:
		http.NotFound(w, r)
	}
}

func needTools(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			if os.Getenv("ARCHFORM_REQUIRE_TOOLS") != "" {
				t.Fatalf("%s is required (ARCHFORM_REQUIRE_TOOLS is set) but not on PATH", n)
			}
			t.Skipf("%s not on PATH: the action's comment script is not run", n)
		}
	}
}

// The action's script posts one comment on the pull request of a recorded
// event, and updates that comment (not a new one) on the next push; a
// comment of someone else is left alone.
func TestActionCommentScript(t *testing.T) {
	needTools(t, "bash", "curl", "jq")
	script, _ := filepath.Abs(filepath.Join("..", ".github", "archform-pr-comment.sh"))
	src, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "marker='"+CommentMarker+"'") {
		t.Fatalf("the script's marker is not diff.CommentMarker %q", CommentMarker)
	}
	gh := &fakeGitHub{comments: []map[string]any{{"id": 7, "body": "LGTM"}}}
	srv := httptest.NewServer(gh)
	defer srv.Close()
	event, _ := filepath.Abs(filepath.Join("testdata", "pull_request_event.json"))
	dir := t.TempDir()
	run := func(body string) string {
		md := filepath.Join(dir, "review.md")
		os.WriteFile(md, []byte(body), 0o644)
		cmd := exec.Command("bash", script, md)
		cmd.Env = append(os.Environ(), "GITHUB_TOKEN=test-token", "GITHUB_REPOSITORY=example/shop",
			"GITHUB_EVENT_PATH="+event, "GITHUB_API_URL="+srv.URL)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("script: %v\n%s", err, out)
		}
		return string(out)
	}
	run(CommentMarker + "\nfirst review\n")
	run(CommentMarker + "\nsecond review\n")
	if len(gh.comments) != 2 {
		t.Fatalf("comments = %d, want the user's and archform's one: %v", len(gh.comments), gh.comments)
	}
	if gh.comments[0]["body"] != "LGTM" || gh.comments[1]["body"] != CommentMarker+"\nsecond review\n" {
		t.Errorf("comments = %v", gh.comments)
	}
	want := []string{
		"GET /repos/example/shop/issues/42/comments", "POST /repos/example/shop/issues/42/comments",
		"GET /repos/example/shop/issues/42/comments", "PATCH /repos/example/shop/issues/comments/1001",
	}
	if strings.Join(gh.calls, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(gh.calls, "\n"), strings.Join(want, "\n"))
	}
	// No pull request in the event: nothing posted.
	push := filepath.Join(dir, "push.json")
	os.WriteFile(push, []byte(`{"ref":"refs/heads/main"}`), 0o644)
	cmd := exec.Command("bash", script, filepath.Join(dir, "review.md"))
	cmd.Env = append(os.Environ(), "GITHUB_TOKEN=test-token", "GITHUB_REPOSITORY=example/shop",
		"GITHUB_EVENT_PATH="+push, "GITHUB_API_URL="+srv.URL)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "not a pull request event") || len(gh.calls) != 4 {
		t.Errorf("push event: %v %s calls=%d", err, out, len(gh.calls))
	}
}
