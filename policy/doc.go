// Package policy parses and validates AWS IAM policy documents.
//
// Parse reads a JSON policy strictly, keeping the position (line:column) of
// every statement and condition, and reports every problem it finds as an
// Error with a stable Code, a JSON Pointer and a position. It rejects
// anything AWS would reject and anything the evaluator could misread:
// malformed JSON, duplicate keys, unknown or wrongly-cased element names,
// wrong JSON types, bad Effect and Version values, malformed actions,
// resources and principals, unknown condition operators, condition values
// that cannot be of the operator's type, disallowed characters and
// oversized documents.
//
// Validate applies the rules of one Kind of policy: where Principal is
// required or forbidden, Sid characters, the SCP and RCP restrictions and
// the size quotas.
//
// A Provenance says who wrote a policy. Customer policies (the zero value)
// are held to the quotas and authoring rules IAM enforces when it stores
// them; AWS managed policies (ProvenanceOf an arn:aws:iam::aws:policy/...
// ARN, or ParseAs and ValidateAs AWSManaged) are not, since AWS ships and
// evaluates policies that break them.
//
// The condition-operator table (BaseOperators, LookupOperator) is the single
// list of operators: both validation here and evaluation in package
// evaluator read it.
//
// A Policy is plain data. MarshalJSON writes it back as compact JSON, and
// parsing that output gives back an equal Policy.
package policy
