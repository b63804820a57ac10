package lang

import (
	"net"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

var (
	// envName is an environment variable's name as shells take it.
	envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	// volumeName is a Compose volume's name.
	volumeName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]*$`)
)

// port decodes a port block.
func (dc *decoder) port(c *Component, blk *hcl.Block) {
	p := &Port{Protocol: "tcp", DeclRange: blk.DefRange, Ranges: Ranges{}}
	for _, attr := range dc.content(c, blk, portSchema) {
		var ok bool
		switch attr.Name {
		case "number":
			p.Number, ok = dc.integer(attr, 1, 65535)
		case "protocol":
			p.Protocol, ok = dc.enum(attr, protocolValues)
		case "host_port":
			p.HostPort, ok = dc.integer(attr, 1, 65535)
		case "host_ip":
			if p.HostIP, ok = dc.str(attr); ok && net.ParseIP(strings.Trim(p.HostIP, "[]")) == nil {
				dc.errorf(attr.Expr.Range(), "Invalid value", "host_ip %q is not an IP address, such as \"127.0.0.1\" or \"::1\".", p.HostIP)
				ok = false
			}
		}
		if ok {
			p.Ranges[attr.Name] = attr.Range
		}
	}
	if _, set := p.Ranges["host_ip"]; set && p.HostPort == 0 {
		dc.errorf(p.Ranges["host_ip"], "Invalid port", "host_ip is the address a published port binds: it needs host_port.")
	}
	if p.Number == 0 {
		return
	}
	for _, q := range c.PortSpecs {
		if q.Number == p.Number && q.Protocol == p.Protocol {
			dc.errorf(blk.DefRange, "Duplicate port block", "Port %d/%s is already described at %s.", p.Number, p.Protocol, q.DeclRange)
			return
		}
	}
	c.PortSpecs = append(c.PortSpecs, p)
}

// mount decodes a mount block.
func (dc *decoder) mount(c *Component, blk *hcl.Block) {
	m := &Mount{DeclRange: blk.DefRange, Ranges: Ranges{}}
	for _, attr := range dc.content(c, blk, mountSchema) {
		var ok bool
		switch attr.Name {
		case "target":
			if m.Target, ok = dc.str(attr); ok && !strings.HasPrefix(m.Target, "/") {
				dc.errorf(attr.Expr.Range(), "Invalid value", "A mount target is absolute, such as \"/etc/app/config.json\".")
				ok = false
			}
		case "source":
			m.Source, ok = dc.str(attr)
		case "type":
			m.Type, ok = dc.enum(attr, mountTypeValues)
		case "read_only":
			m.ReadOnly, ok = dc.boolean(attr)
		}
		if ok {
			m.Ranges[attr.Name] = attr.Range
		}
	}
	if m.Type == "" {
		m.Type = "volume"
		if hostPath(m.Source) {
			m.Type = "bind"
		}
	}
	switch {
	case m.Type == "bind" && m.Source == "":
		dc.errorf(blk.DefRange, "Invalid mount", "A bind mount needs a source: the host path mounted.")
		return
	case m.Type == "volume" && m.Source != "" && !volumeName.MatchString(m.Source):
		dc.errorf(m.Ranges["source"], "Invalid mount", "Volume name %q: a letter or digit, then letters, digits, '.', '_' or '-' (a host path starts with \".\", \"/\" or \"~\").", m.Source)
		return
	case m.Target == "":
		return
	}
	for _, o := range c.Mounts {
		if o.Target == m.Target {
			dc.errorf(blk.DefRange, "Duplicate mount", "%s is already mounted at %s.", m.Target, o.DeclRange)
			return
		}
	}
	c.Mounts = append(c.Mounts, m)
}

// hostPath reports whether a mount's source is a path on the host.
func hostPath(s string) bool {
	return strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~")
}

// finishDeployable checks what the attributes and blocks of a deployable
// component say together: the TCP port blocks' numbers join ports, a
// passed-through variable is not also set, the volume is not also a mount.
func (dc *decoder) finishDeployable(c *Component) {
	for _, p := range c.PortSpecs {
		if p.Protocol == "tcp" && !slices.Contains(c.Ports, p.Number) {
			c.Ports = append(c.Ports, p.Number)
		}
	}
	for _, name := range c.EnvPassthrough {
		_, inEnv := c.Env[name]
		_, inSecrets := c.Secrets[name]
		if inEnv || inSecrets {
			dc.errorf(c.Range("env_passthrough"), "Invalid value", "env_passthrough names %s, which env or secrets sets too: a variable is passed through or set, not both.", name)
		}
	}
	if c.Volume != nil {
		for _, m := range c.Mounts {
			if m.Target == c.Volume.Path {
				dc.errorf(m.DeclRange, "Duplicate mount", "%s is the volume's path already (%s).", m.Target, c.Volume.DeclRange)
			}
		}
	}
}
