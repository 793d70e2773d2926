//go:build amd64 && gc && !purego

package csum

// testOnlyImpls are routines that dispatch reaches only for some lengths,
// offered to every test as implementations of their own so that the
// differential, guard-page and fuzz tests run them at every length and
// alignment: the non-temporal copies, which Copy takes from copyNTMin
// bytes on (their Partial is that of their tier).
var testOnlyImpls = []Implementation{
	{Name: "amd64-avx512-nt", Available: hasAVX512, Partial: partialAVX512, Copy: copyAVX512NT},
	{Name: "amd64-avx2-nt", Available: hasAVX2, Partial: partialAVX2, Copy: copyAVX2NT},
}
