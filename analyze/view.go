package analyze

import (
	"encoding/json"
	"github.com/hashicorp/hcl/v2"
	"io"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
)

// The JSON view of the results: what `lint --format json` prints under
// "components" and "flows". Its field names are a contract (docs/lint.md):
// add fields, rename none, remove only with a new JSONVersion. Rates are per
// second, latencies in milliseconds, availabilities and utilizations plain
// ratios. Figures are rounded to 6 significant digits, availabilities to 12
// (to show their nines); a figure that is infinite (an unstable queue's
// latency) or undefined (the utilization of a component without
// capacity_rps) is null.
//
// A figure that repeats another one of the report is omitted, by rules a
// consumer applies to get it back (docs/lint.md lists them): a queue's
// figures equal to its component's, a hop's equal to its component's, a
// scenario's equal to the nominal ones, instance loads all equal to
// load_rps ÷ instances, a hop's calls_per_request of 1. The fields that
// may be omitted are of type any: nil (omitted) or a *float64 (a number, or
// null when not finite).

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
	Availability *float64 `json:"availability"`
	K            int      `json:"k"`
	N            int      `json:"n"`
	Roles        []RoleKN `json:"roles,omitempty"` // per role, when k and n are 0
	Instances    int      `json:"instances"`
	// InstanceRPS is each instance's load, omitted when every instance
	// carries load_rps ÷ instances.
	InstanceRPS []*float64 `json:"instance_load_rps,omitempty"`
	ShardRPS    []*float64 `json:"shard_load_rps,omitempty"`
	LatencyMean *float64   `json:"latency_mean"`
	LatencyP99  *float64   `json:"latency_p99"`
	InFlight    *float64   `json:"in_flight"` // Little's law: load × mean sojourn
	Queue       *QueueJSON `json:"queue,omitempty"`
	// Scenarios holds the component's figures in each failure scenario
	// that changes them (a zone or region lost, a component down), by
	// scenario name.
	Scenarios map[string]ScenarioLoadJSON `json:"scenarios"`
}

// ScenarioLoadJSON is a component's figures in one failure scenario: those
// that differ from the nominal ones (load_rps, utilization, and up from
// instances); a component down in the scenario has only Down.
type ScenarioLoadJSON struct {
	LoadRPS     any  `json:"load_rps,omitempty"`
	Utilization any  `json:"utilization,omitempty"`
	Up          *int `json:"up,omitempty"`
	Down        bool `json:"down,omitempty"`
}

// QueueJSON is the most utilized queue of a component's M/M/c model. Its
// lambda_rps, utilization, response_mean and response_p99 are omitted when
// equal to the component's load_rps, utilization, latency_mean and
// latency_p99.
type QueueJSON struct {
	Model        string   `json:"model"` // "M/M/c" (pooled) or "split" (one M/M/c per instance)
	Role         string   `json:"role,omitempty"`
	Servers      int      `json:"servers"`
	Queues       int      `json:"queues"`
	LambdaRPS    any      `json:"lambda_rps,omitempty"` // per queue
	ServiceTime  *float64 `json:"service_time"`
	Utilization  any      `json:"utilization,omitempty"`
	PWait        *float64 `json:"p_wait"`
	WaitMean     *float64 `json:"wait_mean"`
	ResponseMean any      `json:"response_mean,omitempty"`
	ResponseP99  any      `json:"response_p99,omitempty"`
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
	// Scenarios holds the flow's figures in each failure scenario that
	// changes one of them (a zone or region lost, a component down whose
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
	Up             *float64  `json:"up"` // an availability: P(the consumer's path is up)
	Drain          *float64  `json:"drain"`
	DrainPerOutage *float64  `json:"drain_per_outage"`
	LatencyMean    *float64  `json:"latency_mean"`
	LatencyP99     *float64  `json:"latency_p99"`
	Hops           []HopJSON `json:"hops"`
}

// FlowScenarioJSON is a flow's figures in one failure scenario. A latency
// that is null (the flow fails in the scenario, or a queue on its path is
// unstable) is omitted.
type FlowScenarioJSON struct {
	Availability *float64 `json:"availability"`
	LatencyMean  *float64 `json:"latency_mean,omitempty"`
	LatencyP99   *float64 `json:"latency_p99,omitempty"`
}

