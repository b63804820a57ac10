system "s" {}

service "api" {
  secrets = {
    DB_PASSWORD = "hunter2"
  }
}
