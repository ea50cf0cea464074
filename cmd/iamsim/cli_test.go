package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/policy/catalog"
)

// TestVersionCommand: the module version ("(devel)" in a test binary, which
// is built from the checkout) and the catalog's data version.
func TestVersionCommand(t *testing.T) {
	st, out, errOut := runCmd(t, "", "version")
	require.Equal(t, 0, st, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3, out)
	require.True(t, strings.HasPrefix(lines[0], "iamsim "), lines[0])
	require.Equal(t, "catalog "+catalog.Source(), lines[1])
	require.Contains(t, lines[1], catalog.Version())
	st, _, _ = runCmd(t, "", "version", "extra")
	require.Equal(t, 2, st)
	st, out, _ = runCmd(t, "", "version", "--help")
	require.Equal(t, 0, st)
	require.Equal(t, versionUsage, out)
}

func TestModuleVersion(t *testing.T) {
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "(unknown)"},
		{"checkout", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "(devel)"}}, "(devel)"},
		{"go install @version", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v1.2.3"}}, "v1.2.3"},
		{"revision", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}},
			"(devel) (0123456789ab, modified)"},
		{"dependency", &debug.BuildInfo{Main: debug.Module{Path: "example.com/other"},
			Deps: []*debug.Module{{Path: modulePath, Version: "v0.4.0"}}}, "v0.4.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, moduleVersion(tc.info))
		})
	}
}

// TestHelpCommand: "iamsim help" lists the commands on stdout; "iamsim help
// COMMAND" prints what "iamsim COMMAND --help" prints.
func TestHelpCommand(t *testing.T) {
	st, out, _ := runCmd(t, "", "help")
	require.Equal(t, 0, st)
	for name := range commands {
		require.Contains(t, out, "  "+name+" ")
	}
	require.Contains(t, out, "  help ")
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			st, help, errOut := runCmd(t, "", "help", name)
			require.Equal(t, 0, st, errOut)
			require.True(t, strings.HasPrefix(help, "usage: iamsim "+name), help)
			st, flagHelp, _ := runCmd(t, "", name, "--help")
			require.Equal(t, 0, st)
			require.Equal(t, flagHelp, help)
		})
	}
	st, _, errOut := runCmd(t, "", "help", "frobnicate")
	require.Equal(t, 2, st)
	require.Contains(t, errOut, `unknown command "frobnicate"`)
	st, _, _ = runCmd(t, "", "help", "eval", "test")
	require.Equal(t, 2, st)
	st, out, _ = runCmd(t, "", "help", "help")
	require.Equal(t, 0, st)
	require.Equal(t, helpUsage, out)
}
