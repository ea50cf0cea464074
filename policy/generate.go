package policy

//go:generate go run ./internal/managedgen -version 0.0.656 -out ./awsmanaged
