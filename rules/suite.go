// Package rules holds archform's lint rules, one package per rule, and the
// slice that lists the whole suite.
package rules

import (
	"github.com/archform/archform/analyze"
	"github.com/archform/archform/rules/availabilityslo"
	"github.com/archform/archform/rules/backpressure"
	"github.com/archform/archform/rules/bulkhead"
	"github.com/archform/archform/rules/cachefailure"
	"github.com/archform/archform/rules/cacheinvalidation"
	"github.com/archform/archform/rules/capacity"
	"github.com/archform/archform/rules/capconflict"
	"github.com/archform/archform/rules/circuitbreaker"
	"github.com/archform/archform/rules/connectionpool"
	"github.com/archform/archform/rules/consistency"
	"github.com/archform/archform/rules/dataprotection"
	"github.com/archform/archform/rules/deadletter"
	"github.com/archform/archform/rules/deploycapacity"
	"github.com/archform/archform/rules/distributedtransaction"
	"github.com/archform/archform/rules/durability"
	"github.com/archform/archform/rules/flowcoverage"
	"github.com/archform/archform/rules/flowrps"
	"github.com/archform/archform/rules/hotshard"
	"github.com/archform/archform/rules/idempotency"
	"github.com/archform/archform/rules/latencyslo"
	"github.com/archform/archform/rules/multiregion"
	"github.com/archform/archform/rules/multiregionplacement"
	"github.com/archform/archform/rules/nocapacity"
	"github.com/archform/archform/rules/plainsecret"
	"github.com/archform/archform/rules/plaintext"
	"github.com/archform/archform/rules/publicadmin"
	"github.com/archform/archform/rules/publicauth"
	"github.com/archform/archform/rules/publicdatastore"
	"github.com/archform/archform/rules/publicratelimit"
	"github.com/archform/archform/rules/queuecapacity"
	"github.com/archform/archform/rules/queuewiring"
	"github.com/archform/archform/rules/quorum"
	"github.com/archform/archform/rules/ratelimit"
	"github.com/archform/archform/rules/regionplacement"
	"github.com/archform/archform/rules/retryamplification"
	"github.com/archform/archform/rules/retrystorm"
	"github.com/archform/archform/rules/spof"
	"github.com/archform/archform/rules/timeoutbudget"
	"github.com/archform/archform/rules/tracing"
	"github.com/archform/archform/rules/zoneauth"
	"github.com/archform/archform/rules/zonefailure"
)

// All lists every rule of the suite, in the order `archform rules` prints them.
// Add a rule here when its package lands.
var All = []*analyze.Analyzer{
	spof.Analyzer,
	capacity.Analyzer,
	zonefailure.Analyzer,
	deploycapacity.Analyzer,
	cachefailure.Analyzer,
	hotshard.Analyzer,
	queuecapacity.Analyzer,
	backpressure.Analyzer,
	connectionpool.Analyzer,
	bulkhead.Analyzer,
	availabilityslo.Analyzer,
	latencyslo.Analyzer,
	nocapacity.Analyzer,
	timeoutbudget.Analyzer,
	retryamplification.Analyzer,
	retrystorm.Analyzer,
	circuitbreaker.Analyzer,
	ratelimit.Analyzer,
	consistency.Analyzer,
	quorum.Analyzer,
	capconflict.Analyzer,
	durability.Analyzer,
	idempotency.Analyzer,
	distributedtransaction.Analyzer,
	deadletter.Analyzer,
	cacheinvalidation.Analyzer,
	multiregion.Analyzer,
	queuewiring.Analyzer,
	flowrps.Analyzer,
	regionplacement.Analyzer,
	multiregionplacement.Analyzer,
	flowcoverage.Analyzer,
	tracing.Analyzer,
	publicdatastore.Analyzer,
	publicadmin.Analyzer,
	publicauth.Analyzer,
	publicratelimit.Analyzer,
	zoneauth.Analyzer,
	plaintext.Analyzer,
	dataprotection.Analyzer,
	plainsecret.Analyzer,
}
