# Imported by archform from Compose wasmedge-kafka-mysql.compose.yaml.
# Review it: an import reads what runs, not what it must sustain.
#
# Calls found, with their evidence (file:line key):
#   - service.etl -> database.db: wasmedge-kafka-mysql.compose.yaml:27 environment DATABASE_URL
#   - service.etl -> queue.redpanda: wasmedge-kafka-mysql.compose.yaml:28 environment KAFKA_URL
#
# Guessed (check these):
#   - database.db: database mariadb from image "mariadb:10.9"
#   - database.db: MYSQL_ROOT_PASSWORD looks like a credential: not copied; create the secrets its secrets name
#   - queue.redpanda: queue kafka from image "docker.redpanda.com/vectorized/redpanda:v22.2.2"
#   - queue.redpanda: reachable (publish ports) but not an entry point: a queue
#   - service.etl: DATABASE_URL looks like a credential: not copied; create the secrets its secrets name
#
# Fill in (the input cannot say):
#   - a client block for where traffic comes from, calling the component users reach, and a flow from it
#   - zones: Compose runs on one host; declare a region with zones and place each component
#   - capacity_rps and latency of every component: what one instance sustains, and the mean time it adds
#   - call ops (read, write), timeouts and retries; consume blocks for queue consumers
#   - flow blocks for what users do, with their SLOs (system slo, flow slo)

system "wasmedge-kafka-mysql" {
  description = "Imported from Compose wasmedge-kafka-mysql.compose.yaml"
}

service "etl" {
  image = "etl-kafka"
  env = {
    KAFKA_URL      = "kafka://redpanda:9092/order"
    RUST_BACKTRACE = "full"
    RUST_LOG       = "info"
  }
  secrets = {
    DATABASE_URL = "etl-credentials/DATABASE_URL"
  }
  call {
    to = database.db
  }
  call {
    to = queue.redpanda
  }
}

database "db" {
  image  = "mariadb:10.9"
  engine = "mariadb"
  secrets = {
    MYSQL_ROOT_PASSWORD = "db-credentials/MYSQL_ROOT_PASSWORD"
  }
}

queue "redpanda" {
  image   = "docker.redpanda.com/vectorized/redpanda:v22.2.2"
  engine  = "kafka"
  command = ["redpanda start", "--smp 1", "--overprovisioned", "--node-id 0", "--kafka-addr PLAINTEXT://0.0.0.0:29092,OUTSIDE://0.0.0.0:9092", "--advertise-kafka-addr PLAINTEXT://redpanda:29092,OUTSIDE://redpanda:9092", "--pandaproxy-addr 0.0.0.0:8082", "--advertise-pandaproxy-addr localhost:8082"]
  port {
    number    = 8081
    host_port = 8081
  }
  port {
    number    = 8082
    host_port = 8082
  }
  port {
    number    = 9092
    host_port = 9092
  }
  port {
    number    = 9644
    host_port = 9644
  }
  port {
    number    = 29092
    host_port = 29092
  }
  mount {
    source = "./kafka"
    target = "/app"
  }
}
