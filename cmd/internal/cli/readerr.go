package cli

import (
	"errors"
	"os"
)

// readError words an error reading an input whose name the message
// already gives: an os error without its "open NAME: ", anything else
// (a size limit, a decompression error) as it is.
func readError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
