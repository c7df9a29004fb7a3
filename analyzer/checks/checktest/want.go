package checktest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// want is one expectation of a `-- want` comment.
type want struct {
	line int
	// field is what the regexp is matched against: "message", "help"
	// or "fix" (the fix's SQL).
	field string
	re    *regexp.Regexp
	text  string
	// matched is set once a finding satisfied it.
	matched bool
}

// wantMarker starts an expectation comment.
const wantMarker = "-- want "

// parseWants reads the `-- want "re" ...` comments of src. Each quoted
// string (Go syntax: "..." or `...`) is a regexp matched against the
// message of a finding reported on that line; a string prefixed with
// help: or fix: is matched against the finding's help or fix SQL instead.
func parseWants(file, src string) ([]*want, error) {
	var out []*want
	for i, line := range strings.Split(src, "\n") {
		idx := strings.Index(line, wantMarker)
		if idx < 0 {
			continue
		}
		rest := strings.TrimSpace(line[idx+len(wantMarker):])
		if rest == "" {
			return nil, fmt.Errorf("%s:%d: -- want without expectations", file, i+1)
		}
		for rest != "" {
			field := "message"
			for _, f := range []string{"help:", "fix:"} {
				if strings.HasPrefix(rest, f) {
					field = strings.TrimSuffix(f, ":")
					rest = rest[len(f):]
				}
			}
			lit, err := quotedPrefix(rest)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: -- want: %w", file, i+1, err)
			}
			s, err := strconv.Unquote(lit)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: -- want: %s: %w", file, i+1, lit, err)
			}
			re, err := regexp.Compile(s)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: -- want: %w", file, i+1, err)
			}
			out = append(out, &want{line: i + 1, field: field, re: re, text: s})
			rest = strings.TrimSpace(rest[len(lit):])
		}
	}
	return out, nil
}

// quotedPrefix returns the Go string literal at the start of s.
func quotedPrefix(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("missing quoted regexp")
	}
	switch s[0] {
	case '`':
		if j := strings.IndexByte(s[1:], '`'); j >= 0 {
			return s[:j+2], nil
		}
	case '"':
		for j := 1; j < len(s); j++ {
			switch s[j] {
			case '\\':
				j++
			case '"':
				return s[:j+1], nil
			}
		}
	default:
		return "", fmt.Errorf("want a quoted regexp, found %q", s)
	}
	return "", fmt.Errorf("unterminated string %q", s)
}
