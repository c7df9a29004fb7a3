package source

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/schollz/progressbar/v3"
)

// progressMin is the input size from which a progress bar is shown.
const progressMin = 8 << 20

// input is one opened input: its decompressed content, its name without
// the compression suffix (for kind hints), and what to close.
type input struct {
	r io.Reader
	// head holds the first bytes of the decompressed content.
	head []byte
	// base is the name without .gz/.bz2/.zst, lower-cased.
	base  string
	comp  string
	close func() error
	bar   *progressbar.ProgressBar
	// cancelled is set when ctx was cancelled while the head was read:
	// r then holds the head only, the whole of what was read.
	cancelled bool
}

// headSize is how much of an input is looked at to detect its kind.
const headSize = 64 << 10

// open opens name ("-" is stdin), detects compression by magic number and
// wraps the content with a decompressor and, when progress is non-nil
// and the file is large, a progress bar on the compressed bytes read.
func open(ctx context.Context, name string, stdin io.Reader, progress io.Writer) (*input, error) {
	in := &input{close: func() error { return nil }}
	var raw io.Reader
	var size int64 = -1
	if name == "-" {
		if stdin == nil {
			stdin = os.Stdin
		}
		// A pipe may stay silent forever (tail -f): reads must watch ctx.
		raw = newWatchReader(ctx, stdin)
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		if fi, err := f.Stat(); err == nil {
			if fi.IsDir() {
				f.Close()
				return nil, fmt.Errorf("is a directory")
			}
			size = fi.Size()
		}
		raw = f
		if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
			// A FIFO or a device (/dev/zero) may block or never end.
			raw = newWatchReader(ctx, f)
			size = -1
		}
		in.close = f.Close
	}
	if progress != nil && size >= progressMin {
		in.bar = progressbar.NewOptions64(size,
			progressbar.OptionSetWriter(progress),
			progressbar.OptionSetDescription(filepath.Base(name)),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetPredictTime(true),
		)
		raw = &countingReader{r: raw, bar: in.bar}
	}
	br := bufio.NewReaderSize(raw, 256<<10)
	magic, _ := br.Peek(4)
	in.base = strings.ToLower(filepath.Base(name))
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			in.close()
			return nil, fmt.Errorf("gzip: %w", err)
		}
		in.comp, in.r = "gzip", zr
	case bytes.HasPrefix(magic, []byte("BZh")) && len(magic) == 4 && magic[3] >= '1' && magic[3] <= '9':
		in.comp, in.r = "bzip2", bzip2.NewReader(br)
	case bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			in.close()
			return nil, fmt.Errorf("zstd: %w", err)
		}
		in.comp, in.r = "zstd", zr.IOReadCloser()
		prev := in.close
		in.close = func() error { zr.Close(); return prev() }
	default:
		in.r = br
	}
	for _, ext := range []string{".gz", ".gzip", ".bz2", ".zst", ".zstd"} {
		in.base = strings.TrimSuffix(in.base, ext)
	}
	// Peek at the decompressed head without losing it.
	head := make([]byte, headSize)
	n, err := io.ReadFull(in.r, head)
	head = head[:n]
	if ctx.Err() != nil {
		// Interrupted while the head arrived (Ctrl-C on a quiet tail -f):
		// what came is the whole input, up to its last whole line.
		if k := bytes.LastIndexByte(head, '\n'); k >= 0 && k+1 < len(head) {
			head = head[:k+1]
		}
		in.head, in.cancelled = head, true
		in.r = bytes.NewReader(head)
		return in, nil
	}
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		in.close()
		return nil, readErr(in.comp, err)
	}
	in.head = head
	in.r = io.MultiReader(bytes.NewReader(head), &errReader{r: in.r, comp: in.comp})
	return in, nil
}

// LimitError is an input larger than what is read of it. Its message
// does not repeat the name.
type LimitError struct {
	Name string
	// What is read: "a plan", "a schema file".
	What  string
	Limit int64
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("larger than %s (the limit for %s), not read", formatSize(e.Limit), e.What)
}

// formatSize writes a size in MiB or GiB.
func formatSize(n int64) string {
	if n >= 1<<30 && n%(1<<30) == 0 {
		return fmt.Sprintf("%d GiB", n>>30)
	}
	return fmt.Sprintf("%d MiB", n>>20)
}

// Limits of the inputs read whole (decompressed sizes).
const (
	// MaxPlanSize bounds a plan file: a plan of 100,000 nodes is about
	// 60 MiB of JSON, and parsing costs about ten times the text.
	MaxPlanSize = 128 << 20
	// MaxSchemaSize bounds a --schema file.
	MaxSchemaSize = 256 << 20
)

