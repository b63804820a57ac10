# Imported by archform from Compose elasticsearch-logstash-kibana.compose.yaml.
# Review it: an import reads what runs, not what it must sustain.
#
# Calls found, with their evidence (file:line key):
#   - service.kibana -> search.elasticsearch: elasticsearch-logstash-kibana.compose.yaml:43 depends_on elasticsearch (start order only: no configuration of this service names an address)
#   - service.logstash -> search.elasticsearch: elasticsearch-logstash-kibana.compose.yaml:33 depends_on elasticsearch (start order only: no configuration of this service names an address)
#
# Guessed (check these):
#   - search.elasticsearch: search elasticsearch from image "elasticsearch:7.16.1"
#   - search.elasticsearch: reachable (publish ports) but not an entry point: a search
#   - service.kibana: role telemetry from its name or image: off user flows (calls to it are off their callers' paths)
#   - service.kibana: reachable (publish ports) but not an entry point: its role is telemetry
#   - service.logstash: role telemetry from its name or image: off user flows (calls to it are off their callers' paths)
#   - service.logstash: reachable (publish ports) but not an entry point: its role is telemetry
#
# Fill in (the input cannot say):
#   - a client block for where traffic comes from, calling the component users reach, and a flow from it
#   - zones: Compose runs on one host; declare a region with zones and place each component
#   - capacity_rps and latency of every component: what one instance sustains, and the mean time it adds
#   - call ops (read, write), timeouts and retries; consume blocks for queue consumers
#   - flow blocks for what users do, with their SLOs (system slo, flow slo)

system "elasticsearch-logstash-kibana" {
  description = "Imported from Compose elasticsearch-logstash-kibana.compose.yaml"
}

service "kibana" {
  image = "kibana:7.16.1"
  role  = "telemetry"
  port {
    number    = 5601
    host_port = 5601
  }
  call {
    to = search.elasticsearch
  }
}

service "logstash" {
  image   = "logstash:7.16.1"
  role    = "telemetry"
  command = ["logstash", "-f", "/usr/share/logstash/pipeline/logstash-nginx.config"]
  env = {
    LS_JAVA_OPTS           = "-Xms512m -Xmx512m"
    "discovery.seed_hosts" = "logstash"
  }
  port {
    number    = 5000
    host_port = 5000
  }
  port {
    number    = 5000
    protocol  = "udp"
    host_port = 5000
  }
  port {
    number    = 5044
    host_port = 5044
  }
  port {
    number    = 9600
    host_port = 9600
  }
  mount {
    source = "./logstash/pipeline/logstash-nginx.config"
    target = "/usr/share/logstash/pipeline/logstash-nginx.config"
  }
  mount {
    source = "./logstash/nginx.log"
    target = "/home/nginx.log"
  }
  call {
    to = search.elasticsearch
  }
}

search "elasticsearch" {
  image  = "elasticsearch:7.16.1"
  engine = "elasticsearch"
  env = {
    ES_JAVA_OPTS     = "-Xms512m -Xmx512m"
    "discovery.type" = "single-node"
  }
  health_check {
    path                = "/_cluster/health"
    port                = 9200
    interval            = "10s"
    timeout             = "10s"
    unhealthy_threshold = 3
  }
  port {
    number    = 9200
    host_port = 9200
  }
  port {
    number    = 9300
    host_port = 9300
  }
}
