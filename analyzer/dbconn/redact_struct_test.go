package dbconn_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
)

// TestUnencodedAt checks that a URL whose password holds an unencoded
// '@' (or '/', '?', '#') is refused before anything is sent to DNS, and
// that the message quotes no part of the password.
func TestUnencodedAt(t *testing.T) {
	for _, conn := range []string{
		"postgres://app:p@ssw0rd@db.example.com/shop",
		"postgres://app:pa/ss0rd@db.example.com/shop",
		"postgresql://app:pa#ss0rd@db.example.com:5432/shop?sslmode=require",
	} {
		t.Run(conn, func(t *testing.T) {
			_, err := dbconn.Connect(context.Background(), conn, dbconn.Options{ConnectTimeout: time.Second})
			if !errors.Is(err, dbconn.ErrURLUnencoded) {
				t.Fatalf("err = %v, want ErrURLUnencoded", err)
			}
			for _, part := range []string{"ssw0rd", "ss0rd", ":p", "pa/", "pa#"} {
				if strings.Contains(err.Error(), part) {
					t.Errorf("the message %q quotes %q of the password", err, part)
				}
			}
			if !strings.Contains(err.Error(), "%40") {
				t.Errorf("the message %q does not say how to encode", err)
			}
		})
	}
}

// TestScrubByStructure checks that redaction follows the connection
// string's structure: a password that is also a word of the URL (the user
// name, part of the host) leaves the rest of the message readable, and
// the message does not reveal where the password occurs.
func TestScrubByStructure(t *testing.T) {
	for _, tc := range []struct {
		conn, want string
	}{
		{"postgres://postgres:postgres@127.0.0.1:1/db", "postgres://postgres@127.0.0.1:1/db"},
		{"postgres://u:1@127.0.0.1:1/db", "postgres://u@127.0.0.1:1/db"},
		{"host=127.0.0.1 port=1 user=postgres password=postgres dbname=db", "host=127.0.0.1 port=1 user=postgres dbname=db"},
	} {
		t.Run(tc.conn, func(t *testing.T) {
			_, err := dbconn.Connect(context.Background(), tc.conn, dbconn.Options{ConnectTimeout: time.Second})
			if err == nil {
				t.Fatal("connected to port 1")
			}
			msg := err.Error()
			if strings.Contains(msg, "xxxxx") {
				t.Errorf("message %q masks words that equal the password", msg)
			}
			if !strings.Contains(msg, tc.want) || !strings.Contains(msg, "127.0.0.1") {
				t.Errorf("message %q, want it to name %s", msg, tc.want)
			}
			if got := dbconn.RedactText("could not connect to "+tc.conn+": refused", tc.conn); strings.Contains(got, "xxxxx") || strings.Contains(got, "password=") {
				t.Errorf("RedactText = %q", got)
			}
		})
	}
}
