# Credentials as plain values, and their clean twins.
#
# Positive: a password in a connection URL, a variable named like a
# credential, a flag that takes a password in the command. Clean twins: the
# same credentials as secrets references, a command that reads $(REDIS_PASSWORD),
# and a PASSWORD_FILE variable (the path of a file, not the password).
# Near the threshold: a URL with a user and no password is not a credential.
system "secrets" {}

client "web" {
  rps = 10
  call {
    to = service.api
  }
}

service "api" {
  image = "ghcr.io/example/api:1.0.0"
  env = { # want "plain-secret" "^service.api holds a credential as a plain value in env DATABASE_URL: " "plain-secret" "^service.api holds a credential as a plain value in env STRIPE_API_KEY: "
    DATABASE_URL   = "postgres://app:hunter2@db:5432/app"
    STRIPE_API_KEY = "sk_live_abc123"
    REPLICA_URL    = "postgres://app@replica:5432/app"
    PASSWORD_FILE  = "/run/secrets/db"
  }
  secrets = {
    DB_PASSWORD = "db-credentials/password"
  }
}

cache "sessions" {
  engine  = "redis"
  command = ["redis-server", "--requirepass", "s3cret"] # want "plain-secret" "^cache.sessions holds a credential as a plain value in command argument 3: "
}

cache "tokens" {
  engine  = "redis"
  command = ["redis-server", "--requirepass", "$(REDIS_PASSWORD)"]
  secrets = {
    REDIS_PASSWORD = "redis/password"
  }
}