// HopJSON is one tier of a flow's path. Its availability, latency_mean and
// latency_p99 are omitted when equal to its component's (in "components"),
// its calls_per_request when 1.
type HopJSON struct {
	Component string `json:"component"`
	// From is the hop's parent in the flow's call tree: the component
	// whose call (or cache miss) reaches it first; empty for the entry.
	From            string   `json:"from,omitempty"`
	Role            string   `json:"role,omitempty"`
	CallsPerRequest any      `json:"calls_per_request,omitempty"`
	Required        bool     `json:"required"`
	Soft            bool     `json:"soft,omitempty"`
	Overloads       []string `json:"overloads,omitempty"`
	Availability    any      `json:"availability,omitempty"`
	LatencyMean     any      `json:"latency_mean,omitempty"`
	LatencyP99      any      `json:"latency_p99,omitempty"`
	// Tries and TimeoutLoss, for a hop reached through a call with a
	// timeout: the expected tries per call at the retry fixed point, and
	// the chance that every try times out.
	Tries       *float64 `json:"tries,omitempty"`
	TimeoutLoss *float64 `json:"timeout_loss,omitempty"`
}

// figure is v for the JSON view: rounded to 6 significant digits, or nil
// when infinite or NaN.
func figure(v float64) *float64 { return rounded(v, 6) }

// availability is an availability for the JSON view: rounded to 12
// significant digits, enough for its nines (0.999999999985).
func availability(v float64) *float64 { return rounded(v, 12) }

// rounded is v rounded to digits significant digits, or nil when v is
// infinite or NaN.
func rounded(v float64, digits int) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', digits, 64), 64)
	if err != nil {
		r = v
	}
	return &r
}

