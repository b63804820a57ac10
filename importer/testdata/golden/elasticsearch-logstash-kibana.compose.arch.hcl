# Imported by archform from Compose elasticsearch-logstash-kibana.compose.yaml.
# Review it: an import reads what runs, not what it must sustain.
#
# Calls found, with their evidence (file:line key):
#   - service.kibana -> search.elasticsearch: elasticsearch-logstash-kibana.compose.yaml:43 depends_on elasticsearch (start order only: no configuration of this service names an address)
#   - service.logstash -> search.elasticsearch: elasticsearch-logstash-kibana.compose.yaml:33 depends_on elasticsearch (start order only: no configuration of this service names an address)
#
# Guessed (check these):
#   - client.users: added, calling what users reach (search.elasticsearch, service.kibana, service.logstash, as they publish ports)
#   - search.elasticsearch: search elasticsearch from image "elasticsearch:7.16.1"
#   - search.elasticsearch: public, as it publishes ports on the host
#   - service.kibana: public, as it publishes ports on the host
#   - service.logstash: public, as it publishes ports on the host
#
# Fill in (the input cannot say):
#   - client.users: rps (requests per second at peak) and read_ratio
#   - zones: Compose runs on one host; declare a region with zones and place each component
#   - capacity_rps and latency of every component: what one instance sustains, and the mean time it adds
#   - call ops (read, write), timeouts and retries; consume blocks for queue consumers
#   - flow blocks for what users do, with their SLOs (system slo, flow slo)
#
# Not imported:
#   - service.logstash: bind mounts ./logstash/pipeline/logstash-nginx.config:/usr/share/logstash/pipeline/logstash-nginx.config, ./logstash/nginx.log:/home/nginx.log

system "elasticsearch-logstash-kibana" {
  description = "Imported from Compose elasticsearch-logstash-kibana.compose.yaml"
}

client "users" {
  call {
    to = search.elasticsearch
  }
  call {
    to = service.kibana
  }
  call {
    to = service.logstash
  }
}

service "kibana" {
  image  = "kibana:7.16.1"
  public = true
  ports  = [5601]
  call {
    to = search.elasticsearch
  }
}

service "logstash" {
  image   = "logstash:7.16.1"
  public  = true
  ports   = [5000, 5044, 9600]
  command = ["logstash", "-f", "/usr/share/logstash/pipeline/logstash-nginx.config"]
  env = {
    LS_JAVA_OPTS           = "-Xms512m -Xmx512m"
    "discovery.seed_hosts" = "logstash"
  }
  call {
    to = search.elasticsearch
  }
}

search "elasticsearch" {
  image  = "elasticsearch:7.16.1"
  engine = "elasticsearch"
  public = true
  ports  = [9200, 9300]
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
}
