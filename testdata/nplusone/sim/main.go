// Command sim is a small blog application that serves page views the way
// ORMs do, so that a PostgreSQL server with logging on writes genuine N+1
// loops into its log (testdata/nplusone/generate.sh runs it). Each
// scenario runs on its own connection (its own session in the log):
//
//   - index: the posts of a blog (the parent), then for each post its
//     author and its comment count: two interleaved loops under one
//     parent (P A B A B ...), three page views back to back.
//   - author: the posts of an author (the parent), then for each post its
//     first three comments (a loop whose query has a LIMIT), two views.
//   - settings: the posts of a blog (the parent), then for each post the
//     same setting, looked up again and again: a cache, not a loop.
//   - counter: the same transaction ten times from the start of a session
//     (BEGIN; UPDATE; INSERT; COMMIT), no parent: not an N+1 loop.
//   - checkout: a three-statement sequence (SELECT; UPDATE; INSERT)
//     repeated six times from the start of a session (P A B P A B), no
//     parent: not an N+1 loop.
//
// Usage: sim -db URL -mode simple|extended|prepared
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
)

func main() {
	db := flag.String("db", "", "connection URL")
	mode := flag.String("mode", "simple", "protocol: simple, extended or prepared")
	flag.Parse()
	if err := run(context.Background(), *db, *mode); err != nil {
		fmt.Fprintln(os.Stderr, "sim:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, db, mode string) error {
	cfg, err := pgx.ParseConfig(db)
	if err != nil {
		return fmt.Errorf("parse -db: %w", err)
	}
	switch mode {
	case "simple":
		cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	case "extended":
		// Unnamed statements: parse, bind and execute each time.
		cfg.DefaultQueryExecMode = pgx.QueryExecModeExec
	case "prepared":
		// Named prepared statements, cached per connection.
		cfg.DefaultQueryExecMode = pgx.QueryExecModeCacheStatement
	default:
		return fmt.Errorf("unknown -mode %q", mode)
	}
	cfg.RuntimeParams["application_name"] = "sim-" + mode
	for _, sc := range []struct {
		name string
		run  func(context.Context, *pgx.Conn) error
	}{
		{"index", index},
		{"author", author},
		{"settings", settings},
		{"counter", counter},
		{"checkout", checkout},
	} {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			return fmt.Errorf("connect: %w", err)
		}
		err = sc.run(ctx, conn)
		conn.Close(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
		// Sessions apart in time too.
		time.Sleep(150 * time.Millisecond)
	}
	return nil
}

// index serves three blog index pages: the posts, then for each post its
// author and its number of comments.
func index(ctx context.Context, conn *pgx.Conn) error {
	for _, blog := range []int{1, 2, 3} {
		rows, err := conn.Query(ctx, "SELECT id, author_id, title FROM posts WHERE blog_id = $1 ORDER BY id LIMIT 8", blog)
		if err != nil {
			return err
		}
		type post struct{ id, author int }
		posts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (post, error) {
			var p post
			var title string
			return p, r.Scan(&p.id, &p.author, &title)
		})
		if err != nil {
			return err
		}
		for _, p := range posts {
			var id int
			var name string
			if err := conn.QueryRow(ctx, "SELECT id, name FROM users WHERE id = $1", p.author).Scan(&id, &name); err != nil {
				return err
			}
			var n int64
			if err := conn.QueryRow(ctx, "SELECT count(*) FROM comments WHERE post_id = $1", p.id).Scan(&n); err != nil {
				return err
			}
		}
	}
	return nil
}

// author serves two author pages: the author's posts, then the first
// three comments of each.
func author(ctx context.Context, conn *pgx.Conn) error {
	for _, user := range []int{2, 3} {
		rows, err := conn.Query(ctx, "SELECT id, title FROM posts WHERE author_id = $1 ORDER BY id LIMIT 6", user)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (int, error) {
			var id int
			var title string
			return id, r.Scan(&id, &title)
		})
		if err != nil {
			return err
		}
		for _, id := range ids {
			rows, err := conn.Query(ctx, "SELECT id, body FROM comments WHERE post_id = $1 ORDER BY id LIMIT 3", id)
			if err != nil {
				return err
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// settings lists a blog's posts and looks the same setting up for each.
func settings(ctx context.Context, conn *pgx.Conn) error {
	rows, err := conn.Query(ctx, "SELECT id, title FROM posts WHERE blog_id = $1 ORDER BY id LIMIT 7", 4)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (int, error) {
		var id int
		var title string
		return id, r.Scan(&id, &title)
	})
	if err != nil {
		return err
	}
	for range ids {
		var v string
		if err := conn.QueryRow(ctx, "SELECT value FROM settings WHERE key = $1", "currency").Scan(&v); err != nil {
			return err
		}
	}
	return nil
}

// counter runs the same small transaction ten times.
func counter(ctx context.Context, conn *pgx.Conn) error {
	for i := 1; i <= 10; i++ {
		tx, err := conn.Begin(ctx)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE counters SET hits = hits + 1 WHERE id = $1", i); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO events (counter_id, note) VALUES ($1, $2)", i, fmt.Sprintf("hit %d", i)); err != nil {
			return err
		}
		if err := tx.Commit(ctx); err != nil {
			return err
		}
	}
	return nil
}

// checkout repeats a read, an update and an insert six times, without a
// transaction block.
func checkout(ctx context.Context, conn *pgx.Conn) error {
	for i := 1; i <= 6; i++ {
		var stock int
		if err := conn.QueryRow(ctx, "SELECT stock FROM items WHERE id = $1", i).Scan(&stock); err != nil {
			return err
		}
		if _, err := conn.Exec(ctx, "UPDATE items SET stock = stock - 1 WHERE id = $1", i); err != nil {
			return err
		}
		if _, err := conn.Exec(ctx, "INSERT INTO orders (item_id) VALUES ($1)", i); err != nil {
			return err
		}
	}
	return nil
}
