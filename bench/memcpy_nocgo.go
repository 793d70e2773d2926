//go:build !cgo

package main

// cMemcpy is nil: without cgo the report leaves the C memcpy peer out.
var cMemcpy func(dst, src []byte) int
