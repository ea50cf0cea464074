// Package effective reports what a principal can do: the decision of an
// evaluator.Engine on every action of the catalog (or of some services) on
// one resource, and what changes between two such reports.
//
// Evaluate makes a Report whose entries are exactly what Engine.Evaluate
// decides for each action, marked Conditional when the decision rests on
// condition keys the request did not give. Diff compares two reports: what
// a session loses against its role, or what a policy change adds.
package effective
