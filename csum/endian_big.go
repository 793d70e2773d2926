//go:build !(386 || amd64 || arm || arm64 || loong64 || mips64le || mipsle || ppc64le || riscv64 || wasm)

package csum

// bigEndian reports whether this machine stores the most significant byte of
// a word first (see endian_little.go for the list of little-endian ones).
const bigEndian = true
