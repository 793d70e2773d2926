//go:build !race

package usercopy_test

const raceEnabled = false
