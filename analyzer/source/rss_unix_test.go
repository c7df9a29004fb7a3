//go:build unix

package source

import "syscall"

// peakRSS returns the peak resident set size of the process in bytes.
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	// Linux reports kilobytes (macOS bytes; the benchmark targets Linux).
	return int64(ru.Maxrss) * 1024
}
