# Imported by archform from Compose nextcloud-redis-mariadb.compose.yaml.
# Review it: an import reads what runs, not what it must sustain.
#
# Calls found, with their evidence (file:line key):
#   - service.nc -> cache.redis: nextcloud-redis-mariadb.compose.yaml:13 environment REDIS_HOST
#   - service.nc -> database.db: nextcloud-redis-mariadb.compose.yaml:14 environment MYSQL_HOST
#
# Guessed (check these):
#   - cache.redis: cache redis from image "redis:alpine"
#   - client.nc: added with flow "nc": users enter at service.nc (publish ports)
#   - database.db: database mariadb from image "mariadb:10.5"
#   - database.db: MYSQL_PASSWORD, MYSQL_ROOT_PASSWORD look like credentials: not copied; create the secrets its secrets name
#   - service.nc: MYSQL_PASSWORD looks like a credential: not copied; create the secrets its secrets name
#
# Fill in (the input cannot say):
#   - client.nc: rps (requests per second at peak) and read_ratio; until then its flow carries no load
#   - zones: Compose runs on one host; declare a region with zones and place each component
#   - capacity_rps and latency of every component: what one instance sustains, and the mean time it adds
#   - call ops (read, write), timeouts and retries; consume blocks for queue consumers
#   - flow blocks for what users do, with their SLOs (system slo, flow slo)

system "nextcloud-redis-mariadb" {
  description = "Imported from Compose nextcloud-redis-mariadb.compose.yaml"
}

client "nc" {
  call {
    to = service.nc
  }
}

service "nc" {
  image  = "nextcloud:apache"
  public = true
  env = {
    MYSQL_DATABASE = "nextcloud"
    MYSQL_HOST     = "db"
    MYSQL_USER     = "nextcloud"
    REDIS_HOST     = "redis"
  }
  secrets = {
    MYSQL_PASSWORD = "nc-credentials/MYSQL_PASSWORD"
  }
  volume {
    path = "/var/www/html"
    name = "nc_data"
  }
  port {
    number    = 80
    host_port = 80
  }
  call {
    to = cache.redis
  }
  call {
    to = database.db
  }
}

cache "redis" {
  image  = "redis:alpine"
  engine = "redis"
  ports  = [6379]
}

database "db" {
  image   = "mariadb:10.5"
  engine  = "mariadb"
  ports   = [3306]
  command = ["--transaction-isolation=READ-COMMITTED", "--binlog-format=ROW"]
  env = {
    MYSQL_DATABASE = "nextcloud"
    MYSQL_USER     = "nextcloud"
  }
  secrets = {
    MYSQL_PASSWORD      = "db-credentials/MYSQL_PASSWORD"
    MYSQL_ROOT_PASSWORD = "db-credentials/MYSQL_ROOT_PASSWORD"
  }
  volume {
    path = "/var/lib/mysql"
    name = "db_data"
  }
}

flow "nc" {
  entry = client.nc
}
