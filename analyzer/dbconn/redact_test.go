package dbconn_test

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"url with password", "postgres://user:secret@host:5432/db", "postgres://user@host:5432/db"},
		{"postgresql scheme", "postgresql://user:secret@host/db", "postgresql://user@host/db"},
		{"url without password", "postgres://user@host:5432/db?sslmode=require", "postgres://user@host:5432/db?sslmode=require"},
		{"url without user", "postgres://host:5432/db", "postgres://host:5432/db"},
		{"empty user", "postgres://:secret@host/db", "postgres://@host/db"},
		{"percent-encoded password", "postgres://user:se%40cr%2Fet@host/db", "postgres://user@host/db"},
		{"raw @ in password", "postgres://user:p@ss@host/db", "postgres://user@host/db"},
		{"raw / in password", "postgres://user:pa/ss@host/db", "postgres://user@host/db"},
		{"azure user@server", "postgres://me@srv:p@ss/w@srv.postgres.database.azure.com:5432/db", "postgres://me@srv@srv.postgres.database.azure.com:5432/db"},
		{"raw ? in password", "postgres://user:pa?ss@host/db", "postgres://user@host/db"},
		{"password parameter", "postgres://host/db?sslmode=require&password=secret&application_name=x", "postgres://host/db?sslmode=require&application_name=x"},
		{"only password parameter", "postgres://host/db?password=secret", "postgres://host/db"},
		{"sslpassword parameter", "postgres://host/db?SSLPassword=secret", "postgres://host/db"},
		{"encoded parameter name", "postgres://host/db?pass%77ord=secret", "postgres://host/db"},
		{"multiple hosts", "postgres://u:secret@h1:5432,h2:5433/db", "postgres://u@h1:5432,h2:5433/db"},
		{"socket host parameter", "postgres:///db?host=%2Ftmp%2Fs&password=secret", "postgres:///db?host=%2Ftmp%2Fs"},
		{"@ in a parameter after a port", "postgres://h:5432/db?application_name=me@x", "postgres://h:5432/db?application_name=me@x"},
		{"uppercase scheme", "POSTGRES://u:secret@h/db", "POSTGRES://u@h/db"},
		{"keyword/value", "host=h user=u password=secret dbname=d", "host=h user=u dbname=d"},
		{"keyword/value password first", "password=secret host=h", "host=h"},
		{"keyword/value quoted", `host=h password='se cret\'s' dbname=d`, "host=h dbname=d"},
		{"keyword/value spaces around =", "host=h password = secret port=5", "host=h port=5"},
		{"keyword/value sslpassword", "host=h sslpassword=k", "host=h"},
		{"keyword/value uppercase key", "host=h PASSWORD=secret", "host=h"},
		{"keyword/value unterminated quote", "host=h password='secret", "host=h"},
		{"keyword/value without password", "host=/tmp port=5432 dbname=x", "host=/tmp port=5432 dbname=x"},
		{"not a connection string", "garbage password=secret", "garbage"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dbconn.Redact(tt.in); got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRedactText(t *testing.T) {
	tests := []struct {
		name, text, conn, want string
	}{
		{
			name: "quoted url",
			text: `parse "postgres://u:s3cret@h:x/db": invalid port`,
			conn: "postgres://u:s3cret@h:x/db",
			want: `parse "postgres://u@h:x/db": invalid port`,
		},
		{
			name: "decoded password elsewhere",
			text: "server said: password p@ss/word rejected",
			conn: "postgres://u:p%40ss%2Fword@h/db",
			want: "server said: password xxxxx rejected",
		},
		{
			name: "keyword/value password",
			text: "failed: user=u password='a b' host=h",
			conn: "user=u password='a b' host=h",
			want: "failed: user=u  host=h",
		},
		{
			name: "nothing to hide",
			text: "connection refused",
			conn: "postgres://u@h/db",
			want: "connection refused",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dbconn.RedactText(tt.text, tt.conn); got != tt.want {
				t.Errorf("RedactText() = %q, want %q", got, tt.want)
			}
			if got := dbconn.Describe(errors.New(tt.text), tt.conn); got != tt.want {
				t.Errorf("Describe() = %q, want %q", got, tt.want)
			}
		})
	}
}

// hostRE matches realistic host lists of URLs.
var hostRE = regexp.MustCompile(`^[A-Za-z0-9.,:\[\]-]*$`)

// FuzzRedact checks that Redact never panics and never returns a
// password, in URLs and keyword/value strings built around it.
func FuzzRedact(f *testing.F) {
	f.Add("user", "secret", "host:5432")
	f.Add("u", "p@ss/w?rd", "h1,h2")
	f.Add("", "x'y z\\", "/tmp/sock")
	f.Fuzz(func(t *testing.T, user, password, host string) {
		// A password holding "?name=" after a colon and digits reads
		// as host:port/db?name=...@...: the one ambiguity Redact
		// resolves in favour of parameters.
		if len(password) < 4 || regexp.MustCompile(`\?[A-Za-z_]+=`).MatchString(password) {
			return
		}
		if !hostRE.MatchString(host) {
			return
		}
		type form struct{ in, want string }
		quoted := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(password)
		forms := []form{
			{"postgres://" + url.UserPassword(user, password).String() + "@" + host + "/db", "postgres://" + url.User(user).String() + "@" + host + "/db"},
			{"postgres://" + host + "/db?password=" + url.QueryEscape(password), "postgres://" + host + "/db"},
			{"postgres://" + host + "/db?sslmode=require&password=" + url.QueryEscape(password) + "&application_name=x", "postgres://" + host + "/db?sslmode=require&application_name=x"},
			{"host=h password='" + quoted + "' dbname=d", "host=h dbname=d"},
		}
		// Unencoded passwords are a common mistake; an unencoded '/',
		// '@' or ':' in the user name with an unencoded password is
		// ambiguous (the table above covers Azure's user@server).
		if !strings.ContainsAny(user, "/@:") {
			forms = append(forms, form{"postgres://" + user + ":" + password + "@" + host + "/db", "postgres://" + user + "@" + host + "/db"})
		}
		for _, f := range forms {
			if got := dbconn.Redact(f.in); got != f.want {
				t.Errorf("Redact(%q) = %q, want %q", f.in, got, f.want)
			}
		}
	})
}
