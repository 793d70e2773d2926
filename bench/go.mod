module github.com/iovkit/iovkit/bench

go 1.26.8

replace github.com/iovkit/iovkit => ../

require (
	github.com/iovkit/iovkit v0.0.0-00010101000000-000000000000
	gvisor.dev/gvisor v0.0.0-20260905035102-160fafc42237
)

require (
	github.com/klauspost/cpuid/v2 v2.4.2 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
