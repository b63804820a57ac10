package analyze

import (
	"encoding/json"
	"github.com/hashicorp/hcl/v2"
	"io"
	"math"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
)

// The JSON view of the results: what `lint --format json` prints under
// "components" and "flows". Its field names are a contract (docs/lint.md):
// add fields, rename none. Rates are per second, latencies in milliseconds,
// availabilities and utilizations plain ratios. Numbers are rounded to 12
// significant digits; a figure that is infinite (an unstable queue's
// latency) or undefined (the utilization of a component without
// capacity_rps) is null.

// ComponentJSON is one component's figures.
type ComponentJSON struct {
	Kind        string   `json:"kind"`
	LoadRPS     *float64 `json:"load_rps"`
	ReadRPS     *float64 `json:"read_rps"`
	WriteRPS    *float64 `json:"write_rps"`
	MessagesRPS *float64 `json:"messages_rps,omitempty"` // part of write_rps consumed from queues
	CapacityRPS *float64 `json:"capacity_rps"`           // per instance; null when not declared
	// Utilization is the highest instance load ÷ capacity_rps (null without capacity).
	Utilization    *float64 `json:"utilization"`
	MaxUtilization float64  `json:"max_utilization"`
	// Availability is k-of-n over the instances, k = ⌈load ÷ capacity⌉.
	Availability *float64   `json:"availability"`
	K            int        `json:"k"`
	N            int        `json:"n"`
	Roles        []RoleKN   `json:"roles,omitempty"` // per role, when k and n are 0
	Instances    int        `json:"instances"`
	InstanceRPS  []*float64 `json:"instance_load_rps"`
	ShardRPS     []*float64 `json:"shard_load_rps,omitempty"`
	LatencyMean  *float64   `json:"latency_mean"`
	LatencyP99   *float64   `json:"latency_p99"`
	InFlight     *float64   `json:"in_flight"` // Little's law: load × mean sojourn
	Queue        *QueueJSON `json:"queue,omitempty"`
	// Scenarios holds the component's load in each failure scenario: every
	// zone and region lost, and each component down whose loss changes it.
	Scenarios map[string]ScenarioLoadJSON `json:"scenarios"`
}

// ScenarioLoadJSON is a component's load in one failure scenario.
type ScenarioLoadJSON struct {
	LoadRPS     *float64 `json:"load_rps"`
	Utilization *float64 `json:"utilization"`
	Up          int      `json:"up"`
	Down        bool     `json:"down,omitempty"`
}

// QueueJSON is the most utilized queue of a component's M/M/c model.
type QueueJSON struct {
	Model        string   `json:"model"` // "M/M/c" (pooled) or "split" (one M/M/c per instance)
	Role         string   `json:"role,omitempty"`
	Servers      int      `json:"servers"`
	Queues       int      `json:"queues"`
	LambdaRPS    *float64 `json:"lambda_rps"` // per queue
	ServiceTime  *float64 `json:"service_time"`
	Utilization  *float64 `json:"utilization"`
	PWait        *float64 `json:"p_wait"`
	WaitMean     *float64 `json:"wait_mean"`
	ResponseMean *float64 `json:"response_mean"`
	ResponseP99  *float64 `json:"response_p99"`
	Unstable     bool     `json:"unstable,omitempty"`
}

// FlowJSON is one flow's figures.
type FlowJSON struct {
	Entry string   `json:"entry"`
	Op    string   `json:"op"`
	RPS   *float64 `json:"rps"`
	// ReadRPS and WriteRPS are the flow's traffic by operation (a read
	// flow's read_rps is its client's reads when it writes no rps).
	ReadRPS      *float64 `json:"read_rps"`
	WriteRPS     *float64 `json:"write_rps"`
	Availability *float64 `json:"availability"`
	LatencyMean  *float64 `json:"latency_mean"`
	LatencyP99   *float64 `json:"latency_p99"`
	// TimeoutLoss is the share of requests failed by calls whose every try
	// timed out (availability is time-based and leaves them out).
	TimeoutLoss *float64  `json:"timeout_loss"`
	Path        []string  `json:"path"`
	Hops        []HopJSON `json:"hops"`
	// Scenarios holds the flow's figures in each failure scenario that can
	// change them (every zone and region lost; each component down whose
	// loss changes a load on the path), by scenario name.
	Scenarios map[string]FlowScenarioJSON `json:"scenarios"`
	// Delivery is a flow's asynchronous delivery (through a queue to its
	// consumers); then the flow's availability and latencies are the
	// delivery's.
	Delivery *DeliveryJSON `json:"delivery,omitempty"`
}

