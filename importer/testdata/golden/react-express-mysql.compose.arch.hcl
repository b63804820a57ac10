# Imported by archform from Compose react-express-mysql.compose.yaml.
# Review it: an import reads what runs, not what it must sustain.
#
# Calls found, with their evidence (file:line key):
#   - service.backend -> database.db: react-express-mysql.compose.yaml:13 environment DATABASE_HOST
#   - service.frontend -> service.backend: react-express-mysql.compose.yaml:59 depends_on backend (start order only: no configuration of this service names an address)
#
# Guessed (check these):
#   - client.frontend: added with flow "frontend": users enter at service.frontend (publish ports)
#   - database.db: database mariadb from image "mariadb:10.6.4-focal"
#   - database.db: MYSQL_ROOT_PASSWORD_FILE reads the Docker secret db-password: written as secrets["MYSQL_ROOT_PASSWORD"] = "db-password/value"
#   - service.backend: no image, built from backend; image "react-express-mysql-backend" is the name `docker compose build` gives it
#   - service.backend: DATABASE_PASSWORD looks like a credential: not copied; create the secrets its secrets name
#   - service.backend: reachable (publish ports) but not an entry point: other components call it
#   - service.frontend: no image, built from frontend; image "react-express-mysql-frontend" is the name `docker compose build` gives it
#
# Fill in (the input cannot say):
#   - client.frontend: rps (requests per second at peak) and read_ratio; until then its flow carries no load
#   - zones: Compose runs on one host; declare a region with zones and place each component
#   - capacity_rps and latency of every component: what one instance sustains, and the mean time it adds
#   - call ops (read, write), timeouts and retries; consume blocks for queue consumers
#   - flow blocks for what users do, with their SLOs (system slo, flow slo)

system "react-express-mysql" {
  description = "Imported from Compose react-express-mysql.compose.yaml"
}

client "frontend" {
  call {
    to = service.frontend
  }
}

service "backend" {
  image   = "react-express-mysql-backend"
  command = ["npm", "run", "start-watch"]
  env = {
    DATABASE_DB   = "example"
    DATABASE_HOST = "db"
    DATABASE_USER = "root"
    NODE_ENV      = "development"
  }
  secrets = {
    DATABASE_PASSWORD = "backend-credentials/DATABASE_PASSWORD"
  }
  volume {
    path = "/opt/app/node_modules"
    name = "back-notused"
  }
  port {
    number    = 80
    host_port = 80
  }
  port {
    number    = 9229
    host_port = 9229
  }
  port {
    number    = 9230
    host_port = 9230
  }
  mount {
    source    = "./backend/src"
    target    = "/code/src"
    read_only = true
  }
  mount {
    source = "./backend/package.json"
    target = "/code/package.json"
  }
  mount {
    source = "./backend/package-lock.json"
    target = "/code/package-lock.json"
  }
  call {
    to = database.db
  }
}

service "frontend" {
  image  = "react-express-mysql-frontend"
  public = true
  volume {
    path = "/code/node_modules"
  }
  port {
    number    = 3000
    host_port = 3000
  }
  mount {
    source = "./frontend/src"
    target = "/code/src"
  }
  call {
    to = service.backend
  }
}

database "db" {
  image   = "mariadb:10.6.4-focal"
  engine  = "mariadb"
  command = ["--default-authentication-plugin=mysql_native_password"]
  env = {
    MYSQL_DATABASE = "example"
  }
  secrets = {
    MYSQL_ROOT_PASSWORD = "db-password/value"
  }
  volume {
    path = "/var/lib/mysql"
    name = "db-data"
  }
}

flow "frontend" {
  entry = client.frontend
}
