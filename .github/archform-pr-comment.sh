#!/usr/bin/env bash
# Posts archform's pull-request comment, or updates the one it posted before
# (found by the marker its Markdown starts with), so that a pull request has
# one archform comment however often it is pushed to.
#
# Usage: archform-pr-comment.sh FILE.md
# Environment (set by GitHub Actions): GITHUB_TOKEN, GITHUB_REPOSITORY,
# GITHUB_EVENT_PATH, GITHUB_API_URL (default https://api.github.com).
# Needs curl and jq (both on GitHub's runners).
set -euo pipefail

body_file=${1:?usage: archform-pr-comment.sh FILE.md}
marker='<!-- archform-diff -->'
api=${GITHUB_API_URL:-https://api.github.com}
: "${GITHUB_TOKEN:?GITHUB_TOKEN is not set}"
: "${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is not set}"
: "${GITHUB_EVENT_PATH:?GITHUB_EVENT_PATH is not set}"

if [ ! -s "$body_file" ]; then
  echo "archform: $body_file is missing or empty: no comment posted" >&2
  exit 0
fi
pr=$(jq -r '.pull_request.number // .issue.number // empty' "$GITHUB_EVENT_PATH")
if [ -z "$pr" ]; then
  echo "archform: not a pull request event: no comment posted" >&2
  exit 0
fi

auth=(-H "Authorization: Bearer $GITHUB_TOKEN" -H "Accept: application/vnd.github+json" -H "X-GitHub-Api-Version: 2022-11-28")

id=""
for page in 1 2 3 4 5 6 7 8 9 10; do
  comments=$(curl -fsS "${auth[@]}" "$api/repos/$GITHUB_REPOSITORY/issues/$pr/comments?per_page=100&page=$page")
  id=$(jq -r --arg m "$marker" '[.[] | select((.body // "") | startswith($m))][0].id // empty' <<<"$comments")
  if [ -n "$id" ] || [ "$(jq length <<<"$comments")" -lt 100 ]; then
    break
  fi
done

payload=$(jq -n --rawfile body "$body_file" '{body: $body}')
if [ -n "$id" ]; then
  curl -fsS -o /dev/null "${auth[@]}" -X PATCH "$api/repos/$GITHUB_REPOSITORY/issues/comments/$id" --data-binary "$payload"
  echo "archform: updated comment $id on pull request #$pr" >&2
else
  curl -fsS -o /dev/null "${auth[@]}" -X POST "$api/repos/$GITHUB_REPOSITORY/issues/$pr/comments" --data-binary "$payload"
  echo "archform: commented on pull request #$pr" >&2
fi