// unless is v, or nil (the field omitted) when it equals other as written:
// both null, or the same number.
func unless(v, other *float64) any {
	if v == nil && other == nil || v != nil && other != nil && *v == *other {
		return nil
	}
	return v
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
		Kind: string(c.Kind), LoadRPS: figure(l.Total()), ReadRPS: figure(l.Read), WriteRPS: figure(l.Write),
		MaxUtilization: c.MaxUtilization, Availability: availability(cr.Availability), K: cr.K, N: cr.N, Roles: cr.Roles,
		Instances: len(l.Instances), LatencyMean: figure(cr.LatencyMean), LatencyP99: figure(cr.LatencyP99),
		InFlight: figure(cr.InFlight), Scenarios: map[string]ScenarioLoadJSON{},
	}
	if l.Messages > 0 {
		j.MessagesRPS = figure(l.Messages)
	}
	if c.CapacityRPS > 0 {
		j.CapacityRPS, j.Utilization = figure(c.CapacityRPS), figure(l.Utilization)
	}
	if n := len(l.Instances); n > 0 && j.LoadRPS != nil {
		// As a consumer restores them: load_rps as written ÷ instances.
		even := figure(*j.LoadRPS / float64(n))
		for _, v := range l.Instances {
			j.InstanceRPS = append(j.InstanceRPS, figure(v))
			if unless(figure(v), even) != nil {
				even = nil
			}
		}
		if even != nil {
			j.InstanceRPS = nil
		}
	}
	for _, v := range l.Shards {
		j.ShardRPS = append(j.ShardRPS, figure(v))
	}
	if q := cr.Queue; q != nil {
		j.Queue = &QueueJSON{Model: q.Model, Role: string(q.Role), Servers: q.Servers, Queues: q.Queues,
			LambdaRPS: unless(figure(q.Lambda), j.LoadRPS), ServiceTime: figure(q.ServiceTime * 1000),
			Utilization: unless(figure(q.Utilization), j.Utilization), PWait: figure(q.PWait), WaitMean: figure(q.WaitMean),
			ResponseMean: unless(figure(q.ResponseMean), j.LatencyMean), ResponseP99: unless(figure(q.ResponseP99), j.LatencyP99),
			Unstable: q.Unstable}
	}
	for _, s := range r.Failures {
		// A zone or region loss can change any component; a component
		// down only those in its s.Load.
		sl, ok := s.Load[addr]
		if s.Kind == "zone" || s.Kind == "region" {
			sl, ok = s.LoadOf(addr), true
		}
		if !ok {
			continue
		}
		if sl.Down {
			j.Scenarios[s.Name] = ScenarioLoadJSON{Down: true}
			continue
		}
		var v ScenarioLoadJSON
		v.LoadRPS = unless(figure(sl.Total()), j.LoadRPS)
		if c.CapacityRPS > 0 {
			v.Utilization = unless(figure(sl.Utilization), j.Utilization)
		}
		if up := sl.Up; up != j.Instances {
			v.Up = &up
		}
		if v.LoadRPS != nil || v.Utilization != nil || v.Up != nil {
			j.Scenarios[s.Name] = v
		}
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
	j := FlowJSON{Op: string(f.Op), RPS: figure(f.RPS), ReadRPS: figure(f.ReadRPS), WriteRPS: figure(f.WriteRPS), Availability: availability(f.Availability),
		LatencyMean: figure(f.LatencyMean), LatencyP99: figure(f.LatencyP99), Path: []string{}, Hops: []HopJSON{},
		Scenarios: map[string]FlowScenarioJSON{}, TimeoutLoss: figure(f.TimeoutLoss)}
	for s, ff := range scenarios[name] {
		v := FlowScenarioJSON{Availability: availability(ff.Availability),
			LatencyMean: figure(ff.LatencyMean), LatencyP99: figure(ff.LatencyP99)}
		if unless(v.Availability, j.Availability) != nil || unless(v.LatencyMean, j.LatencyMean) != nil ||
			unless(v.LatencyP99, j.LatencyP99) != nil {
			j.Scenarios[s] = v
		}
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
		j.Hops = append(j.Hops, r.hopJSON(h))
	}
	if d := f.Delivery; d != nil {
		dj := &DeliveryJSON{Queue: d.Queue.Addr, RequestLatencyMean: figure(d.RequestLatencyMean),
			RequestLatencyP99: figure(d.RequestLatencyP99), JointAvailability: availability(d.JointAvailability),
			QueueHop: r.hopJSON(d.QueueHop), Consumers: []ConsumerJSON{}}
		for _, c := range d.Consumers {
			cj := ConsumerJSON{Consumer: c.Consumer.Addr, MessagesRPS: figure(c.MessagesRPS), Workers: c.Workers,
				Utilization: figure(c.Utilization), PWait: figure(c.PWait), WaitMean: figure(c.WaitMean),
				WaitP99: figure(c.WaitP99), K: c.K, Up: availability(c.Up), Drain: figure(c.Drain),
				DrainPerOutage: figure(c.DrainPerOutage), LatencyMean: figure(c.LatencyMean),
				LatencyP99: figure(c.LatencyP99), Hops: []HopJSON{}}
			if c.Rate > 0 {
				cj.Rate = figure(c.Rate)
			}
			for _, h := range c.Hops {
				cj.Hops = append(cj.Hops, r.hopJSON(h))
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
	if r := rounded(v, 12); r != nil {
		return *r
	}
	return nil
}

// FiniteJSON replaces non-finite floats anywhere in a finding's data value
// (maps with string keys, slices, plain floats, at any depth) with nil, and
// rounds the others as jsonFinite does: what the JSON and SARIF writers put
// in a finding's data. Other values (strings, structs) are kept as they are.
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
	switch rv.Kind() {
	case reflect.Float32, reflect.Float64:
		return jsonFinite(rv.Float())
	case reflect.Slice, reflect.Array:
		elem := rv.Type().Elem().Kind()
		if elem == reflect.Uint8 || rv.Kind() == reflect.Slice && rv.IsNil() && elem != reflect.Float64 {
			return v // bytes (base64), or null as written
		}
		s := make([]any, rv.Len())
		for i := range s {
			s[i] = FiniteJSON(rv.Index(i).Interface())
		}
		return s
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String || rv.IsNil() && rv.Type().Elem().Kind() != reflect.Float64 {
			return v
		}
		m := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			m[it.Key().String()] = FiniteJSON(it.Value().Interface())
		}
		return m
	}
	return v
}

// JSONVersion is the version of archform's JSON documents (lint's report,
// what-if's figures). Version 2 changed lint's report (docs/lint.md says
// how: one line per finding, 6-digit figures, figures that repeat another
// left out); what-if's document is as in version 1.
const JSONVersion = 2

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

// hopJSON is a hop's view: its figures are omitted where they equal its
// component's, its calls_per_request when 1.
func (r *Results) hopJSON(h *Hop) HopJSON {
	j := HopJSON{Component: h.Component.Addr, Role: string(h.Role), Required: h.Required, Soft: h.Soft,
		Overloads: h.Overloads, CallsPerRequest: unless(figure(h.CallsPerRequest), figure(1)),
		Availability: availability(h.Availability), LatencyMean: figure(h.LatencyMean), LatencyP99: figure(h.LatencyP99)}
	if cr := r.Components[h.Component.Addr]; cr != nil {
		j.Availability = unless(availability(h.Availability), availability(cr.Availability))
		j.LatencyMean = unless(figure(h.LatencyMean), figure(cr.LatencyMean))
		j.LatencyP99 = unless(figure(h.LatencyP99), figure(cr.LatencyP99))
	}
	if h.From != nil {
		j.From = h.From.Addr
	}
	if h.Tries > 0 {
		j.Tries, j.TimeoutLoss = figure(h.Tries), figure(h.TimeoutLoss)
	}
	return j
}
