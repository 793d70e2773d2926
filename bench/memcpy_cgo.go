//go:build cgo

package main

import "github.com/iovkit/iovkit/cshim"

// cMemcpy is the C library's memcpy, a bandwidth reference beside Go's copy.
var cMemcpy = cshim.Memcpy
