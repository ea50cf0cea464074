package catalog

//go:generate go run ./internal/gen -version 0.21.202609231 -out .
