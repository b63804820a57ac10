# A path of eight tiers: the message names the five weakest, in path order,
# and multiplies the other three into one factor.
system "long" {
  slo {
    availability = 0.999
  }
}

client "web" {  # want "availability-slo" "^flow .client.web.: availability = 0.9999 .service.s1. × 0.999 .service.s2. × 0.999 .service.s4. × 0.99 .service.s6. × 0.999 .service.s8. × 0.9997 .3 more tiers. = 0.986638 < 0.999$"
  rps = 10
  call {
    to = service.s1
  }
}

service "s1" {
  availability = 0.9999
  call {
    to = service.s2
  }
}

service "s2" {
  availability = 0.999
  call {
    to = service.s3
  }
}

service "s3" {
  availability = 0.9999
  call {
    to = service.s4
  }
}

service "s4" {
  availability = 0.999
  call {
    to = service.s5
  }
}

service "s5" {
  availability = 0.9999
  call {
    to = service.s6
  }
}

service "s6" {
  availability = 0.99
  call {
    to = service.s7
  }
}

service "s7" {
  availability = 0.9999
  call {
    to = service.s8
  }
}

service "s8" {
  availability = 0.999
}