// DeliveryJSON is a flow's delivery through a queue to its consumers.
type DeliveryJSON struct {
	Queue string `json:"queue"`
	// RequestLatencyMean and RequestLatencyP99 are the request path alone.
	RequestLatencyMean *float64 `json:"request_latency_mean"`
	RequestLatencyP99  *float64 `json:"request_latency_p99"`
	// JointAvailability is P(every tier of the delivery up); the flow's
	// availability is it minus the share of time spent draining backlogs.
	JointAvailability *float64       `json:"joint_availability"`
	QueueHop          HopJSON        `json:"queue_hop"`
	Consumers         []ConsumerJSON `json:"consumers"`
}

// ConsumerJSON is one consume block's part of a delivery.
type ConsumerJSON struct {
	Consumer       string    `json:"consumer"`
	MessagesRPS    *float64  `json:"messages_rps"`
	Workers        int       `json:"workers"`
	Rate           *float64  `json:"rate,omitempty"`
	Utilization    *float64  `json:"utilization"`
	PWait          *float64  `json:"p_wait"`
	WaitMean       *float64  `json:"wait_mean"`
	WaitP99        *float64  `json:"wait_p99"`
	K              int       `json:"k"`
	Up             *float64  `json:"up"`
	Drain          *float64  `json:"drain"`
	DrainPerOutage *float64  `json:"drain_per_outage"`
	LatencyMean    *float64  `json:"latency_mean"`
	LatencyP99     *float64  `json:"latency_p99"`
	Hops           []HopJSON `json:"hops"`
}

// FlowScenarioJSON is a flow's figures in one failure scenario.
type FlowScenarioJSON struct {
	Availability *float64 `json:"availability"`
	LatencyMean  *float64 `json:"latency_mean"`
	LatencyP99   *float64 `json:"latency_p99"`
}

// HopJSON is one tier of a flow's path.
type HopJSON struct {
	Component string `json:"component"`
	// From is the hop's parent in the flow's call tree: the component
	// whose call (or cache miss) reaches it first; empty for the entry.
	From            string   `json:"from,omitempty"`
	Role            string   `json:"role,omitempty"`
	CallsPerRequest *float64 `json:"calls_per_request"`
	Required        bool     `json:"required"`
	Soft            bool     `json:"soft,omitempty"`
	Overloads       []string `json:"overloads,omitempty"`
	Availability    *float64 `json:"availability"`
	LatencyMean     *float64 `json:"latency_mean"`
	LatencyP99      *float64 `json:"latency_p99"`
	// Tries and TimeoutLoss, for a hop reached through a call with a
	// timeout: the expected tries per call at the retry fixed point, and
	// the chance that every try times out.
	Tries       *float64 `json:"tries,omitempty"`
	TimeoutLoss *float64 `json:"timeout_loss,omitempty"`
}

// finite is v for JSON: rounded, or nil when infinite or NaN.
func finite(v float64) *float64 {
	if f, ok := jsonFinite(v).(float64); ok {
		return &f
	}
	return nil
}

// ComponentsJSON returns the JSON view of every component, by address.
func (r *Results) ComponentsJSON() map[string]ComponentJSON {
	out := make(map[string]ComponentJSON, len(r.Components))
	for addr := range r.Components {
		out[addr] = r.ComponentJSON(addr)
	}
	return out
}

