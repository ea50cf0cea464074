// Package evaltest runs what-if case files against the evaluator and offers
// helpers for testing policy designs from other repositories' Go tests.
//
// A case file (YAML or JSON) holds defaults and cases; each case names a
// principal, an action, a resource, the policies in force and the expected
// decision. The format is documented in testdata/README.md of the iamsim
// repository. RunFile and RunDir make one subtest per case; a failing case
// reports the expected and actual decision with the evaluator's trace, each
// statement with its file:line:column, so the reader knows why without
// rerunning.
//
//	func TestPolicies(t *testing.T) {
//		evaltest.RunDir(t, "testdata/cases")
//	}
package evaltest
