package pglog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
)

// A wrapper is how a platform delivers PostgreSQL's log: each line of
// the platform's log holds one of the server's lines (or records), which
// unwrap takes out in the server's own format.
type wrapper struct {
	// name names the platform for people.
	name string
	// format is the format of the unwrapped lines.
	format Format
	// match says whether a line is one of the platform's.
	match func(line []byte) bool
	// unwrap appends the server's line(s) held by line to out.
	unwrap func(out, line []byte) []byte
}

// wrappers are the platforms whose logs are unwrapped.
var wrappers = []*wrapper{
	{
		// CloudNativePG's instance manager writes one JSON object per
		// line; the server's csvlog records are under "record", with
		// csvlog's column names.
		name:   "CloudNativePG",
		format: JSON,
		match: func(l []byte) bool {
			return bytes.HasPrefix(l, []byte("{")) && bytes.Contains(l, []byte(`"logger":`)) && bytes.Contains(l, []byte(`"ts":`))
		},
		unwrap: unwrapCNPG,
	},
	{
		// Google Cloud Logging (Cloud SQL exported to JSON lines): the
		// server's stderr line in "textPayload".
		name:   "Google Cloud Logging",
		format: Stderr,
		match: func(l []byte) bool {
			return bytes.HasPrefix(l, []byte("{")) && bytes.Contains(l, []byte(`"textPayload":`))
		},
		unwrap: func(out, l []byte) []byte {
			var e struct {
				TextPayload string `json:"textPayload"`
			}
			if json.Unmarshal(l, &e) != nil {
				return out // an empty line: skipped, with its position
			}
			// One entry is one line of the server's log; a newline inside
			// would shift the positions of every line after it.
			return append(out, strings.ReplaceAll(strings.TrimRight(e.TextPayload, "\n"), "\n", " ")...)
		},
	},
}

// cnpgRecord is the part of a CloudNativePG line that jsonlog also has.
type cnpgRecord struct {
	Logger string `json:"logger"`
	TS     string `json:"ts"`
	Msg    string `json:"msg"`
	Record *struct {
		LogTime         string `json:"log_time"`
		UserName        string `json:"user_name"`
		DatabaseName    string `json:"database_name"`
		ProcessID       string `json:"process_id"`
		SessionID       string `json:"session_id"`
		ErrorSeverity   string `json:"error_severity"`
		Message         string `json:"message"`
		Detail          string `json:"detail"`
		Query           string `json:"query"`
		ApplicationName string `json:"application_name"`
	} `json:"record"`
}

// unwrapCNPG writes a CloudNativePG line as the server's jsonlog line;
// lines of the instance manager's other loggers become LOG messages of
// their own (counted, not statements).
func unwrapCNPG(out, l []byte) []byte {
	var c cnpgRecord
	if json.Unmarshal(l, &c) != nil {
		return out
	}
	type jsonlog struct {
		Timestamp       string `json:"timestamp"`
		User            string `json:"user,omitempty"`
		DBName          string `json:"dbname,omitempty"`
		PID             int64  `json:"pid,omitempty"`
		SessionID       string `json:"session_id,omitempty"`
		ApplicationName string `json:"application_name,omitempty"`
		ErrorSeverity   string `json:"error_severity"`
		Message         string `json:"message"`
		Detail          string `json:"detail,omitempty"`
		Statement       string `json:"statement,omitempty"`
	}
	var j jsonlog
	if r := c.Record; c.Logger == "postgres" && r != nil {
		pid, _ := strconv.ParseInt(r.ProcessID, 10, 64)
		j = jsonlog{Timestamp: r.LogTime, User: r.UserName, DBName: r.DatabaseName, PID: pid, SessionID: r.SessionID,
			ApplicationName: r.ApplicationName, ErrorSeverity: r.ErrorSeverity, Message: r.Message, Detail: r.Detail, Statement: r.Query}
	} else {
		j = jsonlog{Timestamp: strings.Replace(strings.TrimSuffix(c.TS, "Z"), "T", " ", 1), ErrorSeverity: "LOG", Message: c.Logger + ": " + c.Msg}
	}
	b, err := json.Marshal(j)
	if err != nil {
		return out
	}
	return append(out, b...)
}

// detectWrapper returns the platform most of sample's lines are from, or
// nil.
func detectWrapper(sample []byte) *wrapper {
	lines := sampleLines(sample, 200)
	if len(lines) == 0 {
		return nil
	}
	for _, w := range wrappers {
		n := 0
		for _, l := range lines {
			if w.match([]byte(l)) {
				n++
			}
		}
		if n*2 > len(lines) {
			return w
		}
	}
	return nil
}

// DetectPlatform names the platform whose wrapping of PostgreSQL's log
// lines sample holds (CloudNativePG, Google Cloud Logging), with the
// format of the server's lines inside; "" when sample is not wrapped.
func DetectPlatform(sample []byte) (name string, f Format) {
	if w := detectWrapper(sample); w != nil {
		return w.name, w.format
	}
	return "", ""
}

// maxLine bounds a line rewritten by a lineReader; longer lines are cut
// (and then skipped as not a log line by the parsers).
const maxLine = 64 << 20

// lineReader rewrites its input line by line: each line, without its
// newline, goes through f, and its output (plus a newline) comes out.
// The number of lines is kept, so positions stay those of the input.
type lineReader struct {
	br  *bufio.Reader
	f   func(out, line []byte) []byte
	buf []byte // the output not read yet
	off int
	acc []byte // a long line being accumulated
	err error
}

func newLineReader(r io.Reader, f func(out, line []byte) []byte) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 1<<20), f: f}
}

func (r *lineReader) Read(p []byte) (int, error) {
	for r.off >= len(r.buf) {
		if r.err != nil {
			return 0, r.err
		}
		r.buf, r.off = r.buf[:0], 0
		line, err := r.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(r.acc)+len(line) <= maxLine {
				r.acc = append(r.acc, line...)
			}
			continue
		}
		if len(r.acc) > 0 {
			line = append(r.acc, line...)
			r.acc = r.acc[:0]
		}
		if err != nil {
			r.err = err
		}
		if len(line) == 0 {
			continue
		}
		nl := bytes.HasSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		r.buf = r.f(r.buf, line)
		if nl {
			r.buf = append(r.buf, '\n')
		}
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}
