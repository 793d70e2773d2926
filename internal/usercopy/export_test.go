package usercopy

// ProbeExact reports whether ProbeWriteable probes the very byte it is given
// (the assembly probes) rather than an aligned word of its page.
const ProbeExact = probeExact