// ReadAll reads input name ("-": stdin) whole, through the reader every
// input goes through (decompressing .gz, .bz2, .zst, watching ctx), and
// refuses with a *LimitError an input larger than limit bytes: before
// reading anything when the file's size says so, else as soon as limit
// bytes have been read (memory never holds more than limit+1 bytes).
// what names the input in the error ("a plan").
func ReadAll(ctx context.Context, name string, stdin io.Reader, limit int64, what string) ([]byte, error) {
	if name != "-" {
		if fi, err := os.Stat(name); err == nil && fi.Mode().IsRegular() && fi.Size() > limit && !compressedName(name) {
			return nil, &LimitError{Name: name, What: what, Limit: limit}
		}
	}
	in, err := open(ctx, name, stdin, nil)
	if err != nil {
		return nil, err
	}
	defer in.finish()
	b, n, err := readLimited(in.r, limit)
	if n > limit {
		return nil, &LimitError{Name: name, What: what, Limit: limit}
	}
	if err == nil && in.cancelled {
		err = ctx.Err()
	}
	return b, err
}

// readLimited reads r to its end, or to limit+1 bytes, and returns the
// bytes read (nil when more than limit) and their count. It reads in
// chunks and allocates the result once at its size: a refused input
// never costs more than limit bytes, an accepted one twice its size.
func readLimited(r io.Reader, limit int64) ([]byte, int64, error) {
	var chunks [][]byte
	var n int64
	var err error
	for n <= limit {
		c := make([]byte, min(1<<20, limit+1-n))
		k, rerr := io.ReadFull(r, c)
		n += int64(k)
		if k > 0 {
			chunks = append(chunks, c[:k])
		}
		if rerr != nil {
			if rerr != io.EOF && rerr != io.ErrUnexpectedEOF {
				err = rerr
			}
			break
		}
	}
	if n > limit {
		return nil, n, err
	}
	return bytes.Join(chunks, nil), n, err
}

// compressedName says whether name ends like a compressed file (whose
// size on disk says nothing of its content's).
func compressedName(name string) bool {
	n := strings.ToLower(name)
	for _, ext := range []string{".gz", ".gzip", ".bz2", ".zst", ".zstd"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}

// watchReader reads from r in a goroutine so that a Read blocked on a
// silent pipe returns ctx.Err() as soon as ctx is cancelled. The goroutine
// left blocked ends with the process.
type watchReader struct {
	ctx  context.Context
	r    io.Reader
	res  chan watchResult
	busy bool
	rest []byte
	err  error
}

type watchResult struct {
	b   []byte
	err error
}

func newWatchReader(ctx context.Context, r io.Reader) *watchReader {
	return &watchReader{ctx: ctx, r: r, res: make(chan watchResult, 1)}
}

func (w *watchReader) Read(p []byte) (int, error) {
	if len(w.rest) > 0 {
		n := copy(p, w.rest)
		w.rest = w.rest[n:]
		return n, nil
	}
	if w.err != nil {
		return 0, w.err
	}
	if err := w.ctx.Err(); err != nil {
		return 0, err
	}
	if !w.busy {
		w.busy = true
		size := max(len(p), 32<<10)
		go func() {
			b := make([]byte, size)
			n, err := w.r.Read(b)
			w.res <- watchResult{b[:n], err}
		}()
	}
	select {
	case r := <-w.res:
		w.busy = false
		n := copy(p, r.b)
		w.rest, w.err = r.b[n:], r.err
		if n > 0 {
			return n, nil
		}
		return 0, r.err
	case <-w.ctx.Done():
		return 0, w.ctx.Err()
	}
}

func (in *input) finish() {
	if in.bar != nil {
		in.bar.Finish()
		in.bar.Exit()
	}
	in.close()
}

// countingReader moves a progress bar as bytes are read.
type countingReader struct {
	r   io.Reader
	bar *progressbar.ProgressBar
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.bar.Add64(int64(n))
	}
	return n, err
}

// errReader names the decompressor in its errors.
type errReader struct {
	r    io.Reader
	comp string
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		err = readErr(e.comp, err)
	}
	return n, err
}

func readErr(comp string, err error) error {
	if comp == "" {
		return err
	}
	if err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%s: truncated compressed data", comp)
	}
	return fmt.Errorf("%s: %w", comp, err)
}

// stopReader ends its input cleanly when ctx is cancelled: it hands out
// whole lines only (holding back a line's start until its newline comes,
// up to holdMax bytes) and, once ctx is done, returns io.EOF and drops the
// held partial line. A log reader then stops at a line boundary instead of
// reporting a cut line as garbage.
type stopReader struct {
	ctx  context.Context
	r    io.Reader
	hold []byte
}

// holdMax is the longest partial line held back.
const holdMax = 1 << 20

func (s *stopReader) Read(p []byte) (int, error) {
	for {
		if s.ctx.Err() != nil {
			s.hold = nil
			return 0, io.EOF
		}
		if len(s.hold) >= len(p) || len(s.hold) >= holdMax {
			// A line too long to hold: hand it out as it is.
			n := copy(p, s.hold)
			s.hold = s.hold[n:]
			return n, nil
		}
		k := copy(p, s.hold)
		n, err := s.r.Read(p[k:])
		n += k
		if err != nil {
			if s.ctx.Err() != nil {
				s.hold = nil
				return 0, io.EOF
			}
			s.hold = nil
			return n, err
		}
		cut := bytes.LastIndexByte(p[:n], '\n') + 1
		s.hold = append(s.hold[:0], p[cut:n]...)
		if cut > 0 {
			return cut, nil
		}
	}
}
