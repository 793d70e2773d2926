//go:build 386 || amd64 || arm || arm64 || loong64 || mips64le || mipsle || ppc64le || riscv64 || wasm

package csum

// bigEndian reports whether this machine stores the most significant byte of
// a word first. It is a constant so that code for the other order compiles
// away (TestEndianness checks it against encoding/binary).
const bigEndian = false
