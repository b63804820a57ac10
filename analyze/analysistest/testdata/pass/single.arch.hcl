system "single" {
}

service "api" {
  replicas = 1 # want "one-instance" "service.api has 1 instance" "replicas-attr" `^replicas = 1$`
}

# archform:ignore one-instance,replicas-attr -- accepted for the test
service "quiet" {
  replicas = 1
}

/* want "suppression" "has no reason" */ # archform:ignore one-instance
service "noreason" { # want "one-instance" "service.noreason" "replicas-attr" "replicas = 1"
}

service "fine" {
  replicas = 2
}