// ComponentJSON returns the JSON view of one component (of r.Components),
// built when asked: a writer that streams the components builds one at a
// time.
func (r *Results) ComponentJSON(addr string) ComponentJSON {
	cr := r.Components[addr]
	c, l := cr.Component, cr.Load
	j := ComponentJSON{
		Kind: string(c.Kind), LoadRPS: finite(l.Total()), ReadRPS: finite(l.Read), WriteRPS: finite(l.Write),
		MaxUtilization: c.MaxUtilization, Availability: finite(cr.Availability), K: cr.K, N: cr.N, Roles: cr.Roles,
		Instances: len(l.Instances), LatencyMean: finite(cr.LatencyMean), LatencyP99: finite(cr.LatencyP99),
		InFlight: finite(cr.InFlight), Scenarios: map[string]ScenarioLoadJSON{},
	}
	if l.Messages > 0 {
		j.MessagesRPS = finite(l.Messages)
	}
	if c.CapacityRPS > 0 {
		j.CapacityRPS, j.Utilization = finite(c.CapacityRPS), finite(l.Utilization)
	}
	for _, v := range l.Instances {
		j.InstanceRPS = append(j.InstanceRPS, finite(v))
	}
	for _, v := range l.Shards {
		j.ShardRPS = append(j.ShardRPS, finite(v))
	}
	if q := cr.Queue; q != nil {
		j.Queue = &QueueJSON{Model: q.Model, Role: string(q.Role), Servers: q.Servers, Queues: q.Queues,
			LambdaRPS: finite(q.Lambda), ServiceTime: finite(q.ServiceTime * 1000), Utilization: finite(q.Utilization),
			PWait: finite(q.PWait), WaitMean: finite(q.WaitMean), ResponseMean: finite(q.ResponseMean),
			ResponseP99: finite(q.ResponseP99), Unstable: q.Unstable}
	}
	for _, s := range r.Failures {
		// A zone or region loss is listed for every component (most
		// keep their nominal load); a component down only where it
		// changes something.
		sl, ok := s.Load[addr]
		if s.Kind == "zone" || s.Kind == "region" {
			sl, ok = s.LoadOf(addr), true
		}
		if !ok {
			continue
		}
		v := ScenarioLoadJSON{LoadRPS: finite(sl.Total()), Up: sl.Up, Down: sl.Down}
		if c.CapacityRPS > 0 {
			v.Utilization = finite(sl.Utilization)
		}
		j.Scenarios[s.Name] = v
	}
	return j
}

// FlowsJSON returns the JSON view of every flow, by name.
func (r *Results) FlowsJSON() map[string]FlowJSON {
	out := make(map[string]FlowJSON, len(r.Flows))
	for name := range r.Flows {
		out[name] = r.FlowJSON(name)
	}
	return out
}

// FlowJSON returns the JSON view of one flow (of r.Flows), built when
// asked, as ComponentJSON is.
func (r *Results) FlowJSON(name string) FlowJSON {
	scenarios := r.FlowScenarios()
	f := r.Flows[name]
	j := FlowJSON{Op: string(f.Op), RPS: finite(f.RPS), ReadRPS: finite(f.ReadRPS), WriteRPS: finite(f.WriteRPS), Availability: finite(f.Availability),
		LatencyMean: finite(f.LatencyMean), LatencyP99: finite(f.LatencyP99), Path: []string{}, Hops: []HopJSON{},
		Scenarios: map[string]FlowScenarioJSON{}, TimeoutLoss: finite(f.TimeoutLoss)}
	for s, ff := range scenarios[name] {
		j.Scenarios[s] = FlowScenarioJSON{Availability: finite(ff.Availability),
			LatencyMean: finite(ff.LatencyMean), LatencyP99: finite(ff.LatencyP99)}
	}
	if f.Entry != nil {
		j.Entry = f.Entry.Addr
	}
	seen := map[string]bool{}
	for _, h := range f.Hops {
		if !seen[h.Component.Addr] {
			seen[h.Component.Addr] = true
			j.Path = append(j.Path, h.Component.Addr)
		}
		j.Hops = append(j.Hops, hopJSON(h))
	}
	if d := f.Delivery; d != nil {
		dj := &DeliveryJSON{Queue: d.Queue.Addr, RequestLatencyMean: finite(d.RequestLatencyMean),
			RequestLatencyP99: finite(d.RequestLatencyP99), JointAvailability: finite(d.JointAvailability),
			QueueHop: hopJSON(d.QueueHop), Consumers: []ConsumerJSON{}}
		for _, c := range d.Consumers {
			cj := ConsumerJSON{Consumer: c.Consumer.Addr, MessagesRPS: finite(c.MessagesRPS), Workers: c.Workers,
				Utilization: finite(c.Utilization), PWait: finite(c.PWait), WaitMean: finite(c.WaitMean),
				WaitP99: finite(c.WaitP99), K: c.K, Up: finite(c.Up), Drain: finite(c.Drain),
				DrainPerOutage: finite(c.DrainPerOutage), LatencyMean: finite(c.LatencyMean),
				LatencyP99: finite(c.LatencyP99), Hops: []HopJSON{}}
			if c.Rate > 0 {
				cj.Rate = finite(c.Rate)
			}
			for _, h := range c.Hops {
				cj.Hops = append(cj.Hops, hopJSON(h))
			}
			dj.Consumers = append(dj.Consumers, cj)
		}
		j.Delivery = dj
	}
	return j
}

