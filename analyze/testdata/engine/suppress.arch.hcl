# archform:ignore single-replica -- the api is rebuilt in Q3 (PLAT-12)
service "api" {
  description = "public API"
  replicas    = 1
}

service "worker" {
  description = "batch jobs"
  replicas    = 1 # archform:ignore single-replica -- batch jobs tolerate restarts
}

service "cron" {
  description = "daily jobs"
  # archform:ignore single-replica -- runs once a day
  replicas = 1
}

# archform:ignore single-replica
service "noreason" {
  description = "no reason given"
  replicas    = 1
}

# archform:ignore single-replic -- typo
service "typo" {
  description = "misspelt rule"
  replicas    = 1
}

# archform:ignore single-replica -- nothing to silence
service "fine" {
  description = "three replicas"
  replicas    = 3
}

# several comments may stack above a block
// archform:ignore single-replica,describe -- two rules, one silences nothing
service "stacked" {
  description = "stacked comments"
  replicas    = 1
}

service "misplaced" {
  description = "comment above a closing brace"
  replicas    = 1
  # archform:ignore single-replica -- above a closing brace
}

# archform:ignore describe -- covers the block, and the finding is in it
service "nodesc" {
  replicas = 2
}

# archform:ignore-file single-replica -- too late
# archform:ignoer single-replica -- unknown directive
# archform:ignore -- no rule
