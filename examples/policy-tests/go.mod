module example.com/policy-tests

go 1.26

require github.com/iamsim/iamsim v0.0.0

require go.yaml.in/yaml/v3 v3.0.6 // indirect

replace github.com/iamsim/iamsim => ../..
