# Imported by archform from Compose nginx-golang-postgres.compose.yaml.
# Review it: an import reads what runs, not what it must sustain.
#
# Calls found, with their evidence (file:line key):
#   - load_balancer.proxy -> service.backend: nginx-golang-postgres.compose.yaml:41 depends_on backend (start order only: no configuration of this service names an address)
#   - service.backend -> database.db: nginx-golang-postgres.compose.yaml:7 depends_on db (start order only: no configuration of this service names an address)
#
# Guessed (check these):
#   - client.proxy: added with flow "proxy": users enter at load_balancer.proxy (publish ports)
#   - database.db: database postgres from image "postgres"
#   - database.db: POSTGRES_PASSWORD_FILE reads the Docker secret db-password: written as secrets["POSTGRES_PASSWORD"] = "db-password/value"
#   - load_balancer.proxy: load_balancer from image "nginx"
#   - load_balancer.proxy: archform deploys its own proxy for a load balancer; its backends are the calls found in its configuration
#   - service.backend: no image, built from backend; image "nginx-golang-postgres-backend" is the name `docker compose build` gives it
#
# Fill in (the input cannot say):
#   - client.proxy: rps (requests per second at peak) and read_ratio; until then its flow carries no load
#   - zones: Compose runs on one host; declare a region with zones and place each component
#   - capacity_rps and latency of every component: what one instance sustains, and the mean time it adds
#   - call ops (read, write), timeouts and retries; consume blocks for queue consumers
#   - flow blocks for what users do, with their SLOs (system slo, flow slo)
#
# Not imported:
#   - database.db: the health check command "pg_isready" (a design's health_check is an HTTP path or a port; archform probes known engines its own way)

system "nginx-golang-postgres" {
  description = "Imported from Compose nginx-golang-postgres.compose.yaml"
}

client "proxy" {
  call {
    to = load_balancer.proxy
  }
}

load_balancer "proxy" {
  public = true
  port {
    number    = 80
    host_port = 80
  }
  mount {
    source    = "./proxy/nginx.conf"
    target    = "/etc/nginx/conf.d/default.conf"
    read_only = true
  }
  call {
    to = service.backend
  }
}

service "backend" {
  image = "nginx-golang-postgres-backend"
  call {
    to = database.db
  }
}

database "db" {
  image  = "postgres"
  engine = "postgres"
  ports  = [5432]
  env = {
    POSTGRES_DB = "example"
  }
  secrets = {
    POSTGRES_PASSWORD = "db-password/value"
  }
  health_check {
    interval            = "10s"
    timeout             = "5s"
    unhealthy_threshold = 5
  }
  volume {
    path = "/var/lib/postgresql/data"
    name = "db-data"
  }
}

flow "proxy" {
  entry = client.proxy
}
