package render

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Escape returns s with the characters that would act on a terminal
// instead of showing made visible, as JSON and SARIF escape them: control
// characters but newline and tab (ESC, BEL, CR, NUL, ...; C1 controls
// U+0080 to U+009F; DEL) become \xNN or \u00NN, and bytes that are not
// UTF-8 become \xNN. Inputs hold such bytes (a crafted plan's filter with
// "\x1b]0;title\x07\x1b[2J" retitles and clears a terminal; a partly
// binary file brings NUL bytes).
func Escape(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case needsEscape(r, size) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case needsEscape(r, size):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// needsEscape says whether rune r (of size bytes) is escaped.
func needsEscape(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size <= 1:
		return true
	case r == '\n' || r == '\t':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	}
	return false
}

// EscapeWriter returns a writer that writes to w what it is given with
// Escape applied, for the human formats (table, Markdown, plan trees). A
// character split across two writes is held back until it is whole.
func EscapeWriter(w io.Writer) io.Writer { return &escapeWriter{w: w} }

type escapeWriter struct {
	w    io.Writer
	hold []byte
}

func (e *escapeWriter) Write(p []byte) (int, error) {
	buf := append(e.hold, p...)
	// Hold back an incomplete character at the end.
	cut := len(buf)
	for k := 1; k <= utf8.UTFMax-1 && k <= len(buf); k++ {
		c := buf[len(buf)-k]
		if c < 0x80 {
			break
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(buf[len(buf)-k:]) {
				cut = len(buf) - k
			}
			break
		}
	}
	e.hold = append([]byte(nil), buf[cut:]...)
	if _, err := io.WriteString(e.w, Escape(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}