// ScenarioNames lists the failure scenarios' names in their stable order.
func (r *Results) ScenarioNames() []string {
	out := make([]string, len(r.Failures))
	for i, s := range r.Failures {
		out[i] = s.Name
	}
	return out
}

// jsonFinite returns v rounded to 12 significant digits (so that float noise
// such as 999.9999999999998 reads 1000 and does not differ between
// platforms), or nil (JSON null) when v is NaN or infinite.
func jsonFinite(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// FiniteJSON replaces non-finite floats anywhere in a finding's data value
// (maps, slices, plain floats) with nil, and rounds the others as jsonFinite
// does: what the JSON and SARIF writers put in a finding's data.
func FiniteJSON(v any) any {
	switch x := v.(type) {
	case float64:
		return jsonFinite(x)
	case float32:
		return jsonFinite(float64(x))
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = FiniteJSON(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = FiniteJSON(e)
		}
		return s
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Float64 {
		s := make([]any, rv.Len())
		for i := range s {
			s[i] = jsonFinite(rv.Index(i).Float())
		}
		return s
	}
	if rv.Kind() == reflect.Map && rv.Type().Key().Kind() == reflect.String && rv.Type().Elem().Kind() == reflect.Float64 {
		m := make(map[string]any, rv.Len())
		keys := rv.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			m[k.String()] = jsonFinite(rv.MapIndex(k).Float())
		}
		return m
	}
	return v
}

// JSONVersion is the version of archform's JSON documents (lint's report,
// what-if's figures).
const JSONVersion = 1

// RangeJSON is a source range in the JSON documents: 1-based lines and
// columns, the filename with forward slashes.
type RangeJSON struct {
	End      PosJSON `json:"end"`
	Filename string  `json:"filename"`
	Start    PosJSON `json:"start"`
}

// PosJSON is a position in a file.
type PosJSON struct {
	Column int `json:"column"`
	Line   int `json:"line"`
}

// NewRangeJSON converts r (nil when it names no file).
func NewRangeJSON(r hcl.Range) *RangeJSON {
	if r.Filename == "" {
		return nil
	}
	return &RangeJSON{
		Filename: filepath.ToSlash(r.Filename),
		Start:    PosJSON{Line: r.Start.Line, Column: r.Start.Column},
		End:      PosJSON{Line: r.End.Line, Column: r.End.Column},
	}
}

// encodeJSON writes v as indented JSON without HTML escaping (a message's
// "<" stays readable).
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func hopJSON(h *Hop) HopJSON {
	j := HopJSON{Component: h.Component.Addr, Role: string(h.Role),
		CallsPerRequest: finite(h.CallsPerRequest), Required: h.Required, Soft: h.Soft,
		Overloads: h.Overloads, Availability: finite(h.Availability),
		LatencyMean: finite(h.LatencyMean), LatencyP99: finite(h.LatencyP99)}
	if h.From != nil {
		j.From = h.From.Addr
	}
	if h.Tries > 0 {
		j.Tries, j.TimeoutLoss = finite(h.Tries), finite(h.TimeoutLoss)
	}
	return j
}
