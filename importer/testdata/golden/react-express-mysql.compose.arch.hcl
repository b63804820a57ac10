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
#
# Not imported:
#   - service.backend: bind mounts ./backend/src:/code/src, ./backend/package.json:/code/package.json, ./backend/package-lock.json:/code/package-lock.json
#   - service.frontend: bind mounts ./frontend/src:/code/src

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
  ports   = [80, 9229, 9230]
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
  }
  call {
    to = database.db
  }
}

service "frontend" {
  image  = "react-express-mysql-frontend"
  public = true
  ports  = [3000]
  volume {
    path = "/code/node_modules"
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
  }
}

flow "frontend" {
  entry = client.frontend
}
