module example.com/policy-tests

go 1.26

require github.com/iamsim/iamsim v0.0.0

require (
	github.com/gobwas/glob v1.1.0 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
)

replace github.com/iamsim/iamsim => ../..
